import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';
import {
  centralQuery,
  count,
  joinClinic,
  settle,
  setUpAndEnroll,
  waitFor,
  type SyncedWorkstation,
} from '../../support/sync';
import { signIn, startTestServer, totpCode } from '../../support/workstation';

/**
 * Central and three workstations in one process against a real PostgreSQL: the first workstation (set up
 * alone) brings the clinic's records up; two fresh ones join and download them, staff accounts included.
 */

let central: TestCentral;
let operator: CentralAdmin;
let clinic: TestClinic;
let a: SyncedWorkstation & { admin: NonNullable<SyncedWorkstation['admin']> };
let b: SyncedWorkstation;
let c: SyncedWorkstation;

const newPatient = { legalFirstName: 'Maribel', legalLastName: 'Quintero', dateOfBirth: '1984-03-09' };

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator);
  a = await setUpAndEnroll(central, operator, clinic, { name: 'Front desk 1' });
  b = await joinClinic(central, operator, clinic, { name: 'Exam room 2' });
  c = await joinClinic(central, operator, clinic, { name: 'Billing office' });
});

afterAll(async () => {
  for (const w of [a, b, c]) await w?.t.stop();
  await central?.destroy();
});

describe('enrollment and the first upload', () => {
  it('the first workstation of an empty clinic brings its records, and the clinic takes its clinic id', async () => {
    expect(a.sync.status()).toMatchObject({ state: 'online', pending: 0 });
    const clinics = await centralQuery(central, 'SELECT id FROM tessera.clinics');
    expect(clinics.map((r) => r.id)).toEqual([a.t.server.store.clinicId]);
    const users = await centralQuery(
      central,
      `SELECT data FROM tessera.replica_rows WHERE table_name = 'users'`,
    );
    expect(users.map((u) => u.data.username)).toEqual([a.admin.username]);
    // The audit log goes up only, entry for entry.
    const audit = await centralQuery(
      central,
      `SELECT count(*)::int AS n FROM tessera.replica_log WHERE table_name = 'audit_log' AND data->>'workstationId' = $1`,
      [a.t.server.store.workstationId],
    );
    expect(audit[0].n).toBe(count(a.t, 'SELECT count(*) AS n FROM audit_log'));
  });

  it('keeps password hashes and MFA secrets encrypted at rest on central', async () => {
    const [row] = await centralQuery(
      central,
      `SELECT data::text AS t FROM tessera.replica_rows WHERE table_name = 'users'`,
    );
    const local = a.t.server.store.db.prepare('SELECT password_hash, mfa_secret FROM users').get() as {
      password_hash: string;
      mfa_secret: string;
    };
    expect(row.t).not.toContain(local.password_hash);
    expect(row.t).not.toContain(local.mfa_secret);
    expect(row.t).toContain('enc:v1:');
  });

  it('fresh workstations join, download the clinic and let its staff sign in — also with central down', async () => {
    expect(b.t.server.store.clinicId).toBe(a.t.server.store.clinicId);
    expect(b.sync.status().initialSync.done).toBe(true);
    // Pulled rows are not local changes: nothing of them waits in the outbox to travel back.
    expect(
      count(b.t, `SELECT count(*) AS n FROM outbox WHERE table_name IN ('users', 'clinic_settings')`),
    ).toBe(0);
    const launched = await b.t.client().launch();
    // A code already used on A (same 30-second step) would be refused as a replay, here as there.
    b.t.clock.advance(60_000);
    const setup = await launched.call('setupStatus');
    expect(setup.body).toEqual({ needed: false });
    const res = await signIn(b.t, launched, a.admin.username, a.admin.password, a.admin.totpSecret);
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe(a.admin.username);

    await central.stop();
    try {
      const offline = await c.t.client().launch();
      c.t.clock.advance(60_000);
      const first = await offline.call('login', {
        body: { username: a.admin.username, password: a.admin.password },
      });
      expect(first.body.step).toBe('mfa');
      const second = await offline.call('loginMfa', {
        body: { code: totpCode(a.admin.totpSecret, c.t.clock.ms) },
      });
      expect(second.status).toBe(200);
    } finally {
      await central.restart();
    }
  });
});

