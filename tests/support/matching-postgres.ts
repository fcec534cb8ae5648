import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { EmbeddedServer } from './postgres';

/**
 * A throwaway PostgreSQL whose major version matches the `pg_dump` on PATH, for the test that runs
 * `tessera-central backup` and `restore` (pg_dump refuses a server newer than itself, and the embedded
 * test server is usually newer than the distribution's client). It runs the distribution's own server
 * binaries of that version (Debian: /usr/lib/postgresql/<major>/bin, from the `postgresql` package that
 * CI installs) in a temporary data folder on a free loopback port. As root it runs as `postgres`, which
 * PostgreSQL requires.
 */

export function pgDumpMajor(): number {
  const r = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(
      'pg_dump is not installed: install the PostgreSQL client tools (Debian: postgresql-client).',
    );
  return Number(/(\d+)(?:\.\d+)?/.exec(r.stdout)![1]);
}

function serverBinaries(major: number): string {
  const candidates = [`/usr/lib/postgresql/${major}/bin`, `/usr/pgsql-${major}/bin`];
  const dir = candidates.find(
    (d) => fs.existsSync(path.join(d, 'postgres')) && fs.existsSync(path.join(d, 'initdb')),
  );
  if (!dir)
    throw new Error(
      `No PostgreSQL ${major} server binaries (looked in ${candidates.join(', ')}): install the server matching pg_dump (Debian: postgresql-${major}).`,
    );
  return dir;
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

export function postgresUser(): { uid: number; gid: number } | null {
  if (os.userInfo().uid !== 0) return null;
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0)
    throw new Error(
      'Running as root needs a `postgres` user to run the test PostgreSQL (the Debian package creates it).',
    );
  return { uid, gid: id('-g') };
}

export async function startMatchingPostgres(): Promise<EmbeddedServer & { major: number }> {
  const major = pgDumpMajor();
  const bin = serverBinaries(major);
  const user = postgresUser();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tessera-pg${major}-`));
  const password = crypto.randomBytes(12).toString('hex');
  const pwFile = path.join(dataDir, 'pw');
  const clusterDir = path.join(dataDir, 'data');
  fs.writeFileSync(pwFile, password, { mode: 0o600 });
  if (user) for (const p of [dataDir, pwFile]) fs.chownSync(p, user.uid, user.gid);
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  const init = spawnSync(
    path.join(bin, 'initdb'),
    [
      '-D',
      clusterDir,
      '-U',
      'postgres',
      `--pwfile=${pwFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--no-sync',
    ],
    { encoding: 'utf8', ...asUser, cwd: dataDir },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const child = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], ...asUser, cwd: dataDir },
  );
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL ${major} did not start: ${log}`);
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      await c.end();
      break;
    } catch {
      await c.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`PostgreSQL ${major} did not answer: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    major,
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT'); // fast shutdown
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
