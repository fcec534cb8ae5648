import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_COOKIE } from '../../../server/contracts/central/console';
import {
  CentralClient,
  centralTotp,
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';

/**
 * The console's endpoints (contracts/central/console-endpoints.ts): the cookie session and its cross-site
 * defence, each endpoint's access, organization boundary and input checks, the device status report, and
 * the hash-chained administration audit of every change.
 */

let central: TestCentral;
let operator: CentralAdmin;
let orgAdmin: CentralAdmin;
let otherAdmin: CentralAdmin;
let clinic: TestClinic;
let other: TestClinic;
let staffId: string;

const deviceHeaders = { 'x-tessera-protocol': '1', 'x-tessera-schema': '5' };

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator);
  other = await createOrgAndClinic(operator, 'Lakeside Therapy');
  orgAdmin = await signedInAdmin(central, clinic.orgId);
  otherAdmin = await signedInAdmin(central, other.orgId);
  const staff = await orgAdmin.client.call('createStaff', {
    params: { clinicId: clinic.clinicId },
    body: { username: 'desk.one', fullName: 'Desk One', password: 'quiet harbor lantern 42', roles: ['admin'] },
  });
  expect(staff.status).toBe(201);
  staffId = staff.body.id;
});

afterAll(async () => {
  await central?.destroy();
});