describe('changes flow between workstations', () => {
  it('a patient registered on one workstation shows on the others through the live channel', async () => {
    await settle(a, b, c);
    // Rows stored from a pull tell the store's listeners (the live screens' /api/events) like a local write.
    const heard = new Set<string>();
    const off = b.t.server.store.onChange((tables) => tables.forEach((t) => heard.add(t)));
    const created = await a.client.call('createPatient', { body: newPatient });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // No syncNow here: the outbox hook pushes, central's live channel tells B and C.
    await waitFor(
      'the patient on B',
      () => count(b.t, 'SELECT count(*) AS n FROM patients WHERE id = ?', id) === 1,
    );
    await waitFor(
      'the patient on C',
      () => count(c.t, 'SELECT count(*) AS n FROM patients WHERE id = ?', id) === 1,
    );
    expect(count(b.t, 'SELECT count(*) AS n FROM outbox WHERE row_id = ?', id)).toBe(0);
    off();
    expect(heard.has('patients')).toBe(true);
  });

  it('a staff account made on central replicates and can sign in on any workstation', async () => {
    const made = await operator.client.call('createStaff', {
      params: { clinicId: clinic.clinicId },
      body: {
        username: 'rosa.billing',
        fullName: 'Rosa Billing',
        password: 'lantern harbor quietly 7',
        roles: ['biller'],
      },
    });
    expect(made.status).toBe(201);
    await waitFor(
      'the account on C',
      () => count(c.t, `SELECT count(*) AS n FROM users WHERE username = 'rosa.billing'`) === 1,
    );
    const client = await c.t.client().launch();
    const res = await client.call('login', {
      body: { username: 'rosa.billing', password: 'lantern harbor quietly 7' },
    });
    expect(res.status).toBe(200);
    expect(res.body.step).toBe('done');
  });

  it('tombstones replicate', async () => {
    // (A staff account is never removed, only deactivated; removing one from a workstation needs an
    // administrator's approval, see the central attack tests.)
    const made = await a.client.call('createPatient', {
      body: { ...newPatient, legalFirstName: 'Temporary', confirmedNotDuplicate: true },
    });
    expect(made.status).toBe(201);
    await settle(a, b);
    a.t.server.store.write({ userId: null, username: null }, (w) => w.tombstone('patients', made.body.id));
    await settle(a, b);
    const row = b.t.server.store.db
      .prepare('SELECT deleted_at FROM patients WHERE id = ?')
      .get(made.body.id) as { deleted_at: string | null };
    expect(row.deleted_at).not.toBeNull();
  });

  it('an administrator changes staff accounts on a workstation: central verifies the approvals and takes them', async () => {
    const made = await a.client.call('createUser', {
      body: {
        username: 'ws.nurse',
        fullName: 'Workstation Nurse',
        password: 'lantern orchard velvet 7',
        roles: ['front_desk'],
      },
    });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    const updated = await a.client.call('updateUser', { params: { id }, body: { roles: ['clinician'] } });
    expect(updated.status, updated.text).toBe(200);
    const reset = await a.client.call('resetPassword', {
      params: { id },
      body: { password: 'compass harbor quiet 88' },
    });
    expect(reset.status, reset.text).toBe(200);
    // The account changes its own password (approved by itself, keyed from its current password).
    const nurse = await a.t.client().launch();
    expect((await signIn(a.t, nurse, 'ws.nurse', 'compass harbor quiet 88')).status).toBe(200);
    const own = await nurse.call('changePassword', {
      body: { currentPassword: 'compass harbor quiet 88', newPassword: 'velvet lantern orchard 99' },
    });
    expect(own.status, own.text).toBe(200);
    await settle(a, b);

    const refused = await centralQuery(
      central,
      `SELECT count(*)::int AS n FROM tessera.replica_rows WHERE table_name = 'sync_conflicts' AND data->>'rowId' = $1`,
      [id],
    );
    expect(refused[0].n).toBe(0);
    const onB = b.t.server.store.db.prepare('SELECT roles FROM users WHERE id = ?').get(id) as {
      roles: string;
    };
    expect(JSON.parse(onB.roles)).toEqual(['clinician']);
    const there = await b.t.client().launch();
    expect((await signIn(b.t, there, 'ws.nurse', 'velvet lantern orchard 99')).status).toBe(200);
  });

  it('unsent local changes are laid back over what a pull brings, then sent', async () => {
    const created = await a.client.call('createPatient', {
      body: { ...newPatient, legalFirstName: 'Tomasz' },
    });
    const id = created.body.id as string;
    await settle(a, b);
    // B edits the last name while its push is held back; A edits the first name; B pulls first.
    await b.sync.stop();
    b.t.server.store.write({ userId: null, username: null }, (w) =>
      w.update('patients', id, { legalLastName: 'Kowalczyk', updatedAt: b.t.server.store.nowIso() }),
    );
    a.t.server.store.write({ userId: null, username: null }, (w) =>
      w.update('patients', id, { legalFirstName: 'Tomek', updatedAt: a.t.server.store.nowIso() }),
    );
    await a.sync.syncNow();
    b.sync.start();
    await settle(a, b);
    for (const w of [a, b]) {
      const row = w.t.server.store.db
        .prepare('SELECT legal_first_name AS f, legal_last_name AS l FROM patients WHERE id = ?')
        .get(id);
      expect(row).toEqual({ f: 'Tomek', l: 'Kowalczyk' });
    }
  });
});

