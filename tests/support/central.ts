import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { Secret, TOTP } from 'otpauth';
import { centralApi, type CentralEndpointName } from '../../server/contracts/central/endpoints';
import type { CentralConfig } from '../../server/central/config';
import { ColumnCipher } from '../../server/central/crypto';
import { migrateCentral } from '../../server/central/db/migrate';
import { createLogger } from '../../server/platform/logging';
import { addAdmin } from '../../server/central/services/admins';
import { startCentral, type RunningCentral } from '../../server/central/start';
import { createTestDatabase, type TestDatabase } from './postgres';

/** Central in the test process, against a fresh database of the shared test PostgreSQL. */

export interface TestCentral {
  db: TestDatabase;
  config: CentralConfig;
  running: RunningCentral;
  url: string;
  logs: string[];
  /** Stop and start again on the same database (same secret), e.g. after a restore. */
  restart(overrides?: Partial<CentralConfig>): Promise<void>;
  stop(): Promise<void>;
  /** Stop and drop the database. */
  destroy(): Promise<void>;
}

export function testCentralConfig(db: TestDatabase, overrides: Partial<CentralConfig> = {}): CentralConfig {
  return {
    production: false,
    databaseUrl: db.apiUrl,
    ownerDatabaseUrl: db.ownerUrl,
    migrateOnStart: true,
    host: '127.0.0.1',
    port: 0,
    tls: null,
    trustProxy: false,
    secret: crypto.randomBytes(32),
    metricsToken: crypto.randomBytes(24).toString('hex'),
    minWorkstationSchema: 1,
    rateLimits: { enrollPerMinute: 1000, signInPerMinute: 1000, authFailuresPerMinute: 1000 },
    poolSize: 10,
    logLevel: 'info',
    ...overrides,
  };
}

export async function startTestCentral(
  opts: { db?: TestDatabase; config?: Partial<CentralConfig> } = {},
): Promise<TestCentral> {
  const db = opts.db ?? (await createTestDatabase('central'));
  let config = testCentralConfig(db, opts.config);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('tessera-central', sink, 'info');
  let running = await startCentral(config, { logger });
  const t: TestCentral = {
    db,
    config,
    running,
    url: running.url,
    logs,
    restart: async (overrides = {}) => {
      await running.close().catch(() => {});
      config = { ...config, port: new URL(t.url).port ? Number(new URL(t.url).port) : 0, ...overrides };
      running = await startCentral(config, { logger });
      t.running = running;
      t.config = config;
      t.url = running.url;
    },
    stop: () => running.close(),
    destroy: async () => {
      await running.close().catch(() => {});
      await db.drop();
    },
  };
  return t;
}

/** Migrate a database without serving (for tests that connect directly). */
export const migrate = (db: TestDatabase) => migrateCentral(db.ownerUrl, db.apiUrl);

export const centralTotp = (secret: string, at = Date.now()) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at,
  });