/** Signs in as the console does and returns the cookie header a browser would send back. */
async function consoleCookie(admin: CentralAdmin): Promise<string> {
  // A fresh TOTP step: the code of the bearer sign-in was spent (each code works once).
  await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() % 30_000)) + 50));
  const res = await fetch(`${central.url}/v1/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: central.url },
    body: JSON.stringify({
      username: admin.username,
      password: admin.password,
      code: centralTotp(admin.totpSecret),
    }),
  });
  expect(res.status).toBe(200);
  const set = res.headers.get('set-cookie') ?? '';
  expect(set).toMatch(new RegExp(`^${CONSOLE_COOKIE}=`));
  expect(set).toMatch(/HttpOnly/i);
  expect(set).toMatch(/SameSite=Strict/i);
  expect(set).toMatch(/Path=\//);
  // The token never reaches the page's scripts: it is not in the body.
  const body = (await res.json()) as Record<string, unknown>;
  expect(JSON.stringify(body)).not.toContain(set.split(';')[0]!.split('=')[1]!);
  expect(body.admin).toMatchObject({ username: admin.username });
  return set.split(';')[0]!;
}

describe('console session', () => {
  let cookie: string;

  it('signs in with password and authenticator code into an httpOnly, SameSite=Strict cookie', async () => {
    cookie = await consoleCookie(orgAdmin);
    const me = await fetch(`${central.url}/v1/console/session`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ admin: { username: orgAdmin.username, orgId: clinic.orgId } });
  }, 40_000);

  it('refuses a sign-in posted from another site, a wrong code, and bad input', async () => {
    const body = { username: orgAdmin.username, password: orgAdmin.password, code: '000000' };
    const cross = await fetch(`${central.url}/v1/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify(body),
    });
    expect(cross.status).toBe(403);
    const wrong = await fetch(`${central.url}/v1/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: central.url },
      body: JSON.stringify(body),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const bad = await fetch(`${central.url}/v1/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: central.url },
      body: JSON.stringify({ username: '', password: '' }),
    });
    expect(bad.status).toBe(400);
  });

  it('lets the cookie change things only from central’s own origin (CSRF)', async () => {
    const path = `/v1/admin/clinics/${clinic.clinicId}/enrollment-codes`;
    const post = (headers: Record<string, string>) =>
      fetch(`${central.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: JSON.stringify({ expiresInHours: 2 }),
      });
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    const ok = await post({ origin: central.url });
    expect(ok.status).toBe(201);
    const made = (await ok.json()) as { code: string; expiresAt: string };
    expect(Date.parse(made.expiresAt) - Date.now()).toBeGreaterThan(1.9 * 3_600_000);
    // Reads need no Origin (a GET changes nothing).
    expect((await fetch(`${central.url}/v1/admin/clinics`, { headers: { cookie } })).status).toBe(200);
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const out = await fetch(`${central.url}/v1/console/session`, {
      method: 'DELETE',
      headers: { cookie, origin: central.url },
    });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`${CONSOLE_COOKIE}=;`));
    expect((await fetch(`${central.url}/v1/console/session`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('console endpoints', () => {
  const anon = () => new CentralClient(central.url);

  it('consoleDevices: administrators only, own organization, valid ids; shows what the workstation reported', async () => {
    const params = { clinicId: clinic.clinicId };
    expect((await anon().call('consoleDevices', { params })).status).toBe(401);
    expect((await otherAdmin.client.call('consoleDevices', { params })).status).toBe(404);
    expect((await orgAdmin.client.call('consoleDevices', { params: { clinicId: 'nope' } })).status).toBe(400);

    const code = await enrollmentCode(orgAdmin, clinic.clinicId);
    const enrolled = await anon().call('enroll', {
      body: { code, workstationId: crypto.randomUUID(), name: 'Front desk 1', schemaVersion: 5, clinicId: null },
    });
    expect(enrolled.status).toBe(200);
    const device = new CentralClient(central.url, enrolled.body.credential, {
      ...deviceHeaders,
      'x-tessera-status': 'app=1.4.2; pending=3; conflicts=1; cursor=0',
    });
    expect((await device.call('syncHello')).status).toBe(200);
    // Stored after the answer (it is a report, not part of the request): wait for it.
    let row: any;
    for (let i = 0; i < 50; i++) {
      const list = await orgAdmin.client.call('consoleDevices', { params });
      row = list.body.devices.find((d: any) => d.name === 'Front desk 1');
      if (row?.appVersion) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(row).toMatchObject({ appVersion: '1.4.2', pendingMutations: 3, openConflicts: 1, schemaVersion: 5 });
    expect(row.changesBehind).toBeGreaterThanOrEqual(1);
    expect(row.lastSeenAt).not.toBeNull();
    // A malformed report is ignored, never an error.
    const odd = new CentralClient(central.url, enrolled.body.credential, {
      ...deviceHeaders,
      'x-tessera-status': 'app=<script>; pending=-1',
    });
    expect((await odd.call('syncHello')).status).toBe(200);
  });

  it('resetStaffPassword: administrators only, own organization, a strong password; clears the authenticator on request', async () => {
    const params = { clinicId: clinic.clinicId, userId: staffId };
    const body = { password: 'amber meadow signal 77', clearMfa: true };
    expect((await anon().call('resetStaffPassword', { params, body })).status).toBe(401);
    expect((await otherAdmin.client.call('resetStaffPassword', { params, body })).status).toBe(404);
    const weak = await orgAdmin.client.call('resetStaffPassword', { params, body: { password: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fields.password).toBeTruthy();
    const unknown = await orgAdmin.client.call('resetStaffPassword', {
      params: { ...params, userId: crypto.randomUUID() },
      body,
    });
    expect(unknown.status).toBe(404);
    const ok = await orgAdmin.client.call('resetStaffPassword', { params, body });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: staffId, username: 'desk.one', mfaEnrolled: false, active: true });
  });

  it('listCodeSets: administrators only, own organization, newest first', async () => {
    const params = { orgId: clinic.orgId };
    expect((await anon().call('listCodeSets', { params })).status).toBe(401);
    expect((await otherAdmin.client.call('listCodeSets', { params })).status).toBe(404);
    expect((await orgAdmin.client.call('listCodeSets', { params: { orgId: 'x' } })).status).toBe(400);
    expect((await orgAdmin.client.call('listCodeSets', { params })).body.releases).toEqual([]);
    for (const release of ['FY2025', 'FY2026']) {
      const pub = await orgAdmin.client.call('publishCodeSet', {
        params,
        body: { release, content: 'F411    Generalized anxiety disorder\n', allowPartial: true },
      });
      expect(pub.status).toBe(200);
    }
    const list = await orgAdmin.client.call('listCodeSets', { params });
    expect(list.body.releases.map((r: any) => r.release)).toEqual(['FY2026', 'FY2025']);
    expect((await otherAdmin.client.call('listCodeSets', { params: { orgId: other.orgId } })).body.releases).toEqual([]);
  });

  it('centralHealthReport: administrators only; database, live channel, requests and the clinics they manage', async () => {
    expect((await anon().call('centralHealthReport')).status).toBe(401);
    const res = await orgAdmin.client.call('centralHealthReport');
    expect(res.status).toBe(200);
    expect(res.body.database).toMatchObject({ up: true });
    expect(res.body.database.schemaVersion).toBe(res.body.database.expectedSchemaVersion);
    expect(res.body.liveChannel.listening).toBe(true);
    expect(res.body.requests.total).toBeGreaterThan(0);
    expect(res.body.requests.clientErrors).toBeGreaterThan(0);
    expect(res.body.clinics.map((c: any) => c.clinicId)).toEqual([clinic.clinicId]);
    expect(res.body.clinics[0]).toMatchObject({ activeDevices: 1, pendingMutations: 3, openConflicts: 1 });
    const all = await operator.client.call('centralHealthReport');
    expect(all.body.clinics.map((c: any) => c.clinicId).sort()).toEqual([clinic.clinicId, other.clinicId].sort());
  });

  it('listAdminAudit: every change and sign-in, ids only, scoped to the organization, hash-chained', async () => {
    expect((await anon().call('listAdminAudit')).status).toBe(401);
    expect((await orgAdmin.client.call('listAdminAudit', { query: { limit: 0 } })).status).toBe(400);
    const mine = await orgAdmin.client.call('listAdminAudit', { query: { limit: 500 } });
    expect(mine.status).toBe(200);
    const actions = mine.body.entries.map((e: any) => `${e.action} ${e.outcome}`);
    expect(actions).toContain('createStaff ok');
    expect(actions).toContain('resetStaffPassword ok');
    expect(actions).toContain('resetStaffPassword refused 400 invalid_input');
    expect(actions).toContain('consoleSignIn ok');
    expect(actions).toContain('consoleSignOut ok');
    expect(actions).toContain('createEnrollmentCode ok');
    expect(actions).toContain('publishCodeSet ok');
    // The operator's clinic creation is filed under the clinic's organization.
    expect(mine.body.entries.every((e: any) => e.orgId === clinic.orgId)).toBe(true);
    // No secrets or values: a password typed into a form is never in the log.
    expect(JSON.stringify(mine.body)).not.toContain('amber meadow');
    const theirs = await otherAdmin.client.call('listAdminAudit');
    expect(theirs.body.entries.some((e: any) => e.orgId === clinic.orgId)).toBe(false);
    const all = await operator.client.call('listAdminAudit', { query: { limit: 500 } });
    expect(all.body.entries.length).toBeGreaterThan(mine.body.entries.length);
    const page = await operator.client.call('listAdminAudit', { query: { limit: 2, before: all.body.entries[0].seq } });
    expect(page.body.entries.map((e: any) => e.seq)).toEqual([all.body.entries[1].seq, all.body.entries[2].seq]);

    // The chain: each entry's hash covers the previous one; an edit by the owner breaks it.
    const owner = new pg.Client({ connectionString: central.db.ownerUrl });
    await owner.connect();
    try {
      const chain = await owner.query<{ seq: number; prev_hash: string; hash: string }>(
        'SELECT seq, prev_hash, hash FROM tessera.admin_audit ORDER BY seq',
      );
      for (let i = 1; i < chain.rows.length; i++) expect(chain.rows[i]!.prev_hash).toBe(chain.rows[i - 1]!.hash);
      // The API role cannot write the table directly.
      const api = new pg.Client({ connectionString: central.db.apiUrl });
      await api.connect();
      try {
        await expect(
          api.query(`UPDATE tessera.admin_audit SET outcome = 'ok'`),
        ).rejects.toThrow(/permission denied/);
        await expect(api.query(`DELETE FROM tessera.admin_audit`)).rejects.toThrow(/permission denied/);
      } finally {
        await api.end();
      }
    } finally {
      await owner.end();
    }
  });
});
