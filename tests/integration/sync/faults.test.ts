import { v7 as uuidv7 } from 'uuid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rotateEpoch } from '../../../server/central/services/epoch';
import { systemActor } from '../../../server/workstation/db/store';
import {
  createOrgAndClinic,
  signedInAdmin,
  spawnCentral,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';
import { restoreSnapshot, snapshotDatabase } from '../../support/postgres';
import {
  centralQuery,
  count,
  FaultyNetwork,
  holdPushMidApply,
  joinClinic,
  registerPatients,
  settle,
  setUpAndEnroll,
  unsentAuditEntry,
  waitFor,
  type SyncedWorkstation,
} from '../../support/sync';
import { TestClock } from '../../support/workstation';

/**
 * The faults the replication design must survive, each against a real PostgreSQL: central killed in the
 * middle of a push, answers lost after central committed, a long offline spell, the same field or the same
 * slot changed on two offline workstations, central restored from an older backup, and a workstation whose
 * clock is hours off. Each ends with every copy converged and nothing lost or applied twice.
 */

let central: TestCentral;
let operator: CentralAdmin;
let clinic: TestClinic;
let a: SyncedWorkstation & { admin: NonNullable<SyncedWorkstation['admin']> };
let b: SyncedWorkstation;
const netA = new FaultyNetwork();
const netB = new FaultyNetwork();
const clockB = new TestClock();
const actor = systemActor;

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator);
  // Pushes of 500: the tests below hold a push inside its second batch.
  a = await setUpAndEnroll(central, operator, clinic, {
    fetch: netA.fetch,
    name: 'Front desk',
    pushBatch: 500,
  });
  b = await joinClinic(central, operator, clinic, { fetch: netB.fetch, clock: clockB, name: 'Exam room' });
});

afterEach(() => {
  netA.offline = netB.offline = false;
});

afterAll(async () => {
  for (const w of [a, b]) await w?.t.stop();
  await central?.destroy();
});

const patientCount = (w: SyncedWorkstation) => count(w.t, 'SELECT count(*) AS n FROM patients');
const centralRows = async (table: string) =>
  (
    await centralQuery(central, 'SELECT count(*)::int AS n FROM tessera.replica_rows WHERE table_name = $1', [
      table,
    ])
  )[0].n as number;
const auditAtCentral = async (w: SyncedWorkstation) =>
  (
    await centralQuery(
      central,
      `SELECT count(*)::int AS n FROM tessera.replica_log WHERE table_name = 'audit_log' AND data->>'workstationId' = $1`,
      [w.t.server.store.workstationId],
    )
  )[0].n as number;
const lastMutationAtCentral = async (w: SyncedWorkstation) =>
  (
    await centralQuery(central, 'SELECT last_mutation_id AS n FROM tessera.devices WHERE id = $1', [
      w.sync.status().deviceId,
    ])
  )[0].n as number;
const clinicHead = async () =>
  (
    await centralQuery(central, 'SELECT change_seq AS n FROM tessera.clinics WHERE id = $1', [
      clinic.clinicId,
    ])
  )[0].n as number;
const localMax = (w: SyncedWorkstation) => count(w.t, 'SELECT max(mutation_id) AS n FROM outbox');
const register = registerPatients;

async function expectConverged() {
  await settle(a, b);
  expect(patientCount(a)).toBe(patientCount(b));
  expect(await centralRows('patients')).toBe(patientCount(a));
  for (const w of [a, b]) {
    expect(await auditAtCentral(w)).toBe(count(w.t, 'SELECT count(*) AS n FROM audit_log'));
    expect(await lastMutationAtCentral(w)).toBe(localMax(w));
  }
}

