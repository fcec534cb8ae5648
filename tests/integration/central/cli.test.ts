import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentral } from '../../support/central';
import { pgDumpMajor, startMatchingPostgres } from '../../support/matching-postgres';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { tempDir } from '../../support/workstation';

/** `tessera-central` as an operator runs it: refusals at start, migrate, and backup with a tested restore. */

const root = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(root, 'server/central/cli.ts');

function runCentral(args: string[], env: Record<string, string | undefined>, timeoutMs = 30_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TESSERA_LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tessera-central ${args.join(' ')} did not finish: ${stdout} ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let db: TestDatabase;
const secret = crypto.randomBytes(32).toString('hex');

beforeAll(async () => {
  db = await createTestDatabase('cli');
});
afterAll(async () => {
  await db?.drop();
});

describe('tessera-central serve refuses to start unsafely', () => {
  it('without a secret in production, saying how to make one', async () => {
    const r = await runCentral(['serve'], {
      DATABASE_URL: db.apiUrl,
      TESSERA_CENTRAL_ENV: 'production',
      TESSERA_CENTRAL_TRUST_PROXY: '1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /TESSERA_CENTRAL_SECRET is not set\. Central will not start in production without a strong secret/,
    );
    expect(r.stderr).toMatch(/openssl rand -base64 48/);
  });

  it('with a weak secret in production', async () => {
    const r = await runCentral(['serve'], {
      DATABASE_URL: db.apiUrl,
      TESSERA_CENTRAL_ENV: 'production',
      TESSERA_CENTRAL_TRUST_PROXY: '1',
      TESSERA_CENTRAL_SECRET: 'changeme',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/TESSERA_CENTRAL_SECRET is too short/);
  });

  it('as a role that could see every clinic (the owner)', async () => {
    const migrated = await runCentral(['migrate'], {
      DATABASE_URL: db.apiUrl,
      TESSERA_CENTRAL_OWNER_DATABASE_URL: db.ownerUrl,
    });
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/Migrated central database from schema 0 to \d+/);
    const r = await runCentral(['serve'], {
      DATABASE_URL: db.ownerUrl,
      TESSERA_CENTRAL_SECRET: secret,
      TESSERA_CENTRAL_PORT: '0',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/superuser|owns the tables/);
  });
});

/**
 * pg_dump refuses a server newer than itself, and the embedded test server is usually newer than the
 * machine's client tools: the backup test runs against a server of pg_dump's own major version (see
 * matching-postgres.ts), so the shipped commands run on every run, never skipped.
 */
describe('backup and restore', () => {
  let server: Awaited<ReturnType<typeof startMatchingPostgres>>;
  let bdb: TestDatabase;
  beforeAll(async () => {
    server = await startMatchingPostgres();
    bdb = await createTestDatabase('backup', server.url);
  });
  afterAll(async () => {
    await bdb?.drop();
    await server?.stop();
  });

  it('restores a backup and starts a new epoch', async () => {
    const owner = new pg.Client({ connectionString: bdb.ownerUrl });
    await owner.connect();
    try {
      const version = Number(
        (await owner.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0]!.v,
      );
      expect(Math.floor(version / 10_000)).toBe(pgDumpMajor());
      const env = {
        DATABASE_URL: bdb.apiUrl,
        TESSERA_CENTRAL_OWNER_DATABASE_URL: bdb.ownerUrl,
        TESSERA_CENTRAL_SECRET: secret,
      };
      expect((await runCentral(['migrate'], env)).code).toBe(0);
      const epoch = async () =>
        (await owner.query<{ value: string }>(`SELECT value FROM tessera.central_meta WHERE key = 'epoch'`))
          .rows[0]!.value;
      const before = await epoch();
      await owner.query(`INSERT INTO tessera.orgs (id, name) VALUES (gen_random_uuid(), 'Kept')`);
      const file = path.join(tempDir('tessera-central-backup-'), 'central.dump');
      const backup = await runCentral(['backup', '--out', file], env);
      expect(backup.code, backup.stderr).toBe(0);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      await owner.query(`INSERT INTO tessera.orgs (id, name) VALUES (gen_random_uuid(), 'After the backup')`);
      const restore = await runCentral(['restore', '--from', file], env, 60_000);
      expect(restore.code, restore.stderr).toBe(0);
      const names = (
        await owner.query<{ name: string }>('SELECT name FROM tessera.orgs ORDER BY name')
      ).rows.map((r) => r.name);
      expect(names).toEqual(['Kept']);
      expect(await epoch()).not.toBe(before);
      // The API role still works after the restore (its grants came back with the dump).
      const api = new pg.Client({ connectionString: bdb.apiUrl });
      await api.connect();
      try {
        await api.query(`SELECT value FROM tessera.central_meta WHERE key = 'epoch'`);
      } finally {
        await api.end();
      }
    } finally {
      await owner.end();
    }
  }, 180_000);
});

describe('TLS', () => {
  it('serves HTTPS with the configured certificate (skipped without openssl)', async (ctx) => {
    const dir = tempDir('tessera-central-tls-');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) ctx.skip();
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const central = await startTestCentral({
      db,
      config: { tls: { cert, key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') } },
    });
    try {
      expect(central.url).toMatch(/^https:/);
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`${central.url}/healthz`, { ca: cert }, (res) => {
            let text = '';
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(JSON.parse(body).status).toBe('ok');
    } finally {
      await central.stop();
    }
  });
});
