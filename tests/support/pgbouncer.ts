import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, postgresUser } from './matching-postgres';

/**
 * Debian's PgBouncer on a loopback port in transaction pooling mode, in front of one test database: each
 * transaction may get another server connection, as behind a production pooler. The pooler logs in to
 * PostgreSQL as the database's API role (its password is in the pooler's config, which only the test
 * reads); clients connect without a password. Started by the tests that need it; `.ci/run` installs it.
 */
export interface TestPgBouncer {
  /** A URL for the API role through the pooler. */
  url: string;
  /** Transactions PgBouncer has forwarded for the database (from its admin console's SHOW STATS). */
  transactions(): Promise<number>;
  stop(): Promise<void>;
}

export const PGBOUNCER = '/usr/sbin/pgbouncer';

export async function startPgBouncer(apiUrl: string, poolSize = 4): Promise<TestPgBouncer> {
  const target = new URL(apiUrl);
  const db = target.pathname.slice(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-pgbouncer-'));
  const port = await freePort();
  const ini = path.join(dir, 'pgbouncer.ini');
  const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
  fs.writeFileSync(
    ini,
    [
      '[databases]',
      `${db} = host=${target.hostname} port=${target.port || 5432} dbname=${db} user=${quote(decodeURIComponent(target.username))} password=${quote(decodeURIComponent(target.password))} pool_size=${poolSize}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = transaction',
      'max_client_conn = 1000',
      'admin_users = pgbouncer',
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  // PgBouncer refuses to run as root: run it as `postgres` then, as the test PostgreSQL does.
  const user = postgresUser();
  if (user) for (const p of [dir, ini]) fs.chownSync(p, user.uid, user.gid);
  const child: ChildProcess = spawn(PGBOUNCER, [ini], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(user && { uid: user.uid, gid: user.gid }),
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  await waitForPort(port, () => (child.exitCode !== null ? `PgBouncer exited: ${stderr}` : null));
  // The same role name as the direct URL (the pooler logs in as it; migrate grants it its rights by name).
  const url = `postgres://${target.username}@127.0.0.1:${port}/${db}`;
  return {
    url,
    async transactions() {
      const admin = new pg.Client({ connectionString: `postgres://pgbouncer@127.0.0.1:${port}/pgbouncer` });
      await admin.connect();
      try {
        const r = await admin.query<{ database: string; total_xact_count: string }>('SHOW STATS');
        return Number(r.rows.find((row) => row.database === db)?.total_xact_count ?? 0);
      } finally {
        await admin.end();
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, failed: () => string | null): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const problem = failed();
    if (problem) throw new Error(problem);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error('PgBouncer did not start listening');
    await new Promise((r) => setTimeout(r, 50));
  }
}