describe('fault tolerance', () => {
  it('answers lost after central committed: the retry applies nothing twice', async () => {
    await settle(a, b);
    const headBefore = (await centralQuery(central, 'SELECT change_seq AS n FROM tessera.clinics'))[0]
      .n as number;
    netA.dropAnswers = 1;
    // Hold the automatic retry back while looking at central.
    netA.offlineAfterDrop = true;
    register(a, 20, 'Lost');
    await waitFor('the lost answer', () => netA.dropped === 1);
    netA.offlineAfterDrop = false;
    // Central stored the batch, the workstation does not know it yet.
    const headAfterDrop = (await centralQuery(central, 'SELECT change_seq AS n FROM tessera.clinics'))[0]
      .n as number;
    expect(headAfterDrop).toBeGreaterThan(headBefore);
    expect(a.sync.status().pending).toBeGreaterThan(0);
    // The retry (backoff, no new local change needed) is answered "duplicate" and changes nothing.
    netA.offline = false;
    await waitFor('the retry', () => a.sync.status().pending === 0);
    const headAfterRetry = (await centralQuery(central, 'SELECT change_seq AS n FROM tessera.clinics'))[0]
      .n as number;
    expect(headAfterRetry).toBe(headAfterDrop);
    await expectConverged();
  });

  it('central killed in the middle of applying a push: restarted, nothing lost, nothing applied twice', async () => {
    await settle(a, b);
    const headBefore = await clinicHead();
    const sentBefore = await lastMutationAtCentral(a);
    // 1,200 mutations: three batches of 500. Held back until central runs as a child process.
    netA.offline = true;
    register(a, 600, 'Killed');
    const port = Number(new URL(central.url).port);
    await central.stop();
    let proc = await spawnCentral(central.db, { port, secretHex: central.config.secret.toString('hex') });
    // The second batch waits inside its transaction after storing its rows (the first has committed).
    const hold = await holdPushMidApply(central, clinic.clinicId, unsentAuditEntry(a, 300));
    try {
      netA.offline = false;
      const syncing = a.sync.syncNow();
      const backend = await hold.blockedBackend();
      expect(await lastMutationAtCentral(a)).toBe(sentBefore + 500);
      await proc.kill();
      await hold.release();
      await syncing;
      expect(a.sync.status().state).toBe('offline');
      // The killed push's transaction died with its connection: nothing of the second batch is stored.
      await waitFor('the orphaned backend to end', async () => {
        const r = await centralQuery(
          central,
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1',
          [backend],
        );
        return r[0].n === 0;
      });
      expect(await clinicHead()).toBe(headBefore + 250);
      expect(await lastMutationAtCentral(a)).toBe(sentBefore + 500);
      proc = await spawnCentral(central.db, { port, secretHex: central.config.secret.toString('hex') });
      await waitFor('the outbox to drain after the restart', () => a.sync.status().pending === 0, 20_000);
      await settle(a, b);
      // Each of the 600 patients took exactly one change sequence: no batch was applied twice.
      expect(await clinicHead()).toBe(headBefore + 600);
      expect(patientCount(b)).toBe(patientCount(a));
      expect(await centralRows('patients')).toBe(patientCount(a));
      expect(await lastMutationAtCentral(a)).toBe(localMax(a));
      expect(await auditAtCentral(a)).toBe(count(a.t, 'SELECT count(*) AS n FROM audit_log'));
    } finally {
      await hold.release().catch(() => {});
      await proc.kill();
      await central.restart();
    }
  }, 120_000);

  it('a database connection that dies inside a push: central keeps serving, answers "retry", the retry stores everything once', async () => {
    await settle(a, b);
    const headBefore = await clinicHead();
    netA.offline = true;
    register(a, 300, 'Terminated');
    const port = Number(new URL(central.url).port);
    await central.stop();
    // A child process: an unhandled error there ends that process, not the test run.
    const proc = await spawnCentral(central.db, { port, secretHex: central.config.secret.toString('hex') });
    const hold = await holdPushMidApply(central, clinic.clinicId, unsentAuditEntry(a, 100));
    try {
      netA.pushAnswers.length = 0;
      netA.offline = false;
      const syncing = a.sync.syncNow();
      const backend = await hold.blockedBackend();
      // An administrator (or a failover) ends the push's database connection mid-transaction.
      await centralQuery(central, 'SELECT pg_terminate_backend($1)', [backend]);
      await hold.release();
      await syncing;
      expect(netA.pushAnswers).toContainEqual({ status: 503, retryAfter: '5' });
      // Nothing else went wrong: the batch sent behind it may have reached central first and found the gap
      // (409, sent again), and a cycle already under way when syncNow was called retries at once (200s).
      expect(netA.pushAnswers.filter((r) => ![200, 409, 503].includes(r.status))).toEqual([]);
      // The workstation retries by itself and everything arrives exactly once, from the same process.
      await waitFor('the outbox to drain', () => a.sync.status().pending === 0, 20_000);
      expect(proc.child.exitCode).toBeNull();
      expect((await fetch(`${proc.url}/healthz`)).status).toBe(200);
      await settle(a, b);
      expect(await clinicHead()).toBe(headBefore + 300);
      expect(await centralRows('patients')).toBe(patientCount(a));
      expect(patientCount(b)).toBe(patientCount(a));
      expect(await lastMutationAtCentral(a)).toBe(localMax(a));
      expect(await auditAtCentral(a)).toBe(count(a.t, 'SELECT count(*) AS n FROM audit_log'));
    } finally {
      await hold.release().catch(() => {});
      await proc.kill();
      await central.restart();
    }
  }, 120_000);

  it('a workstation offline for 1,000 changes catches up, both ways', async () => {
    await settle(a, b);
    netB.offline = true;
    register(b, 1000, 'Away');
    const fromA = register(a, 5, 'Home');
    await a.sync.syncNow();
    await b.sync.syncNow();
    expect(b.sync.status()).toMatchObject({ state: 'offline', pending: 2000 });
    netB.offline = false;
    await waitFor('B to send its 1,000 changes', () => b.sync.status().pending === 0, 20_000);
    await expectConverged();
    expect(
      count(
        b.t,
        `SELECT count(*) AS n FROM patients WHERE id IN (${fromA.map(() => '?').join(',')})`,
        ...fromA,
      ),
    ).toBe(5);
  });

  it('the same patient field edited on two offline workstations: the later in central’s order wins, the other is kept', async () => {
    const [id] = register(a, 1, 'Field');
    await settle(a, b);
    netA.offline = netB.offline = true;
    a.t.server.store.write(actor, (w) =>
      w.update('patients', id!, { legalLastName: 'Aguilar', updatedAt: a.t.server.store.nowIso() }),
    );
    b.t.server.store.write(actor, (w) =>
      w.update('patients', id!, { legalLastName: 'Baptiste', updatedAt: b.t.server.store.nowIso() }),
    );
    netA.offline = false;
    await a.sync.syncNow();
    netB.offline = false;
    await settle(a, b);
    for (const w of [a, b]) {
      expect(
        (
          w.t.server.store.db.prepare('SELECT legal_last_name AS l FROM patients WHERE id = ?').get(id) as {
            l: string;
          }
        ).l,
      ).toBe('Baptiste');
    }
    // Both inboxes show the overwritten value; restoring it on A puts it back everywhere.
    const inbox = await a.client.call('syncConflicts', { query: { status: 'open' } });
    const conflict = inbox.body.conflicts.find(
      (c: { rowId: string; field: string }) => c.rowId === id && c.field === 'legalLastName',
    );
    expect(conflict).toMatchObject({
      kind: 'overwritten',
      currentValue: 'Baptiste',
      otherValue: 'Aguilar',
      canRestore: true,
    });
    expect(conflict.subject.label).toContain('MRN');
    expect(
      count(
        b.t,
        `SELECT count(*) AS n FROM sync_conflicts WHERE id = ? AND resolved_at IS NULL`,
        conflict.id,
      ),
    ).toBe(1);
    const resolved = await a.client.call('syncResolveConflict', {
      params: { id: conflict.id },
      body: { action: 'restore_other' },
    });
    expect(resolved.status).toBe(200);
    await settle(a, b);
    for (const w of [a, b]) {
      expect(
        (
          w.t.server.store.db.prepare('SELECT legal_last_name AS l FROM patients WHERE id = ?').get(id) as {
            l: string;
          }
        ).l,
      ).toBe('Aguilar');
      expect(
        count(
          w.t,
          `SELECT count(*) AS n FROM sync_conflicts WHERE id = ? AND resolved_at IS NOT NULL`,
          conflict.id,
        ),
      ).toBe(1);
    }
  });

  it('the same slot booked on two offline workstations: both kept, both flagged double-booked', async () => {
    const [p1, p2] = register(a, 2, 'Slot');
    await settle(a, b);
    const provider = uuidv7();
    const start = '2030-04-02T15:00:00.000Z';
    const book = (w: SyncedWorkstation, patientId: string, startsAt: string, endsAt: string) => {
      const id = uuidv7();
      const now = w.t.server.store.nowIso();
      w.t.server.store.write(actor, (wr) =>
        wr.insert('appointments', {
          id,
          clinicId: w.t.server.store.clinicId!,
          patientId,
          providerId: provider,
          appointmentTypeId: uuidv7(),
          locationId: uuidv7(),
          roomId: null,
          startsAt,
          endsAt,
          timeZone: 'America/Chicago',
          modality: 'in_person',
          status: 'scheduled',
          statusChangedAt: now,
          note: '',
          detached: false,
          lateCancel: false,
          createdAt: now,
          updatedAt: now,
        }),
      );
      return id;
    };
    netA.offline = netB.offline = true;
    const onA = book(a, p1!, start, '2030-04-02T15:30:00.000Z');
    const onB = book(b, p2!, '2030-04-02T15:15:00.000Z', '2030-04-02T15:45:00.000Z');
    netA.offline = netB.offline = false;
    await a.sync.syncNow();
    await settle(a, b);
    for (const w of [a, b]) {
      const rows = w.t.server.store.db
        .prepare(
          'SELECT id, double_booked_at AS at, double_booked_with AS other FROM appointments WHERE id IN (?, ?) ORDER BY id',
        )
        .all(onA, onB) as { id: string; at: string | null; other: string | null }[];
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.at !== null)).toBe(true);
      expect(Object.fromEntries(rows.map((r) => [r.id, r.other]))).toEqual({ [onA]: onB, [onB]: onA });
    }
    // In PostgreSQL: the overlap exists only with both slots flagged (the exclusion constraint's rule).
    const slots = await centralQuery(
      central,
      'SELECT row_id, flagged FROM tessera.booking_slots WHERE row_id = ANY($1)',
      [[onA, onB]],
    );
    expect(slots.map((s) => s.flagged)).toEqual([true, true]);
    const inbox = await a.client.call('syncConflicts', { query: { status: 'open' } });
    // The conflict names the booking that reached central second; A is told to send first, but B's own
    // sync loop may retry its push as soon as it is back online, so either may be second.
    const conflicts = inbox.body.conflicts.filter(
      (c: { kind: string; rowId: string }) => c.kind === 'double_booked' && [onA, onB].includes(c.rowId),
    );
    expect(conflicts).toHaveLength(1);
    const conflict = conflicts[0];
    const other = conflict.rowId === onA ? onB : onA;
    expect(conflict.otherValue.map((o: { id: string }) => o.id)).toEqual([other]);

    // Moving one away clears both flags and the inbox entry, everywhere.
    b.t.server.store.write(actor, (w) =>
      w.update('appointments', onB, {
        startsAt: '2030-04-02T16:00:00.000Z',
        endsAt: '2030-04-02T16:30:00.000Z',
        updatedAt: b.t.server.store.nowIso(),
      }),
    );
    await settle(a, b);
    expect(
      count(
        a.t,
        'SELECT count(*) AS n FROM appointments WHERE id IN (?, ?) AND double_booked_at IS NOT NULL',
        onA,
        onB,
      ),
    ).toBe(0);
    expect(
      count(
        a.t,
        'SELECT count(*) AS n FROM sync_conflicts WHERE id = ? AND resolved_at IS NOT NULL',
        conflict.id,
      ),
    ).toBe(1);
  });

  it('central restored from an older backup: workstations re-send what it lost', async () => {
    await settle(a, b);
    await central.stop();
    await snapshotDatabase(central.db, `${central.db.name}_backup`);
    await central.restart();
    const after = [...register(a, 30, 'AfterBackupA'), ...register(b, 20, 'AfterBackupB')];
    await settle(a, b);
    expect(await centralRows('patients')).toBe(patientCount(a));

    // Restore the backup (it lacks the 50 patients) the way `tessera-central restore` does: data, new epoch.
    // The workstations are kept off the network until the loss is counted: their retries (every 400 ms at
    // most here) would otherwise re-send in between, and the count would race them.
    netA.offline = netB.offline = true;
    await central.stop();
    await restoreSnapshot(central.db, `${central.db.name}_backup`);
    await rotateEpoch(central.db.ownerUrl);
    await central.restart();
    expect(await centralRows('patients')).toBe(patientCount(a) - 50);
    netA.offline = netB.offline = false;

    await waitFor(
      'the lost changes to be re-sent',
      async () => (await centralRows('patients')) === patientCount(a),
      20_000,
    );
    await expectConverged();
    const ids = (
      await centralQuery(central, `SELECT row_id FROM tessera.replica_rows WHERE row_id = ANY($1)`, [after])
    ).map((r) => r.row_id);
    expect(ids.sort()).toEqual([...after].sort());
    // Sync goes on as before.
    const [later] = register(b, 1, 'Later');
    await settle(a, b);
    expect(count(a.t, 'SELECT count(*) AS n FROM patients WHERE id = ?', later)).toBe(1);
  });

  it('a workstation whose clock is hours ahead: reported, and its timestamps do not decide who wins', async () => {
    const [id] = register(a, 1, 'Skew');
    await settle(a, b);
    // The test clock stands still between calls, so set it from the real time: on a loaded machine the
    // earlier tests of this file can take minutes, and a frozen clock would then read less than 3 h ahead.
    clockB.ms = Date.now() + 3 * 3_600_000;
    // B changes the name first (its clock says 3 hours from now), A changes it later in real time.
    b.t.server.store.write(actor, (w) =>
      w.update('patients', id!, { legalFirstName: 'FromSkewedB', updatedAt: b.t.server.store.nowIso() }),
    );
    await b.sync.syncNow();
    a.t.server.store.write(actor, (w) =>
      w.update('patients', id!, { legalFirstName: 'FromA', updatedAt: a.t.server.store.nowIso() }),
    );
    await settle(a, b);
    for (const w of [a, b]) {
      expect(
        (
          w.t.server.store.db.prepare('SELECT legal_first_name AS f FROM patients WHERE id = ?').get(id) as {
            f: string;
          }
        ).f,
      ).toBe('FromA');
    }
    const status = b.sync.status();
    expect(status.clockSkewMs).toBeLessThan(-2.9 * 3_600_000);
    expect(status.message).toMatch(/clock is 3\.0 h ahead of the central server/);
    const devices = await operator.client.call('listDevices', { params: { clinicId: clinic.clinicId } });
    const deviceB = devices.body.devices.find((d: { id: string }) => d.id === status.deviceId);
    expect(deviceB.clockSkewMs).toBeLessThan(-2.9 * 3_600_000);
  });
});

describe('a cycle nobody waits for', () => {
  it('a database closed under a running sync: the failure is logged by name, not left unhandled', async () => {
    const c = await joinClinic(central, operator, clinic, { name: 'Closing' });
    try {
      // What a workstation shutting down in the wrong order would do: the timers still kick cycles.
      c.t.server.store.db.close();
      c.sync.kick();
      const line = await waitFor('the cycle failure logged', () =>
        c.t.logs.find((l) => l.includes('sync: cycle failed')),
      );
      expect(JSON.parse(line)).toMatchObject({ errName: 'TypeError' });
    } finally {
      await c.sync.stop();
      await c.t.stop().catch(() => {});
    }
  });
});
