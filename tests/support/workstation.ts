import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Secret, TOTP } from 'otpauth';
import { api, type EndpointName } from '../../server/contracts/api';
import { createLogger } from '../../server/platform/logging';
import { startWorkstationServer, type RunningServer, type StartOptions } from '../../server/workstation/start';

/** A controllable clock: tests move time instead of sleeping (idle time-outs, lockouts, TOTP steps). */
export class TestClock {
  constructor(public ms = Date.now()) {}
  now = () => new Date(this.ms);
  advance(ms: number) {
    this.ms += ms;
  }
}

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  keyHex: string;
  clock: TestClock;
  /** Every log line the server wrote. */
  logs: string[];
  client(): TestClient;
  stop(): Promise<void>;
}

export function tempDir(prefix = 'tessera-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestServer(
  opts: { dataDir?: string; keyHex?: string; clock?: TestClock } & Pick<
    StartOptions,
    'sync' | 'centralUrl' | 'port' | 'rendererDir'
  > = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDir();
  const keyHex = opts.keyHex ?? crypto.randomBytes(32).toString('hex');
  const clock = opts.clock ?? new TestClock();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const server = await startWorkstationServer({
    dataDir,
    keyHex,
    appVersion: 'test',
    logger: createLogger('tessera-workstation', sink, 'debug'),
    now: clock.now,
    sync: opts.sync,
    centralUrl: opts.centralUrl,
    port: opts.port,
    rendererDir: opts.rendererDir,
  });
  return {
    server,
    dataDir,
    keyHex,
    clock,
    logs,
    client: () => new TestClient(server),
    stop: () => server.close(),
  };
}

export interface CallOptions {
  body?: unknown;
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** A browser stand-in: keeps cookies, sends Origin like a page of the app would. */
export class TestClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly server: RunningServer) {}

  async launch(): Promise<this> {
    const res = await this.raw('GET', new URL(this.server.launchUrl()).pathname + new URL(this.server.launchUrl()).search);
    if (res.status !== 303) throw new Error(`launch failed: ${res.status}`);
    return this;
  }

  async raw(method: string, pathAndQuery: string, init: { body?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { origin: this.server.origin, ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.server.origin + pathAndQuery, { method, headers, body: init.body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name!);
      else this.cookies.set(name!, value!);
    }
    return res;
  }

  async call<T = any>(name: EndpointName, opts: CallOptions = {}): Promise<CallResult<T>> {
    const e = api[name];
    let p: string = e.path;
    for (const [k, v] of Object.entries(opts.params ?? {})) p = p.replace(`:${k}`, encodeURIComponent(v));
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) q.set(k, String(v));
    const qs = q.size ? `?${q}` : '';
    const res = await this.raw(e.method, p + qs, {
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      headers: { ...(opts.body !== undefined && { 'content-type': 'application/json' }), ...opts.headers },
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* CSV or plain text */
    }
    return { status: res.status, body: body as T, text, headers: res.headers };
  }
}

export const totpCode = (secret: string, at: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });

export interface ClinicAdmin {
  username: string;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
}

/** Run first-run setup through the API, as the setup screen does. */
export async function setUpClinic(t: TestServer, client: TestClient, overrides: Partial<{ clinicName: string; timeZone: string }> = {}): Promise<ClinicAdmin> {
  const offer = await client.call('setupTotp');
  if (offer.status !== 200) throw new Error(`setupTotp: ${offer.status} ${offer.text}`);
  const admin = { username: 'ada.admin', password: 'correct horse battery staple', totpSecret: offer.body.secret as string };
  const res = await client.call('setupComplete', {
    body: {
      clinicName: overrides.clinicName ?? 'Riverside Family Practice',
      timeZone: overrides.timeZone ?? 'America/Chicago',
      admin: { username: admin.username, fullName: 'Ada Admin', password: admin.password },
      enrollmentId: offer.body.enrollmentId,
      totpCode: totpCode(admin.totpSecret, t.clock.ms),
    },
  });
  if (res.status !== 200) throw new Error(`setupComplete: ${res.status} ${res.text}`);
  return { ...admin, recoveryCodes: res.body.recoveryCodes };
}

/** Sign in with password and, when asked, the current TOTP code (moving the clock past the last code used). */
export async function signIn(t: TestServer, client: TestClient, username: string, password: string, totpSecret?: string) {
  const first = await client.call('login', { body: { username, password } });
  if (first.status !== 200) return first;
  if (first.body.step === 'done') return first;
  if (first.body.step === 'mfa') {
    if (!totpSecret) throw new Error('MFA asked but no secret given');
    t.clock.advance(30_000);
    return client.call('loginMfa', { body: { code: totpCode(totpSecret, t.clock.ms) } });
  }
  throw new Error(`unexpected step ${first.body.step}`);
}

/** A fresh server, set up, with the admin signed in. */
export async function startSignedInAdmin() {
  const t = await startTestServer();
  const admin = t.client();
  await admin.launch();
  const creds = await setUpClinic(t, admin);
  const res = await signIn(t, admin, creds.username, creds.password, creds.totpSecret);
  if (res.status !== 200) throw new Error(`admin sign-in failed: ${res.status} ${res.text}`);
  return { t, admin, creds };
}

/**
 * Create a staff member as the admin and return a launched client signed in as them. A new account must
 * replace the administrator's password at first sign-in: this does it (from a temporary password to
 * `password`), so the client's session reaches everything the roles allow.
 */
export async function addStaff(t: TestServer, admin: TestClient, username: string, roles: string[]) {
  const password = `quiet harbor lantern ${username.length}`;
  const temporary = `temporary ${password}`;
  const created = await admin.call('createUser', {
    body: { username, fullName: `Staff ${username}`, password: temporary, roles },
  });
  if (created.status !== 201) throw new Error(`createUser: ${created.status} ${created.text}`);
  const client = await t.client().launch();
  const res = await client.call('login', { body: { username, password: temporary } });
  if (res.status === 200 && res.body.step === 'done') {
    const changed = await client.call('changePassword', {
      body: { currentPassword: temporary, newPassword: password },
    });
    if (changed.status !== 200) throw new Error(`changePassword: ${changed.status} ${changed.text}`);
  }
  return { client, password, user: created.body, login: res };
}
