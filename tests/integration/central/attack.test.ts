import crypto from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_WORKSTATION_SCHEMA } from '../../../server/contracts/sync';
import { decodeWrapKey, unwrapRowSecrets } from '../../../server/domain/sync/secret-wrap';
import { signStaffApproval } from '../../../server/domain/sync/staff-approval';
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
  pushedMutation,
  pushedPatientRow,
} from '../../support/central';

/**
 * Central under attack: a hostile device (clinic A's stolen workstation credential) and a hostile
 * administrator (organization A's) against two organizations. Each finding has a test of its own; each
 * checks that the attack is refused and that clinic A's honest workstations and clinic B carry on.
 */

let central: TestCentral;
let operator: CentralAdmin;
let owner: pg.Client;

interface Device {
  client: CentralClient;
  deviceId: string;
  workstationId: string;
  secretsKey: string;
}
type Clinic = TestClinic & { admin: CentralAdmin; staffId: string };
const clinics: Record<'A' | 'B', Clinic> = {} as never;

const headers = (schema: number | string = LATEST_WORKSTATION_SCHEMA) => ({
  'x-tessera-protocol': '1',
  'x-tessera-schema': String(schema),
  'x-tessera-clock': new Date().toISOString(),
});

async function enroll(
  clinic: TestClinic,
  workstationId: string = crypto.randomUUID(),
  /** A workstation in use brings its clinic's records up (its clinic id); a fresh one joins (null). */
  inUse = false,
): Promise<Device> {
  const code = await enrollmentCode(operator, clinic.clinicId);
  const res = await new CentralClient(central.url).call('enroll', {
    body: {
      code,
      workstationId,
      name: 'Desk',
      schemaVersion: LATEST_WORKSTATION_SCHEMA,
      clinicId: inUse ? clinic.clinicId : null,
    },
  });
  if (res.status !== 200) throw new Error(`enroll: ${res.status} ${res.text}`);
  return {
    client: new CentralClient(central.url, res.body.credential, headers()),
    deviceId: res.body.deviceId,
    workstationId,
    secretsKey: res.body.secretsKey,
  };
}

const patientRow = (clinicId: string, id: string, name: string) =>
  pushedPatientRow(clinicId, id, name, 'Attack');
const mutation = pushedMutation;

let epoch = '';
async function push(device: Device, lastAcknowledged: number, mutations: ReturnType<typeof mutation>[]) {
  return device.client.call('syncPush', { body: { epoch, lastAcknowledged, mutations } });
}
const newPatient = (clinic: TestClinic, mutationId: number, name: string) => {
  const id = uuidv7();
  return mutation(mutationId, 'patients', id, patientRow(clinic.clinicId, id, name));
};

async function pullAll(device: Device) {
  const page = await device.client.call('syncPull', { query: { cursor: 0, limit: 5000 } });
  expect(page.status).toBe(200);
  return page;
}

beforeAll(async () => {
  // Behind a (loopback) proxy: X-Forwarded-For gives each simulated client its own address.
  central = await startTestCentral({
    config: {
      trustProxy: 'loopback',
      // Short request limits so the tests see slow clients cut off (production: 15 s and 120 s).
      requestTimeouts: { headersMs: 1_000, requestMs: 2_000 },
      rateLimits: { enrollPerMinute: 1000, signInPerMinute: 1000, authFailuresPerMinute: 5 },
    },
  });
  operator = await signedInAdmin(central);
  owner = new pg.Client({ connectionString: central.db.ownerUrl });
  await owner.connect();
  for (const key of ['A', 'B'] as const) {
    const clinic = await createOrgAndClinic(operator, `Clinic ${key}`);
    const staff = await operator.client.call('createStaff', {
      params: { clinicId: clinic.clinicId },
      body: {
        username: `staff.${key.toLowerCase()}`,
        fullName: `Staff ${key}`,
        password: 'quiet harbor lantern 42',
        roles: ['front_desk'],
      },
    });
    expect(staff.status).toBe(201);
    clinics[key] = { ...clinic, admin: await signedInAdmin(central, clinic.orgId), staffId: staff.body.id };
  }
  const hello = await (await enroll(clinics.A)).client.call('syncHello');
  epoch = hello.body.epoch;
});

