import { afterEach, describe, expect, it } from 'vitest';
import { addStaff, startSignedInAdmin, type TestServer } from '../../support/workstation';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** Two records of one person: the older is complete-ish, the newer holds a phone, a coverage and contacts. */
async function twoRecords() {
  const s = await startSignedInAdmin();
  t = s.t;
  const desk = (await addStaff(t, s.admin, 'fran.desk', ['front_desk'])).client;
  const keep = await desk.call('createPatient', {
    body: {
      legalFirstName: 'Dana',
      legalLastName: 'Whitfield',
      dateOfBirth: '1982-08-15',
      addressLine1: '1 Oak Ln',
      city: 'Austin',
      postalCode: '78701',
    },
  });
  const dup = await desk.call('createPatient', {
    body: {
      legalFirstName: 'Dana',
      legalLastName: 'Whitfeld',
      dateOfBirth: '1982-08-15',
      phoneMobile: '5125550188',
      pronouns: 'they_them',
      addressLine1: '9 Other Rd',
      city: 'Elsewhere',
      confirmedNotDuplicate: true,
    },
  });
  expect(keep.status).toBe(201);
  expect(dup.status).toBe(201);
  const dupId = { id: dup.body.id as string };
  const coverage = {
    priority: 'primary',
    payerName: 'Acme Health',
    memberId: 'ACM-1',
    subscriberRelationship: 'self',
  };
  expect((await desk.call('createCoverage', { params: dupId, body: coverage })).status).toBe(201);
  expect(
    (
      await desk.call('createCoverage', {
        params: dupId,
        body: { ...coverage, priority: 'secondary', payerName: 'Second Co', memberId: 'S-2' },
      })
    ).status,
  ).toBe(201);
  // The same coverage on both records: after the merge only one copy stays live.
  expect((await desk.call('createCoverage', { params: { id: keep.body.id }, body: coverage })).status).toBe(
    201,
  );
  expect(
    (
      await desk.call('createEmergencyContact', {
        params: dupId,
        body: { name: 'Sam Whitfield', relationship: 'spouse', phone: '5125550111' },
      })
    ).status,
  ).toBe(201);
  expect((await desk.call('setGuarantor', { params: dupId, body: { relationship: 'self' } })).status).toBe(
    200,
  );
  return { ...s, t: s.t, desk, keepId: keep.body.id as string, dupId: dup.body.id as string };
}

