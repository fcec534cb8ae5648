import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../server/workstation/db/store';
import {
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
} from '../../support/central';
import {
  centralQuery,
  FaultyNetwork,
  joinClinic,
  registerPatients,
  settle,
  setUpAndEnroll,
  type SyncedWorkstation,
} from '../../support/sync';

/**
 * One workstation merges a duplicate patient record into another while a second workstation, offline,
 * edits the duplicate. Whichever reaches central first, the edit must not vanish onto a record nobody
 * opens any more: it ends up in the conflict inbox of every workstation, saying what happened.
 */

let central: TestCentral;
let operator: CentralAdmin;
let a: SyncedWorkstation & { admin: NonNullable<SyncedWorkstation['admin']> };
let b: SyncedWorkstation;
const netA = new FaultyNetwork();
const netB = new FaultyNetwork();

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  const clinic = await createOrgAndClinic(operator);
  a = await setUpAndEnroll(central, operator, clinic, { fetch: netA.fetch, name: 'Front desk' });
  b = await joinClinic(central, operator, clinic, { fetch: netB.fetch, name: 'Exam room' });
});

afterEach(() => {
  netA.offline = netB.offline = false;
});

afterAll(async () => {
  for (const w of [a, b]) await w?.t.stop();
  await central?.destroy();
});

const merge = async (survivorId: string, mergedId: string) => {
  const res = await a.client.call('mergePatients', {
    body: { survivorId, mergedId, reason: 'Same person registered twice at the front desk.' },
  });
  expect(res.status, res.text).toBe(200);
};
const editOnB = (id: string, legalLastName: string) =>
  b.t.server.store.write(systemActor, (w) =>
    w.update('patients', id, { legalLastName, updatedAt: b.t.server.store.nowIso() }),
  );
const row = (w: SyncedWorkstation, id: string) =>
  w.t.server.store.db
    .prepare('SELECT legal_last_name AS last, merged_into_id AS mergedInto FROM patients WHERE id = ?')
    .get(id) as { last: string; mergedInto: string | null };
const openConflicts = async (w: SyncedWorkstation, rowId: string) =>
  (
    w.t.server.store.db
      .prepare(
        `SELECT kind, field, value_lost AS lost, message FROM sync_conflicts WHERE row_id = ? AND resolved_at IS NULL`,
      )
      .all(rowId) as { kind: string; field: string | null; lost: string | null; message: string }[]
  ).map((c) => ({ ...c, lost: c.lost === null ? null : JSON.parse(c.lost) }));
/** "Apply to <survivor>" from A's inbox: the edit lands on the surviving record everywhere, audited. */
async function applyToSurvivor(rowId: string, survivorId: string, lastName: string) {
  const list = await a.client.call('syncConflicts', { query: { status: 'open' } });
  expect(list.status).toBe(200);
  const entry = list.body.conflicts.find(
    (c: { rowId: string; survivor: unknown }) => c.rowId === rowId && c.survivor !== null,
  );
  expect(entry.survivor).toMatchObject({
    patientId: survivorId,
    label: expect.stringMatching(/^Patient, .* \(MRN \d+\)$/),
    fields: ['legalLastName'],
  });
  const res = await a.client.call('syncResolveConflict', {
    params: { id: entry.id },
    body: { action: 'apply_to_survivor' },
  });
  expect(res.status, res.text).toBe(200);
  expect(res.body).toMatchObject({ resolution: 'apply_to_survivor', survivor: null });
  // Applied once only: the entry is resolved.
  const again = await a.client.call('syncResolveConflict', {
    params: { id: entry.id },
    body: { action: 'apply_to_survivor' },
  });
  expect(again.status).toBe(409);
  await settle(a, b);
  for (const w of [a, b]) {
    expect(row(w, survivorId).last).toBe(lastName);
    expect(row(w, rowId)).toMatchObject({ mergedInto: survivorId });
  }
  expect(await centralLastName(survivorId)).toBe(lastName);
  const audit = a.t.server.store.db
    .prepare(`SELECT detail FROM audit_log WHERE action = 'patient.update' AND patient_id = ?`)
    .all(survivorId) as { detail: string }[];
  expect(audit.map((r) => JSON.parse(r.detail))).toContainEqual(
    expect.objectContaining({ fields: ['legalLastName'], via: 'sync_conflicts', mergedId: rowId }),
  );
}