afterAll(async () => {
  await owner?.end();
  await central?.destroy();
});

describe('a hostile device cannot make its clinic unusable', () => {
  it('an absurd schema version is refused (never a 500) and does not raise what the clinic requires', async () => {
    const hostile = await enroll(clinics.A);
    const honest = await enroll(clinics.A);
    for (const absurd of [2 ** 40, 2 ** 31, LATEST_WORKSTATION_SCHEMA + 1, '1e3', '-1', '0x10']) {
      const res = await hostile.client.call('syncHello', { headers: headers(absurd) });
      expect(res.status, String(absurd)).toBe(400);
      expect(res.body.error.message).not.toMatch(/reference/);
    }
    const newer = await hostile.client.call('syncHello', { headers: headers(LATEST_WORKSTATION_SCHEMA + 1) });
    expect(newer.body.error.code).toBe('schema_unsupported');
    const ok = await honest.client.call('syncHello');
    expect(ok.status).toBe(200);
    expect(ok.body.requiredSchema).toBeLessThanOrEqual(LATEST_WORKSTATION_SCHEMA);
    // Also on enrollment: a schema version past 32 bits is a 400, not a 500.
    const code = await enrollmentCode(operator, clinics.A.clinicId);
    const enrollRes = await new CentralClient(central.url).call('enroll', {
      body: { code, workstationId: crypto.randomUUID(), name: 'X', schemaVersion: 2 ** 40, clinicId: null },
    });
    expect(enrollRes.status).toBe(400);
  });

  it('a clinic whose required schema was ratcheted before this check is served again', async () => {
    await owner.query('UPDATE tessera.clinics SET schema_high_water = 2147483647 WHERE id = $1', [
      clinics.A.clinicId,
    ]);
    try {
      const honest = await enroll(clinics.A);
      const ok = await honest.client.call('syncHello');
      expect(ok.status).toBe(200);
      expect(ok.body.requiredSchema).toBe(LATEST_WORKSTATION_SCHEMA);
    } finally {
      await owner.query('UPDATE tessera.clinics SET schema_high_water = $2 WHERE id = $1', [
        clinics.A.clinicId,
        LATEST_WORKSTATION_SCHEMA,
      ]);
    }
  });

  it('an absurd mutation id is refused; later changes still apply, also after revocation and re-enrolment', async () => {
    const device = await enroll(clinics.A);
    expect((await push(device, 0, [newPatient(clinics.A, 1, 'First')])).body.results[0].status).toBe(
      'applied',
    );
    for (const absurd of [2 ** 40, 3, Number.MAX_SAFE_INTEGER]) {
      const res = await push(device, 1, [newPatient(clinics.A, absurd, 'Poison')]);
      expect(res.status, String(absurd)).toBe(409);
      expect(res.body.error.code).toBe('mutation_gap');
    }
    // A gap inside a batch poisons nothing either: the whole batch is refused.
    const gapped = await push(device, 1, [newPatient(clinics.A, 2, 'Two'), newPatient(clinics.A, 9, 'Nine')]);
    expect(gapped.status).toBe(409);
    expect((await pullAll(device)).text).not.toMatch(/Poison|"Two"|Nine/);

    const next = await push(device, 1, [newPatient(clinics.A, 2, 'Second')]);
    expect(next.body.results[0]).toMatchObject({ status: 'applied' });
    expect(next.body.results[0].duplicate).toBeUndefined();
    expect(next.body.lastMutationId).toBe(2);

    // Revoked and enrolled again: the new credential continues from 2, not from anything absurd.
    await operator.client.call('revokeDevice', {
      params: { clinicId: clinics.A.clinicId, deviceId: device.deviceId },
    });
    const again = await enroll(clinics.A, device.workstationId);
    expect((await again.client.call('syncHello')).body.lastMutationId).toBe(2);
    const third = await push(again, 2, [newPatient(clinics.A, 3, 'Third')]);
    expect(third.body.results[0]).toMatchObject({ status: 'applied' });
    expect(third.body.results[0].duplicate).toBeUndefined();
  });
});