describe('refusals', () => {
  it('an old workstation is told to update and keeps its unsent changes', async () => {
    await central.restart({ minWorkstationSchema: 999 });
    try {
      const t = c.t.server.store;
      t.write({ userId: null, username: null }, (w) =>
        w.audit({ action: 'record.print', detail: { what: 'test' } }),
      );
      await c.sync.syncNow();
      const status = c.sync.status();
      expect(status.state).toBe('update_required');
      expect(status.message).toMatch(/Update Tessera/);
      expect(status.pending).toBeGreaterThan(0);
    } finally {
      await central.restart({ minWorkstationSchema: 1 });
    }
    await c.sync.stop();
    c.sync.start();
    await settle(c);
    expect(c.sync.status()).toMatchObject({ state: 'online', pending: 0 });
  });

  it('a revoked workstation is refused at once and keeps its changes', async () => {
    const devices = await operator.client.call('listDevices', { params: { clinicId: clinic.clinicId } });
    const deviceC = devices.body.devices.find((d: { id: string }) => d.id === c.sync.status().deviceId);
    const revoked = await operator.client.call('revokeDevice', {
      params: { clinicId: clinic.clinicId, deviceId: deviceC.id },
    });
    expect(revoked.status).toBe(200);
    c.t.server.store.write({ userId: null, username: null }, (w) =>
      w.audit({ action: 'record.print', detail: { what: 'test' } }),
    );
    await c.sync.syncNow();
    expect(c.sync.status()).toMatchObject({ state: 'revoked' });
    expect(c.sync.status().pending).toBeGreaterThan(0);
  });

  it('an enrollment code works once', async () => {
    const code = await (await import('../../support/central')).enrollmentCode(operator, clinic.clinicId);
    const first = await startTestServer();
    const second = await startTestServer();
    try {
      const body = { centralUrl: central.url, code, workstationName: 'Spare' };
      const one = await (await first.client().launch()).call('syncJoin', { body });
      expect(one.status).toBe(200);
      const two = await (await second.client().launch()).call('syncJoin', { body });
      expect(two.status).toBe(400);
      expect(two.body.error.fields.code).toMatch(/not valid/);
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