const centralLastName = async (id: string) =>
  (
    await centralQuery(
      central,
      `SELECT data->>'legalLastName' AS last FROM tessera.replica_rows WHERE table_name = 'patients' AND row_id = $1`,
      [id],
    )
  )[0].last as string;

describe('a patient merged on one workstation while another edits them', () => {
  it('the merge reaches central first: the edit is refused into the inbox, the record stays merged', async () => {
    const [duplicate, survivor] = registerPatients(a, 2, 'MergeFirst');
    await settle(a, b);
    netB.offline = true;
    await merge(survivor!, duplicate!);
    await a.sync.syncNow();
    editOnB(duplicate!, 'EditedAfterMerge');
    netB.offline = false;
    await settle(a, b);

    expect(await centralLastName(duplicate!)).not.toBe('EditedAfterMerge');
    for (const w of [a, b]) {
      expect(row(w, duplicate!)).toMatchObject({ mergedInto: survivor });
      const conflicts = await openConflicts(w, duplicate!);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ kind: 'rejected' });
      expect(conflicts[0]!.message).toMatch(/merged into another record .* Make the change on the record/);
      // The refused change is kept, so it can be re-done on the surviving record.
      expect(JSON.stringify(conflicts[0]!.lost)).toContain('EditedAfterMerge');
    }
    await applyToSurvivor(duplicate!, survivor!, 'EditedAfterMerge');
  });

  it('the edit reaches central first: the merge overwrites it, and the edit is kept in the inbox', async () => {
    const [duplicate, survivor] = registerPatients(a, 2, 'EditFirst');
    await settle(a, b);
    netA.offline = true;
    editOnB(duplicate!, 'EditedBeforeMerge');
    await b.sync.syncNow();
    expect(await centralLastName(duplicate!)).toBe('EditedBeforeMerge');
    // A has not seen the edit when it merges.
    await merge(survivor!, duplicate!);
    netA.offline = false;
    await settle(a, b);

    for (const w of [a, b]) {
      expect(row(w, duplicate!)).toMatchObject({ mergedInto: survivor });
      const conflicts = await openConflicts(w, duplicate!);
      expect(conflicts).toContainEqual(
        expect.objectContaining({ kind: 'overwritten', field: 'legalLastName', lost: 'EditedBeforeMerge' }),
      );
    }
    await applyToSurvivor(duplicate!, survivor!, 'EditedBeforeMerge');
  });

  it('offers nothing to apply when the survivor already holds the edited value', async () => {
    const [duplicate, survivor] = registerPatients(a, 2, 'SameValue');
    await settle(a, b);
    netB.offline = true;
    await merge(survivor!, duplicate!);
    await a.sync.syncNow();
    // The edit sets what the survivor already holds: nothing to carry over.
    b.t.server.store.write(systemActor, (w) =>
      w.update('patients', duplicate!, {
        legalFirstName: 'SameValue1',
        updatedAt: b.t.server.store.nowIso(),
      }),
    );
    netB.offline = false;
    await settle(a, b);
    const list = await a.client.call('syncConflicts', { query: { status: 'open' } });
    const entry = list.body.conflicts.find((c: { rowId: string }) => c.rowId === duplicate);
    expect(entry).toMatchObject({ kind: 'rejected', survivor: null });
    const res = await a.client.call('syncResolveConflict', {
      params: { id: entry.id },
      body: { action: 'apply_to_survivor' },
    });
    expect(res.status).toBe(400);
  });
});