describe('push accepts only replicated tables and rows of a sane shape', () => {
  it('refuses rows for a table that does not replicate, and never serves one', async () => {
    const device = await enroll(clinics.A);
    for (const table of ['admins', 'devices', 'not_a_table', 'sessions']) {
      const id = uuidv7();
      const res = await push(device, 0, [mutation(1, table, id, { id, clinicId: clinics.A.clinicId })]);
      expect(res.status, table).toBe(400);
    }
    // A row of an unknown table already stored (before this check) is not handed out.
    await owner.query(
      `INSERT INTO tessera.replica_rows (clinic_id, table_name, row_id, data, created_seq, created_by, seq)
       SELECT id, 'not_a_table', 'x', '{"marker":"StrayTableRow"}', change_seq + 1, 'x', change_seq + 1 FROM tessera.clinics WHERE id = $1`,
      [clinics.A.clinicId],
    );
    await owner.query('UPDATE tessera.clinics SET change_seq = change_seq + 1 WHERE id = $1', [
      clinics.A.clinicId,
    ]);
    expect((await pullAll(device)).text).not.toContain('StrayTableRow');
  });

  it('answers a deeply nested row as rejected (kept in the inbox), the same on every retry', async () => {
    const device = await enroll(clinics.A);
    const id = uuidv7();
    const bad = mutation(1, 'patients', id, { ...patientRow(clinics.A.clinicId, id, 'Deep'), mrn: 'DEEP' });
    // Written out as text: the nesting is too deep for JSON.stringify (as it was for central).
    const deepPush = async (mutations: ReturnType<typeof mutation>[]) => {
      const depth = 20_000;
      const body = JSON.stringify({ epoch, lastAcknowledged: 0, mutations }).replace(
        '"DEEP"',
        `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`,
      );
      const res = await fetch(`${central.url}/v1/sync/push`, {
        method: 'POST',
        headers: {
          ...headers(),
          'content-type': 'application/json',
          authorization: `Bearer ${device.client.token}`,
        },
        body,
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const first = await deepPush([bad, newPatient(clinics.A, 2, 'AfterDeep')]);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'applied']);
    expect(first.body.results[0].reason).toBe('wrong_row');
    const retry = await deepPush([bad]);
    expect(retry.status).toBe(200);
    expect(retry.body.results[0]).toMatchObject({ status: 'applied', duplicate: true });
    const page = await pullAll(device);
    const conflict = page.body.changes.find(
      (c: { table: string; row: { rowId: string } }) => c.table === 'sync_conflicts' && c.row.rowId === id,
    );
    expect(conflict.row).toMatchObject({ kind: 'rejected', reason: 'wrong_row' });
    expect(page.text).toContain('AfterDeep');
  });
});

describe('pushed text is canonical', () => {
  it('refuses a row with text that is not valid Unicode into the inbox, kept as sent; stores NFC text as NFC', async () => {
    const device = await enroll(clinics.A);
    const badId = uuidv7();
    // A lone surrogate: JSON carries it ("\ud800"), no UTF-8 database can store it.
    const bad = mutation(1, 'patients', badId, patientRow(clinics.A.clinicId, badId, 'Lone\ud800Surrogate'));
    const nfdId = uuidv7();
    const nfd = mutation(2, 'patients', nfdId, patientRow(clinics.A.clinicId, nfdId, 'Jose\u0301'));
    const res = await push(device, 0, [bad, nfd]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'applied']);
    expect(res.body.results[0]).toMatchObject({ reason: 'invalid_text' });
    const page = await pullAll(device);
    const changes = page.body.changes as { table: string; rowId: string; row: Record<string, unknown> }[];
    expect(changes.some((c) => c.table === 'patients' && c.rowId === badId)).toBe(false);
    const conflict = changes.find((c) => c.table === 'sync_conflicts' && c.row.rowId === badId)!;
    expect(conflict.row).toMatchObject({ kind: 'rejected', reason: 'invalid_text' });
    expect(conflict.row.message).toMatch(/not valid Unicode \(in legalFirstName\)/);
    // The row as sent is kept: the broken character survives, escaped, in the inbox entry.
    expect(JSON.parse(String(conflict.row.valueLost)).legalFirstName).toBe('Lone\ud800Surrogate');
    const stored = changes.find((c) => c.table === 'patients' && c.rowId === nfdId)!;
    expect(stored.row.legalFirstName).toBe('Jos\u00e9');
  });
});