export interface CallResult<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** Calls central's catalogue endpoints by name with an optional bearer token. */
export class CentralClient {
  constructor(
    readonly url: string,
    public token: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {}

  async call<T = any>(
    name: CentralEndpointName,
    opts: {
      body?: unknown;
      params?: Record<string, string>;
      query?: Record<string, string | number>;
      headers?: Record<string, string>;
    } = {},
  ): Promise<CallResult<T>> {
    const e = centralApi[name];
    let p: string = e.path;
    for (const [k, v] of Object.entries(opts.params ?? {})) p = p.replace(`:${k}`, encodeURIComponent(v));
    const q = new URLSearchParams(Object.entries(opts.query ?? {}).map(([k, v]) => [k, String(v)]));
    const res = await fetch(`${this.url}${p}${q.size ? `?${q}` : ''}`, {
      method: e.method,
      headers: {
        ...(opts.body !== undefined && { 'content-type': 'application/json' }),
        ...(this.token && { authorization: `Bearer ${this.token}` }),
        ...this.headers,
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* metrics text */
    }
    return { status: res.status, body: body as T, text, headers: res.headers };
  }
}

export interface CentralAdmin {
  client: CentralClient;
  id: string;
  username: string;
  password: string;
  totpSecret: string;
}

let adminCounter = 0;

/** Create an administrator with the CLI's function and sign in through the API. */
/** Where an administrator can be made: a central in this process, or one in a child process. */
export type CentralTarget = Pick<TestCentral, 'url' | 'db'> & { config: Pick<CentralConfig, 'secret'> };

export async function signedInAdmin(
  central: CentralTarget,
  orgId: string | null = null,
): Promise<CentralAdmin> {
  const username = `admin${++adminCounter}.${crypto.randomBytes(3).toString('hex')}`;
  const password = `orchard lantern quietly ${crypto.randomBytes(4).toString('hex')}`;
  const created = await addAdmin(central.db.ownerUrl, new ColumnCipher(central.config.secret), {
    username,
    password,
    orgId,
  });
  const client = new CentralClient(central.url);
  const res = await client.call('adminSignIn', {
    body: { username, password, code: centralTotp(created.totpSecret) },
  });
  if (res.status !== 200) throw new Error(`admin sign-in: ${res.status} ${res.text}`);
  client.token = res.body.token;
  return { client, id: created.id, username, password, totpSecret: created.totpSecret };
}

export interface TestClinic {
  orgId: string;
  clinicId: string;
  name: string;
  /** Its IANA zone: a workstation enrolled into it is set up in the same one (setUpAndEnroll). */
  timeZone: string;
}

export async function createOrgAndClinic(
  operator: CentralAdmin,
  name = 'Riverside Family Practice',
  timeZone = 'America/Chicago',
): Promise<TestClinic> {
  const org = await operator.client.call('createOrg', { body: { name: `${name} Group` } });
  if (org.status !== 201) throw new Error(`createOrg: ${org.status} ${org.text}`);
  const clinic = await operator.client.call('createClinic', {
    body: { orgId: org.body.id, name, timeZone },
  });
  if (clinic.status !== 201) throw new Error(`createClinic: ${clinic.status} ${clinic.text}`);
  return { orgId: org.body.id, clinicId: clinic.body.id, name, timeZone };
}

export async function enrollmentCode(admin: CentralAdmin, clinicId: string): Promise<string> {
  const res = await admin.client.call('createEnrollmentCode', { params: { clinicId }, body: {} });
  if (res.status !== 201) throw new Error(`createEnrollmentCode: ${res.status} ${res.text}`);
  return res.body.code as string;
}

export interface CentralProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL: no shutdown of any kind (open transactions die with their connections). */
  kill(): Promise<void>;
}

/** Central as a child process (`tessera-central serve`), for tests that kill it. */
export async function spawnCentral(
  db: TestDatabase,
  opts: {
    port: number;
    secretHex: string;
    env?: Record<string, string>;
    /** How long start-up may take (the load run's machine may be busy compiling). */
    startTimeoutMs?: number;
    /** Node options before the script (e.g. --cpu-prof, which NODE_OPTIONS does not accept). */
    execArgv?: string[];
  },
): Promise<CentralProcess> {
  const { spawn } = await import('node:child_process');
  const path = await import('node:path');
  const root = path.resolve(import.meta.dirname, '../..');
  const child = spawn(
    process.execPath,
    [...(opts.execArgv ?? []), '--import', 'tsx', path.join(root, 'server/central/cli.ts'), 'serve'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: db.apiUrl,
        TESSERA_CENTRAL_OWNER_DATABASE_URL: db.ownerUrl,
        TESSERA_CENTRAL_MIGRATE_ON_START: '1',
        TESSERA_CENTRAL_PORT: String(opts.port),
        TESSERA_CENTRAL_SECRET: opts.secretHex,
        TESSERA_LOG_LEVEL: 'warn',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`central did not start: ${out} ${err}`)),
      opts.startTimeoutMs ?? 30_000,
    );
    child.stdout!.on('data', (d) => {
      out += d;
      if (/listening on/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`central exited (${code}): ${out} ${err}`));
    });
  });
  return {
    url: `http://127.0.0.1:${opts.port}`,
    child,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** A patient row as a workstation pushes it (the central tests' common shape). */
export const pushedPatientRow = (clinicId: string, id: string, name: string, lastName: string) => ({
  id,
  clinicId,
  mrn: String(Math.floor(Math.random() * 1e9)),
  legalFirstName: name,
  legalLastName: lastName,
  dateOfBirth: '1970-01-01',
  restricted: false,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  deletedAt: null,
});

/** One pushed mutation, an insert unless the test changes `op`. */
export const pushedMutation = (
  mutationId: number,
  table: string,
  rowId: string,
  row: Record<string, unknown>,
) => ({
  mutationId,
  table,
  rowId,
  op: 'insert' as 'insert' | 'update' | 'delete',
  row,
  changedFields: null as string[] | null,
  seenSeq: null,
  createdAt: new Date().toISOString(),
});