describe('merging two records of one patient', () => {
  it('is for administrators only', async () => {
    const c = await twoRecords();
    const res = await c.desk.call('mergePatients', {
      body: { survivorId: c.keepId, mergedId: c.dupId, reason: 'Same person, registered twice' },
    });
    expect(res.status).toBe(403);
    expect((await c.admin.call('getPatient', { params: { id: c.dupId } })).body.id).toBe(c.dupId);
  });

  it('moves every linked row, fills gaps, keeps the merged id resolving, and audits both records', async () => {
    const c = await twoRecords();
    const store = c.t.server.store;
    const outboxBefore = (store.db.prepare('SELECT max(mutation_id) AS m FROM outbox').get() as { m: number })
      .m;

    const bad = await c.admin.call('mergePatients', {
      body: { survivorId: c.keepId, mergedId: c.keepId, reason: 'too short' },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['mergedId', 'reason']);

    const reason = 'Same person: registered twice with a misspelt surname';
    const res = await c.admin.call('mergePatients', {
      body: { survivorId: c.keepId, mergedId: c.dupId, reason },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      survivorId: c.keepId,
      mergedId: c.dupId,
      moved: { patient_emergency_contacts: 1, patient_guarantors: 1, patient_coverages: 2 },
      filledFields: ['pronouns', 'pronounsOther', 'phoneMobile'],
    });

    const survivor = (await c.admin.call('getPatient', { params: { id: c.keepId } })).body;
    expect(survivor).toMatchObject({
      legalLastName: 'Whitfield',
      phoneMobile: '5125550188',
      pronouns: 'they_them',
      // The survivor's own address stays; a gap is filled, a conflict is not.
      addressLine1: '1 Oak Ln',
      city: 'Austin',
      redirectedFrom: null,
      guarantor: expect.objectContaining({ relationship: 'self' }),
    });
    expect(survivor.coverages.map((x: { memberId: string }) => x.memberId).sort()).toEqual(['ACM-1', 'S-2']);
    expect(survivor.emergencyContacts.map((x: { name: string }) => x.name)).toEqual(['Sam Whitfield']);
    // Nothing points at the merged id any more.
    for (const table of ['patient_coverages', 'patient_emergency_contacts', 'patient_guarantors']) {
      expect(
        store.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE patient_id = ?`).get(c.dupId),
        table,
      ).toEqual({ n: 0 });
    }

    // The merged-away id opens the surviving record, saying where it came from.
    const old = await c.desk.call('getPatient', { params: { id: c.dupId } });
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ id: c.keepId, redirectedFrom: c.dupId });
    // But it takes no edits, and search shows only the survivor.
    const edit = await c.desk.call('updatePatient', { params: { id: c.dupId }, body: { alertNote: 'x' } });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('patient_merged');
    const found = await c.desk.call('searchPatients', { query: { q: 'dana whitf' } });
    expect(found.body.patients.map((p: { id: string }) => p.id)).toEqual([c.keepId]);
    expect(
      (await c.desk.call('searchPatients', { query: { q: '5125550188' } })).body.patients.map(
        (p: { id: string }) => p.id,
      ),
    ).toEqual([c.keepId]);
    // Merging it again is refused.
    const again = await c.admin.call('mergePatients', {
      body: { survivorId: c.keepId, mergedId: c.dupId, reason },
    });
    expect(again.status).toBe(409);

    // Every moved row and both patient rows went through the outbox.
    const queued = store.db
      .prepare('SELECT table_name AS t, row_id AS id, payload FROM outbox WHERE mutation_id > ?')
      .all(outboxBefore) as { t: string; id: string; payload: string }[];
    const moved = queued.filter((q) => q.t.startsWith('patient_'));
    expect(moved.length).toBeGreaterThanOrEqual(4);
    const mergedRow = queued
      .filter((q) => q.t === 'patients' && q.id === c.dupId)
      .map((q) => JSON.parse(q.payload))
      .at(-1);
    expect(mergedRow).toMatchObject({ mergedIntoId: c.keepId, deletedAt: expect.any(String) });

    const audit = await c.admin.call('auditReport', {
      query: { action: 'patient.merge', sort: 'at', dir: 'asc' },
    });
    expect(audit.body.entries.map((e: { patientId: string }) => e.patientId)).toEqual([c.keepId, c.dupId]);
    expect(audit.body.entries[0].detail).toMatchObject({
      survivorId: c.keepId,
      mergedId: c.dupId,
      reason,
      duplicatesRemoved: 1,
    });
    const reads = await c.admin.call('auditReport', {
      query: { action: 'patient.read', patientId: c.keepId },
    });
    expect(
      reads.body.entries.some((e: { detail: { requestedId?: string } }) => e.detail.requestedId === c.dupId),
    ).toBe(true);
  });

  it('keeps a restricted record restricted and needs break-glass to merge one', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    const a = await s.admin.call('createPatient', {
      body: { legalFirstName: 'Rae', legalLastName: 'Quill', dateOfBirth: '1990-01-02' },
    });
    const b = await s.admin.call('createPatient', {
      body: {
        legalFirstName: 'Rae',
        legalLastName: 'Quill',
        dateOfBirth: '1990-01-02',
        restricted: true,
        confirmedNotDuplicate: true,
      },
    });
    const body = { survivorId: a.body.id, mergedId: b.body.id, reason: 'Duplicate created during intake' };
    const refused = await s.admin.call('mergePatients', { body });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('restricted_record');
    await s.admin.call('emergencyAccess', {
      body: { patientId: b.body.id, reason: 'Merging a duplicate record' },
    });
    expect((await s.admin.call('mergePatients', { body })).status).toBe(200);
    const desk = (await addStaff(t, s.admin, 'fran.desk', ['front_desk'])).client;
    const read = await desk.call('getPatient', { params: { id: a.body.id } });
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe('restricted_record');
  });
});