describe('failures tell an outsider nothing', () => {
  const from = (address: string) => ({ 'x-forwarded-for': address });

  it('admin sign-in answers every failure the same, and an outsider cannot lock an administrator out', async () => {
    const admin = clinics.A.admin;
    const outsider = new CentralClient(central.url, null, from('203.0.113.9'));
    const attempt = (client: CentralClient, username: string, password: string, code = '000000') =>
      client.call('adminSignIn', { body: { username, password, code } });
    const answers = new Set<string>();
    for (let i = 0; i < 8; i++) {
      for (const username of [admin.username, `nobody.${i}`]) {
        const res = await attempt(outsider, username, 'not the password at all');
        answers.add(`${res.status} ${res.text}`);
      }
    }
    // A disabled administrator is refused with the same answer too.
    const disabled = await signedInAdmin(central, clinics.A.orgId);
    await owner.query('UPDATE tessera.admins SET disabled_at = now() WHERE id = $1', [disabled.id]);
    const refusedDisabled = await attempt(
      new CentralClient(central.url, null, from('203.0.113.10')),
      disabled.username,
      disabled.password,
      centralTotp(disabled.totpSecret, Date.now() + 30_000),
    );
    answers.add(`${refusedDisabled.status} ${refusedDisabled.text}`);
    expect([...answers]).toHaveLength(1);
    expect([...answers][0]).toMatch(/^401 /);

    // The outsider's address is throttled for that username, even with the right password and code…
    const nextCode = centralTotp(admin.totpSecret, Date.now() + 30_000);
    expect((await attempt(outsider, admin.username, admin.password, nextCode)).status).toBe(401);
    // …but the administrator, elsewhere, signs in.
    const own = await attempt(
      new CentralClient(central.url, null, from('198.51.100.7')),
      admin.username,
      admin.password,
      nextCode,
    );
    expect(own.status).toBe(200);
  });

  it('an enrollment claim does not tell whether a clinic id exists in another tenant', async () => {
    const hostileAdmin = clinics.A.admin;
    const empty = await hostileAdmin.client.call('createClinic', {
      body: { orgId: clinics.A.orgId, name: 'Probe', timeZone: 'UTC' },
    });
    expect(empty.status).toBe(201);
    const probe = async (clinicId: string, code?: string) =>
      new CentralClient(central.url).call('enroll', {
        body: {
          code: code ?? (await enrollmentCode(hostileAdmin, empty.body.id)),
          workstationId: crypto.randomUUID(),
          name: 'Probe',
          schemaVersion: LATEST_WORKSTATION_SCHEMA,
          clinicId,
        },
      });
    const existing = await probe(clinics.B.clinicId);
    const wrongCode = await probe(crypto.randomUUID(), 'ABCD-EFGH-JKMN-PQRS');
    expect(existing.status).toBe(wrongCode.status);
    expect(existing.text).toBe(wrongCode.text);
    // The code is spent by the refused claim: one code, one probe.
    const code = await enrollmentCode(hostileAdmin, empty.body.id);
    expect((await probe(clinics.B.clinicId, code)).status).toBe(401);
    expect((await probe(crypto.randomUUID(), code)).text).toBe(wrongCode.text);
    // Clinic B is untouched and its workstations carry on.
    const b = await enroll(clinics.B);
    expect((await b.client.call('syncHello')).body.clinicId).toBe(clinics.B.clinicId);
    const metrics = await new CentralClient(central.url, central.config.metricsToken).call('centralMetrics');
    expect(metrics.text).toMatch(/tessera_central_security_refusals_total\{kind="enrollment"\} [1-9]/);
    expect(metrics.text).toMatch(/tessera_central_security_refusals_total\{kind="admin_sign_in"\} [1-9]/);
  });
});

/**
 * A raw HTTP/1.1 client that sends `head` (and then only what the test writes), collecting whatever central
 * answers until it closes the connection or `waitMs` passes.
 */
function rawRequest(head: string, waitMs: number): Promise<{ answer: string; closed: boolean }> {
  const { port } = new URL(central.url);
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(head));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closed: false });
    }, waitMs);
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closed: true });
    });
  });
}

describe('availability: slow, large and repeated requests', () => {
  const postHead = (path: string, length: number, extra = '') =>
    `POST ${path} HTTP/1.1\r\nHost: central\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

  it('answers a body without a credential at once, without waiting for the body', async () => {
    const res = await rawRequest(
      postHead('/v1/sync/push', 1000, 'x-tessera-protocol: 1\r\nx-tessera-schema: 5\r\n') + '{',
      10_000,
    );
    expect(res.answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(res.closed).toBe(true);
  });

  it('cuts off a client that trickles its body (no credential needed to try) after the request time limit', async () => {
    const res = await rawRequest(postHead('/v1/enroll', 1000) + '{"code":', 10_000);
    expect(res.closed).toBe(true);
    expect(res.answer).not.toMatch(/ 200 /);
  });

  it('refuses an oversized body by its declared length before reading it', async () => {
    const device = await enroll(clinics.A);
    const res = await rawRequest(
      postHead(
        '/v1/sync/push',
        64 * 1024 * 1024,
        `authorization: Bearer ${device.client.token}\r\nx-tessera-protocol: 1\r\nx-tessera-schema: ${LATEST_WORKSTATION_SCHEMA}\r\n`,
      ),
      10_000,
    );
    expect(res.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(res.closed).toBe(true);
    // And a large body on a route that takes only small ones.
    const sign = await rawRequest(postHead('/v1/admin/sessions', 1024 * 1024), 10_000);
    expect(sign.answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('keeps at most two live streams per device: a new one closes the oldest', async () => {
    const device = await enroll(clinics.A);
    const other = await enroll(clinics.B);
    const open = (d: Device) => {
      const ac = new AbortController();
      const ended = fetch(`${central.url}/v1/sync/events`, {
        headers: { ...headers(), authorization: `Bearer ${d.client.token}` },
        signal: ac.signal,
      }).then(async (res) => {
        const reader = res.body!.getReader();
        for (;;) if ((await reader.read()).done) return true;
      });
      return { ac, ended: ended.catch(() => false) };
    };
    const otherStream = open(other);
    const streams = [];
    for (let i = 0; i < 5; i++) {
      streams.push(open(device));
      // Each stream is registered before the next opens (its first event arrives at once).
      await new Promise((r) => setTimeout(r, 150));
    }
    const closed = await Promise.all(streams.slice(0, 3).map((s) => s.ended));
    expect(closed).toEqual([true, true, true]);
    // The two newest, and clinic B's device, are still open.
    const still = await Promise.race([
      Promise.any([streams[3]!.ended, streams[4]!.ended, otherStream.ended]).then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('open'), 500)),
    ]);
    expect(still).toBe('open');
    for (const s of [...streams, otherStream]) s.ac.abort();
  });

  it('refused credentials from one address do not block valid credentials from the same address', async () => {
    const nat = { 'x-forwarded-for': '192.0.2.44' };
    const device = await enroll(clinics.A);
    const stranger = new CentralClient(central.url, 'not-a-credential', { ...headers(), ...nat });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await stranger.call('syncHello')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    // The clinic's workstation behind the same address syncs on.
    const hello = await device.client.call('syncHello', { headers: nat });
    expect(hello.status).toBe(200);
    const pushed = await push(device, 0, [newPatient(clinics.A, 1, 'BehindNat')]);
    expect(pushed.status).toBe(200);
  });
});

describe('a stolen workstation credential and centrally managed staff accounts', () => {
  const staffRow = async (device: Device, clinic: Clinic) => {
    const page = await pullAll(device);
    const change = page.body.changes.find(
      (c: { table: string; rowId: string }) => c.table === 'users' && c.rowId === clinic.staffId,
    );
    return { row: change.row as Record<string, unknown>, text: page.text };
  };

  it('cannot change roles, password, authenticator, activity or existence; sign-in bookkeeping syncs', async () => {
    const device = await enroll(clinics.A);
    const { row: staff } = await staffRow(device, clinics.A);
    let last = 0;
    const attempt = async (changes: Record<string, unknown>, op: 'update' | 'delete' = 'update') => {
      const m = { ...mutation(last + 1, 'users', clinics.A.staffId, { ...staff, ...changes }), op };
      const res = await push(device, last, [{ ...m, changedFields: Object.keys(changes) }]);
      expect(res.status).toBe(200);
      last = res.body.lastMutationId;
      return res.body.results[0];
    };
    const refusedChanges: Record<string, unknown>[] = [
      { roles: '["admin"]' },
      { passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$YXR0YWNrZXI$YXR0YWNrZXI' },
      { active: false },
      { username: 'hijacked', fullName: 'Hijacked' },
    ];
    for (const changes of refusedChanges) {
      const result = await attempt(changes);
      expect(result, JSON.stringify(changes)).toMatchObject({
        status: 'rejected',
        reason: 'centrally_managed',
      });
      // The row sent back to put the workstation's copy right carries its secrets wrapped, like a pull.
      expect(String(result.current.passwordHash)).toMatch(/^wrap:v1:/);
    }
    expect(await attempt({ deletedAt: new Date().toISOString() }, 'delete')).toMatchObject({
      status: 'rejected',
    });

    // What a workstation does at sign-in still applies: bookkeeping, a first authenticator, a used code.
    const now = new Date().toISOString();
    const stored = ['applied', 'merged'];
    expect(stored).toContain((await attempt({ failedAttempts: 2, lastLoginAt: now, updatedAt: now })).status);
    const enrolled = {
      mfaSecret: 'JBSWY3DPEHPK3PXPJBSWY3DP',
      mfaEnrolledAt: now,
      mfaLastCounter: 1,
      recoveryCodeHashes: '["h1","h2","h3"]',
    };
    expect(stored).toContain((await attempt(enrolled)).status);
    Object.assign(staff, enrolled);
    expect(stored).toContain((await attempt({ recoveryCodeHashes: '["h1","h3"]' })).status);
    staff.recoveryCodeHashes = '["h1","h3"]';
    // …but not replacing the authenticator, nor adding recovery codes of one's own.
    expect(await attempt({ mfaSecret: 'KRUGS4ZANFZSAYJAORSXG5BA' })).toMatchObject({ status: 'rejected' });
    expect(await attempt({ recoveryCodeHashes: '["h1","h3","mine"]' })).toMatchObject({
      status: 'rejected',
    });

    const listed = await clinics.A.admin.client.call('listStaff', {
      params: { clinicId: clinics.A.clinicId },
    });
    const account = listed.body.staff.find((u: { id: string }) => u.id === clinics.A.staffId);
    expect(account).toMatchObject({
      username: 'staff.a',
      roles: ['front_desk'],
      active: true,
      mfaEnrolled: true,
    });
    // Clinic B's account was never in reach.
    const listedB = await operator.client.call('listStaff', { params: { clinicId: clinics.B.clinicId } });
    expect(listedB.body.staff[0]).toMatchObject({ username: 'staff.b', roles: ['front_desk'] });

    const metrics = await new CentralClient(central.url, central.config.metricsToken).call('centralMetrics');
    expect(metrics.text).toMatch(/tessera_central_security_refusals_total\{kind="staff_write"\} [1-9]/);
    expect(central.logs.some((l) => l.includes('centrally managed staff account refused'))).toBe(true);
  });

  it('a pull hands out staff secrets only wrapped, under a key given at enrollment only', async () => {
    const device = await enroll(clinics.A);
    const { row, text } = await staffRow(device, clinics.A);
    expect(text).not.toContain('$argon2id$');
    expect(String(row.passwordHash)).toMatch(/^wrap:v1:/);
    const key = decodeWrapKey(device.secretsKey);
    const plain = unwrapRowSecrets(key, clinics.A.clinicId, 'users', clinics.A.staffId, row);
    expect(String(plain.passwordHash)).toMatch(/^\$argon2id\$/);
    // Another clinic's key does not open it, and a wrapped value cannot be moved to another account.
    const keyB = decodeWrapKey((await enroll(clinics.B)).secretsKey);
    expect(() => unwrapRowSecrets(keyB, clinics.A.clinicId, 'users', clinics.A.staffId, row)).toThrow();
    expect(() => unwrapRowSecrets(key, clinics.A.clinicId, 'users', clinics.B.staffId, row)).toThrow();
    // Enrolling again in the same clinic gives the same key: the workstation's stored rows stay readable.
    expect((await enroll(clinics.A)).secretsKey).toBe(device.secretsKey);
  });
});

describe('a stolen workstation credential and staff accounts made on workstations', () => {
  const hash = (who: string) => `$argon2id$v=19$m=19456,t=2,p=1$${who}salt$${who}hash`;
  const staff = (clinicId: string, id: string, username: string, roles: string[], who = username) => ({
    id,
    clinicId,
    username,
    fullName: username,
    passwordHash: hash(who),
    roles: JSON.stringify(roles),
    active: true,
    mfaSecret: null,
    mfaEnrolledAt: null,
    mfaLastCounter: null,
    recoveryCodeHashes: '[]',
    failedAttempts: 0,
    lockedUntil: null,
    lastLoginAt: null as string | null,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    deletedAt: null as string | null,
    changeApproval: null as string | null,
  });
  const approve = (
    clinicId: string,
    row: ReturnType<typeof staff>,
    by: string,
    byHash: string,
    at = new Date().toISOString(),
  ) => ({
    ...row,
    changeApproval: signStaffApproval({
      approverId: by,
      approverPasswordHash: byHash,
      clinicId,
      rowId: row.id,
      row,
      at,
    }),
  });

  it('changes roles, passwords, activity and accounts only with an administrator approval central verifies', async () => {
    const clinic = await createOrgAndClinic(operator, 'Clinic W');
    const device = await enroll(clinic, crypto.randomUUID(), true);
    const epochW = (await device.client.call('syncHello')).body.epoch as string;
    let last = 0;
    const send = async (
      row: ReturnType<typeof staff>,
      changed: string[] | null = null,
      op: 'insert' | 'update' = 'update',
    ) => {
      const m = { ...mutation(last + 1, 'users', row.id, row), op, changedFields: changed };
      const res = await device.client.call('syncPush', {
        body: { epoch: epochW, lastAcknowledged: last, mutations: [m] },
      });
      expect(res.status, res.text).toBe(200);
      last = res.body.lastMutationId;
      return res.body.results[0] as { status: string; reason?: string };
    };
    const applied = expect.objectContaining({ status: expect.stringMatching(/^(applied|merged)$/) });
    const refused = expect.objectContaining({ status: 'rejected', reason: 'staff_unapproved' });

    // The clinic's first administrator comes up with its workstation (nobody could approve it yet).
    const admin = staff(clinic.clinicId, uuidv7(), 'ws.admin', ['admin']);
    expect(await send(admin, null, 'insert')).toEqual(applied);

    // Now an account made without an approval is refused, also a new "administrator".
    const clerk = staff(clinic.clinicId, uuidv7(), 'ws.clerk', ['front_desk']);
    expect(await send(clerk, null, 'insert')).toEqual(refused);
    expect(await send(staff(clinic.clinicId, uuidv7(), 'intruder', ['admin']), null, 'insert')).toEqual(
      refused,
    );
    // The administrator's approval makes it.
    const approvedClerk = approve(clinic.clinicId, clerk, admin.id, admin.passwordHash);
    expect(await send(approvedClerk, null, 'insert')).toEqual(applied);

    // The attacker: no approval, a forged one, one by the account itself, or an old one replayed.
    const promoted = { ...approvedClerk, roles: '["admin"]' };
    expect(await send(promoted, ['roles'])).toEqual(refused);
    expect(await send(approve(clinic.clinicId, promoted, admin.id, hash('guess')), ['roles'])).toEqual(
      refused,
    );
    expect(await send(approve(clinic.clinicId, promoted, clerk.id, clerk.passwordHash), ['roles'])).toEqual(
      refused,
    );
    expect(await send({ ...approvedClerk, active: false }, ['active'])).toEqual(refused);
    expect(await send({ ...approvedClerk, passwordHash: hash('attacker') }, ['passwordHash'])).toEqual(
      refused,
    );
    expect(await send({ ...approvedClerk, deletedAt: new Date().toISOString() }, ['deletedAt'])).toEqual(
      refused,
    );
    // An approval is for exactly the values it names: moved onto other values it fails.
    expect(await send({ ...approvedClerk, roles: '["admin"]' }, ['roles'])).toEqual(refused);

    // The administrator's real change applies; the earlier approval cannot be replayed to undo it.
    const clinician = approve(
      clinic.clinicId,
      { ...approvedClerk, roles: '["clinician"]' },
      admin.id,
      admin.passwordHash,
    );
    expect(await send(clinician, ['roles', 'changeApproval'])).toEqual(applied);
    expect(await send(approvedClerk, ['roles', 'changeApproval'])).toEqual(refused);

    // What a workstation does at sign-in needs no approval; the account changes its own password with one
    // keyed from its current password hash.
    const now = new Date().toISOString();
    expect(
      await send({ ...clinician, failedAttempts: 3, lastLoginAt: now, updatedAt: now }, [
        'failedAttempts',
        'lastLoginAt',
        'updatedAt',
      ]),
    ).toEqual(applied);
    const ownPassword = approve(
      clinic.clinicId,
      { ...clinician, passwordHash: hash('clerk-new') },
      clerk.id,
      clinician.passwordHash,
      new Date(Date.now() + 1000).toISOString(),
    );
    expect(await send(ownPassword, ['passwordHash', 'changeApproval'])).toEqual(applied);

    const page = await device.client.call('syncPull', { query: { cursor: 0, limit: 5000 } });
    const users = (page.body.changes as { table: string; row: Record<string, unknown> }[]).filter(
      (c) => c.table === 'users',
    );
    expect(users.map((u) => u.row.username).sort()).toEqual(['ws.admin', 'ws.clerk']);
    expect(users.find((u) => u.row.username === 'ws.clerk')!.row).toMatchObject({
      roles: '["clinician"]',
      active: true,
      deletedAt: null,
    });
    const inbox = (page.body.changes as { table: string; row: Record<string, unknown> }[]).filter(
      (c) => c.table === 'sync_conflicts' && c.row.reason === 'staff_unapproved',
    );
    expect(inbox.length).toBeGreaterThanOrEqual(9);
    expect(central.logs.some((l) => l.includes('without an administrator approval refused'))).toBe(true);
  });
});
