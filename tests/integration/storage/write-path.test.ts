import { TELEHEALTH_TABLES } from '../../../server/contracts/telehealth/rows';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq, getTableColumns } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../../server/workstation/db/open';
import * as schema from '../../../server/workstation/db/schema';
import { Store, systemActor, type Actor } from '../../../server/workstation/db/store';
import { verifyAuditLog } from '../../../server/workstation/services/audit/verify';
import { postEntries } from '../../../server/workstation/services/billing/ledger';
import { installSampleCodeSet } from '../../fixtures/icd10cm';
import { encodeWrapKey, wrapRowSecrets } from '../../../server/domain/sync/secret-wrap';
import { saveSecretsKey } from '../../../server/workstation/sync/secrets';
import { ack999, era835 } from '../claims/claims-world';
import { importInboundFile } from '../../../server/workstation/services/claims/inbound-import';
import { newKey } from '../../support/storage';
import { addStaff, setUpClinic, signIn, startTestServer, tempDir, totpCode, type TestServer } from '../../support/workstation';

let t: TestServer | undefined;
const open: SqliteDatabase[] = [];
afterEach(async () => {
  await t?.stop();
  t = undefined;
  for (const db of open.splice(0)) if (db.open) db.close();
});

const CLINIC = '0190a000-0000-7000-8000-00000000c11c';
const actor: Actor = { userId: '0190a000-0000-7000-8000-0000000000a1', username: 'ada.admin' };

function freshStore(opts: { clinic?: boolean } = {}) {
  const file = path.join(tempDir(), DB_FILE_NAME);
  const key = newKey();
  const db = openDatabase(file, key);
  open.push(db);
  const store = new Store(db);
  if (opts.clinic !== false) store.write(systemActor, (w) => store.setClinic(w, CLINIC));
  return { store, db, file, key };
}

let n = 0;
function patientRow(store: Store, overrides: Partial<typeof schema.patients.$inferInsert> = {}) {
  n++;
  return {
    id: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    clinicId: CLINIC,
    mrn: String(100000000 + n),
    legalFirstName: `First${n}`,
    legalLastName: 'Okafor',
    dateOfBirth: '1980-02-29',
    restricted: false,
    createdAt: store.nowIso(),
    updatedAt: store.nowIso(),
    ...overrides,
  };
}

const count = (db: SqliteDatabase, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const outbox = (db: SqliteDatabase) =>
  db.prepare('SELECT mutation_id, table_name, row_id, op, payload FROM outbox ORDER BY mutation_id').all() as {
    mutation_id: number;
    table_name: string;
    row_id: string;
    op: string;
    payload: string;
  }[];

describe('Store.write: row, outbox and audit in one transaction', () => {
  it('queues every insert, update, tombstone, setting and audit entry in the outbox with the row as written', () => {
    const { store, db } = freshStore();
    const start = count(db, 'outbox');
    const row = patientRow(store);
    store.write(actor, (w) => {
      w.insert('patients', row);
      w.audit({ action: 'patient.create', patientId: row.id });
    });
    store.write(actor, (w) => w.update('patients', row.id, { legalLastName: 'Mensah', updatedAt: '2030-01-01T00:00:00.000Z' }));
    store.write(actor, (w) => w.tombstone('patients', row.id));
    store.write(actor, (w) => w.setClinicSetting('clinic_info', { name: 'Riverside', timeZone: 'America/Chicago' }));

    const entries = outbox(db).slice(start);
    expect(entries.map((e) => [e.table_name, e.op, e.row_id])).toEqual([
      ['patients', 'insert', row.id],
      ['audit_log', 'insert', expect.any(String)],
      ['patients', 'update', row.id],
      ['patients', 'update', row.id],
      ['clinic_settings', 'update', `${CLINIC}:clinic_info`],
    ]);
    expect(JSON.parse(entries[0]!.payload)).toEqual(row);
    const audit = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { id: string; hash: string };
    expect(entries[1]!.row_id).toBe(audit.id);
    expect(JSON.parse(entries[1]!.payload)).toMatchObject({ id: audit.id, hash: audit.hash, patientId: row.id, action: 'patient.create' });
    // An update queues the whole row as stored (columns the insert left to their defaults included).
    expect(JSON.parse(entries[2]!.payload)).toMatchObject({ ...row, legalLastName: 'Mensah', updatedAt: '2030-01-01T00:00:00.000Z', deletedAt: null });
    // The tombstone is an update: the row stays, marked deleted.
    const tomb = JSON.parse(entries[3]!.payload);
    expect(tomb.deletedAt).toEqual(expect.any(String));
    expect(db.prepare('SELECT deleted_at FROM patients WHERE id = ?').get(row.id)).toEqual({ deleted_at: tomb.deletedAt });
    expect(JSON.parse(entries[4]!.payload)).toMatchObject({ clinicId: CLINIC, key: 'clinic_info', value: JSON.stringify({ name: 'Riverside', timeZone: 'America/Chicago' }) });
  });

  it('another connection sees the row, its outbox entry and its audit entry together or not at all', () => {
    const { store, db, file, key } = freshStore();
    const reader = openDatabase(file, key, { migrate: false });
    open.push(reader);
    const seen = () => ({ patients: count(reader, 'patients'), outbox: count(reader, 'outbox'), audit: count(reader, 'audit_log') });
    const before = seen();
    let during: ReturnType<typeof seen> | undefined;
    const row = patientRow(store);
    store.write(actor, (w) => {
      w.insert('patients', row);
      w.audit({ action: 'patient.create', patientId: row.id });
      // Written inside the transaction: visible to the writer, not yet to anyone else.
      expect(count(db, 'patients')).toBe(before.patients + 1);
      during = seen();
    });
    expect(during).toEqual(before);
    expect(seen()).toEqual({ patients: before.patients + 1, outbox: before.outbox + 2, audit: before.audit + 1 });
  });

  it('a throw inside the callback leaves no row, no outbox entry, no audit entry and no moved audit head', () => {
    const { store, db } = freshStore({ clinic: false });
    store.audit(systemActor, { action: 'backup.create' });
    const snapshot = () => ({
      patients: count(db, 'patients'),
      outbox: count(db, 'outbox'),
      audit: count(db, 'audit_log'),
      settings: count(db, 'clinic_settings'),
      meta: db.prepare('SELECT * FROM meta ORDER BY key').all(),
      head: store.auditHead(),
    });
    const before = snapshot();
    expect(() =>
      store.write(actor, (w) => {
        store.setClinic(w, CLINIC);
        w.setClinicSetting('clinic_info', { name: 'X' });
        w.insert('patients', patientRow(store));
        w.audit({ action: 'patient.create' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(snapshot()).toEqual(before);
    // The in-memory clinic binding rolled back with the transaction: setup can still run.
    expect(store.clinicId).toBeNull();
    expect(() => store.requireClinicId()).toThrow(/not been set up/);

    // A failure raised by SQLite part-way (a duplicate MRN) rolls back the same way.
    store.write(systemActor, (w) => store.setClinic(w, CLINIC));
    const first = patientRow(store);
    store.write(actor, (w) => w.insert('patients', first));
    const mid = snapshot();
    expect(() =>
      store.write(actor, (w) => {
        w.insert('patients', patientRow(store));
        w.audit({ action: 'patient.create' });
        w.insert('patients', patientRow(store, { mrn: first.mrn }));
      }),
    ).toThrow(/UNIQUE constraint failed: patients.clinic_id, patients.mrn/);
    expect(snapshot()).toEqual(mid);
    expect(store.clinicId).toBe(CLINIC);
    // An update of a row that is not there fails the whole write too.
    expect(() =>
      store.write(actor, (w) => {
        w.audit({ action: 'patient.update' });
        w.update('patients', '0190a000-0000-7000-8000-ffffffffffff', { legalLastName: 'X' });
      }),
    ).toThrow(/No patients row to update/);
    expect(snapshot()).toEqual(mid);
    expect(verifyAuditLog(store)).toMatchObject({ ok: true });
  });
});

describe('nothing writes around the write path', () => {
  /**
   * Temporary triggers on the server's own connection record every state each replicated row passes
   * through. Every such state must have been queued in the outbox: a write that bypasses Store.write
   * (or changes a row without queueing it) leaves a state the central server would never see.
   */
  function recordRowStates(db: SqliteDatabase) {
    db.exec('CREATE TEMP TABLE row_states (seq INTEGER PRIMARY KEY, tbl TEXT, row_id TEXT, state TEXT)');
    for (const [name, table] of Object.entries(schema.replicatedTables)) {
      const cols = Object.values(getTableColumns(table)).map((c) => c.name);
      const json = `json_object(${cols.map((c) => `'${c}', NEW.${c}`).join(', ')})`;
      const rowId = name === 'clinic_settings' ? `NEW.clinic_id || ':' || NEW.key` : 'NEW.id';
      for (const event of ['INSERT', 'UPDATE']) {
        db.exec(`CREATE TEMP TRIGGER rec_${name}_${event} AFTER ${event} ON main.${name}
          BEGIN INSERT INTO row_states (tbl, row_id, state) VALUES ('${name}', ${rowId}, ${json}); END;`);
      }
    }
  }

  /** The outbox payload (drizzle field names, booleans) in the database's form, for the fields it holds. */
  function asStored(tableName: keyof typeof schema.replicatedTables, payload: Record<string, unknown>) {
    const out: Record<string, unknown> = {};
    for (const [field, col] of Object.entries(getTableColumns(schema.replicatedTables[tableName]))) {
      if (!(field in payload)) continue;
      const v = payload[field];
      out[col.name] = typeof v === 'boolean' ? Number(v) : v;
    }
    return out;
  }

  it('every state of every replicated row written during a working session is in the outbox', async () => {
    t = await startTestServer();
    const db = t.server.store.db;
    recordRowStates(db);

    const admin = await t.client().launch();
    const creds = await setUpClinic(t, admin);
    // TOTP sign-in (stores the last used TOTP step on the user).
    expect((await signIn(t, admin, creds.username, creds.password, creds.totpSecret)).status).toBe(200);
    const staff = await addStaff(t, admin, 'frank.desk', ['front_desk']);
    expect(staff.login.status).toBe(200);
    expect((await admin.call('updateUser', { params: { id: staff.user.id }, body: { fullName: 'Frank Desk' } })).status).toBe(200);
    for (let i = 0; i < 5; i++) await t.client().launch().then((c) => c.call('login', { body: { username: 'frank.desk', password: 'wrong wrong wrong' } }));
    expect((await admin.call('unlockUser', { params: { id: staff.user.id } })).status).toBe(200);
    expect((await staff.client.call('changePassword', { body: { currentPassword: staff.password, newPassword: 'a brand new passphrase 7' } })).status).toBe(200);
    expect((await admin.call('updateSecuritySettings', { body: { lockoutThreshold: 6 } })).status).toBe(200);
    const p = await admin.call('createPatient', { body: { legalFirstName: 'Ana', legalLastName: 'Silva', dateOfBirth: '1990-05-05', restricted: true } });
    expect(p.status).toBe(201);
    expect((await admin.call('emergencyAccess', { body: { patientId: p.body.id, reason: 'Urgent allergy check before surgery' } })).status).toBe(200);
    // The registry's own rows: an emergency contact, a guarantor and a coverage, each added then changed.
    const patientId = { id: p.body.id as string };
    let requestToBook = '';
    const contact = await admin.call('createEmergencyContact', { params: patientId, body: { name: 'Rui Silva', relationship: 'spouse', phone: '5125550101' } });
    expect(contact.status).toBe(201);
    expect((await admin.call('updateEmergencyContact', { params: { ...patientId, itemId: contact.body.id }, body: { phone: '5125550102' } })).status).toBe(200);
    expect((await admin.call('setGuarantor', { params: patientId, body: { relationship: 'self' } })).status).toBe(200);
    const coverage = await admin.call('createCoverage', { params: patientId, body: { priority: 'primary', payerName: 'Acme Health', memberId: 'A1', subscriberRelationship: 'self' } });
    expect(coverage.status).toBe(201);
    expect((await admin.call('updatePatient', { params: patientId, body: { phoneMobile: '512 555 0199' } })).status).toBe(200);
    // Portal messages and questionnaires: the patient's rows arrive from central (not local changes, so their
    // states are set aside); staff then read (a receipt), reply, assign, send and stop a questionnaire, and
    // review an urgent answer, each through the write path.
    {
      const store = t.server.store;
      const clinicId = store.requireClinicId();
      const at = store.nowIso();
      const [threadId, messageId, responseId] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
      const before = (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM temp.row_states').get() as { n: number }).n;
      // Message text and answers travel wrapped under the clinic's secrets key (given at enrollment).
      const key = crypto.randomBytes(32);
      store.write(systemActor, (w) => saveSecretsKey(w, encodeWrapKey(key)));
      const fromCentral = [
        { table: 'portal_threads', rowId: threadId, row: { id: threadId, clinicId, patientId: p.body.id, subject: 'Dose', assignedUserId: null, openedBy: 'patient', lastMessageAt: at, createdAt: at, updatedAt: at, deletedAt: null } },
        { table: 'portal_messages', rowId: messageId, row: { id: messageId, clinicId, threadId, patientId: p.body.id, sender: 'patient', senderUserId: null, senderName: 'Ana', body: 'With food?', sentAt: at, readByPatientAt: null, readByStaffAt: null, readByStaffUserId: null, createdAt: at, updatedAt: at, deletedAt: null } },
        { table: 'questionnaire_responses', rowId: responseId, row: { id: responseId, clinicId, patientId: p.body.id, assignmentId: threadId, instrument: 'phq9', answers: '[0,0,0,0,0,0,0,0,1]', totalScore: 1, severity: 'minimal', urgent: true, appointmentId: null, submittedAt: at, reviewedAt: null, reviewedBy: null, createdAt: at, updatedAt: at, deletedAt: null } },
      ].map((r) => ({ ...r, row: wrapRowSecrets(key, clinicId, r.table, r.rowId, r.row) }));
      store.applyRemote(() => t!.server.sync!.applier.applyInTransaction(fromCentral));
      db.prepare('DELETE FROM temp.row_states WHERE seq > ?').run(before);
      expect((await admin.call('inboxThread', { params: { threadId } })).status).toBe(200);
      expect((await admin.call('inboxReply', { params: { threadId }, body: { body: 'Yes, with breakfast.' } })).status).toBe(200);
      expect((await admin.call('inboxAssign', { params: { threadId }, body: { userId: null } })).status).toBe(200);
      expect((await admin.call('questionnaireSend', { params: { patientId: p.body.id }, body: { instrument: 'gad7', schedule: 'once' } })).status).toBe(200);
      const qs = await admin.call('patientQuestionnaires', { params: { patientId: p.body.id } });
      expect((await admin.call('questionnaireStop', { params: { patientId: p.body.id, id: qs.body.assignments[0].id } })).status).toBe(200);
      expect((await admin.call('questionnaireReview', { params: { patientId: p.body.id, id: responseId } })).status).toBe(200);
      // Portal forms: staff send an intake; the patient's submission and the change it proposes arrive from
      // central (set aside, as above); staff decide the change through the write path.
      expect((await admin.call('formSend', { params: { patientId: p.body.id }, body: { kind: 'intake' } })).status).toBe(200);
      const [submissionId, changeId] = [crypto.randomUUID(), crypto.randomUUID()];
      const sent = (await admin.call('patientForms', { params: { patientId: p.body.id } })).body;
      const formId = sent.forms[0].id as string;
      const mark = (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM temp.row_states').get() as { n: number }).n;
      const formRows = [
        { table: 'portal_form_submissions', rowId: submissionId, row: { id: submissionId, clinicId, patientId: p.body.id, formId, kind: 'intake', answers: '{}', consentId: null, consentVersion: null, consentLanguage: null, consentTitle: null, consentText: null, consentSha256: null, signedName: null, signature: null, signerIp: null, signedAt: null, submittedBy: 'patient', submittedAt: at, createdAt: at, updatedAt: at, deletedAt: null } },
        { table: 'portal_demographic_changes', rowId: changeId, row: { id: changeId, clinicId, patientId: p.body.id, submissionId, field: 'city', previousValue: JSON.stringify('Austin'), proposedValue: JSON.stringify('Round Rock'), status: 'pending', decidedBy: null, decidedAt: null, createdAt: at, updatedAt: at, deletedAt: null } },
      ].map((r) => ({ ...r, row: wrapRowSecrets(key, clinicId, r.table, r.rowId, r.row) }));
      store.applyRemote(() => t!.server.sync!.applier.applyInTransaction(formRows));
      db.prepare('DELETE FROM temp.row_states WHERE seq > ?').run(mark);
      expect((await admin.call('formChangeDecide', { params: { id: changeId }, body: { decision: 'reject' } })).status).toBe(200);
      // Appointment requests: two arrive from the portal (set aside, as above); the desk declines one here
      // and books the other with the walk-in below.
      const [declinedId, bookedId] = [crypto.randomUUID(), crypto.randomUUID()];
      const marker = (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM temp.row_states').get() as { n: number }).n;
      const requestRow = (id: string) => ({ id, clinicId, patientId: p.body.id, providerId: null, appointmentTypeId: crypto.randomUUID(), preferredDays: '["mon"]', preferredTimes: '[]', note: 'Mornings', requestedBy: 'Ana', status: 'pending', appointmentId: null, declineReason: null, decidedBy: null, decidedAt: null, createdAt: at, updatedAt: at, deletedAt: null });
      const requestRows = [declinedId, bookedId].map((id) => ({ table: 'appointment_requests', rowId: id, row: wrapRowSecrets(key, clinicId, 'appointment_requests', id, requestRow(id)) }));
      store.applyRemote(() => t!.server.sync!.applier.applyInTransaction(requestRows));
      db.prepare('DELETE FROM temp.row_states WHERE seq > ?').run(marker);
      expect((await admin.call('declineAppointmentRequest', { params: { id: declinedId }, body: { reason: 'Fully booked this month' } })).status).toBe(200);
      requestToBook = bookedId;
      // A file the patient sent arrives from central (set aside); staff mark it reviewed through the write path.
      const portalFileId = crypto.randomUUID();
      const fileMark = (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM temp.row_states').get() as { n: number }).n;
      const fileRow = { id: portalFileId, clinicId, patientId: p.body.id, purpose: 'upload', sender: 'patient', senderUserId: null, senderName: 'Pat', title: 'Lab results', contentType: 'image/jpeg', sizeBytes: 10, sha256: 'x', messageId: null, submissionId: null, uploadedAt: at, reviewedAt: null, reviewedBy: null, createdAt: at, updatedAt: at, deletedAt: null };
      store.applyRemote(() => t!.server.sync!.applier.applyInTransaction([{ table: 'portal_files', rowId: portalFileId, row: wrapRowSecrets(key, clinicId, 'portal_files', portalFileId, fileRow) }]));
      db.prepare('DELETE FROM temp.row_states WHERE seq > ?').run(fileMark);
      expect((await admin.call('portalRecordFileReview', { params: { patientId: p.body.id, fileId: portalFileId } })).status).toBe(200);
      // Health tracking: a clinician sets a weight range on the chart, then changes it (entries come from
      // the portal, at central, like the forms above).
      for (const high of ['200', '210'])
        expect((await admin.call('trackingRangeSet', { params: { patientId: p.body.id, kind: 'weight' }, body: { low: '120', high } })).status).toBe(200);
    }
    // A second device signs in with TOTP, then with a recovery code.
    const second = await t.client().launch();
    expect((await signIn(t, second, creds.username, creds.password, creds.totpSecret)).status).toBe(200);
    const third = await t.client().launch();
    await third.call('login', { body: { username: creds.username, password: creds.password } });
    expect((await third.call('loginMfa', { body: { recoveryCode: creds.recoveryCodes[0] } })).status).toBe(200);
    // A wrong TOTP code (counted against the user).
    const fourth = await t.client().launch();
    await fourth.call('login', { body: { username: creds.username, password: creds.password } });
    t.clock.advance(30_000);
    const wrong = String((Number(totpCode(creds.totpSecret, t.clock.ms)) + 1) % 1_000_000).padStart(6, '0');
    expect((await fourth.call('loginMfa', { body: { code: wrong } })).status).toBe(401);

    // Clinical documentation: chart lists, an encounter, a note signed with plan progress, an addendum, an
    // amendment request decided, templates, a signed treatment plan and a supervisor.
    const writer = await addStaff(t, admin, 'cara.clin', ['clinician']);
    const adminId = (await admin.call('session')).body.user.id as string;
    expect(
      (
        await admin.call('setSupervisor', {
          params: { clinicianId: writer.user.id },
          body: { supervisorId: adminId },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin.call('setSupervisor', {
          params: { clinicianId: writer.user.id },
          body: { supervisorId: null },
        })
      ).status,
    ).toBe(200);
    const ok = async (res: Promise<{ status: number; body: any; text: string }>) => {
      const r = await res;
      expect(r.status, r.text).toBeLessThan(300);
      return r.body;
    };
    // Tessera ships no ICD-10-CM codes: install the hand-written sample, as an administrator would CDC's file.
    installSampleCodeSet(t.server.store);
    const problem = await ok(admin.call('createProblem', { params: patientId, body: { code: 'F41.1' } }));
    await ok(admin.call('updateProblem', { params: { id: problem.id }, body: { status: 'resolved' } }));
    const allergy = await ok(
      admin.call('createAllergy', { params: patientId, body: { type: 'drug', allergen: 'Penicillin' } }),
    );
    await ok(admin.call('updateAllergy', { params: { id: allergy.id }, body: { severity: 'severe' } }));
    const med = await ok(admin.call('createMedication', { params: patientId, body: { name: 'Sertraline' } }));
    await ok(admin.call('updateMedication', { params: { id: med.id }, body: { status: 'stopped' } }));
    const vitals = await ok(admin.call('recordVitals', { params: patientId, body: { heartRate: 70 } }));
    await ok(
      admin.call('markVitalsInError', { params: { id: vitals.id }, body: { reason: 'Wrong patient' } }),
    );
    const alert = await ok(admin.call('createAlert', { params: patientId, body: { text: 'Fall risk' } }));
    await ok(admin.call('updateAlert', { params: { id: alert.id }, body: { active: false } }));
    const encounter = await ok(
      admin.call('createEncounter', {
        body: { ...{ patientId: patientId.id }, providerId: adminId, dateOfService: '2026-03-02' },
      }),
    );
    await ok(
      admin.call('setEncounterDiagnoses', { params: { id: encounter.id }, body: { codes: ['F32.A'] } }),
    );
    // Billing: a charge posted through the ledger's write path (as a closed visit's lines are), a payment
    // applied to it, taken back off it, and reversed.
    postEntries(t.server.store, { userId: adminId, username: 'admin' }, [
      { patientId: patientId.id, kind: 'charge', amountCents: 12000, serviceDate: '2026-03-02', encounterId: encounter.id },
    ]);
    const paid = await ok(
      admin.call('postPayment', { params: { patientId: patientId.id }, body: { amountCents: 2500, method: 'check', checkNumber: '1042' } }),
    );
    await ok(
      admin.call('unallocatePayment', { params: { patientId: patientId.id, allocationId: paid.allocations[0].id } }),
    );
    await ok(
      admin.call('reverseLedgerEntry', { params: { patientId: patientId.id, entryId: paid.entries[0].id }, body: { reason: 'Check returned' } }),
    );
    const template = await ok(
      admin.call('createNoteTemplate', {
        body: {
          name: 'Check-in',
          definition: {
            sections: [{ id: 's', title: 'S', fields: [{ id: 'f', label: 'F', type: 'text' }] }],
          },
        },
      }),
    );
    await ok(
      admin.call('reviseNoteTemplate', {
        params: { id: template.id },
        body: {
          baseVersion: 1,
          name: 'Check-in',
          restrictedDefault: false,
          definition: {
            sections: [{ id: 's', title: 'S', fields: [{ id: 'f', label: 'G', type: 'text' }] }],
          },
        },
      }),
    );
    const plan = await ok(
      admin.call('createTreatmentPlan', {
        params: patientId,
        body: {
          title: 'Plan',
          effectiveDate: '2026-03-02',
          structure: {
            problems: [
              {
                id: 'p1',
                text: 'Worry',
                goals: [
                  {
                    id: 'g1',
                    text: 'Less worry',
                    objectives: [{ id: 'o1', text: 'GAD-7 < 10', measure: 'GAD-7' }],
                  },
                ],
              },
            ],
          },
        },
      }),
    );
    await ok(
      admin.call('signTreatmentPlan', {
        params: { id: plan.id },
        body: { signer: 'clinician', baseRowVersion: 1 },
      }),
    );
    const freeform = (await ok(admin.call('listNoteTemplates'))).templates.find(
      (x: { key: string }) => x.key === 'freeform',
    );
    const note = await ok(
      admin.call('createNote', {
        body: { patientId: patientId.id, encounterId: encounter.id, templateId: freeform.id },
      }),
    );
    const saved = await ok(
      admin.call('saveNoteDraft', {
        params: { id: note.id },
        body: {
          baseVersion: 1,
          title: 'Note',
          content: {
            fields: { body: 'Seen.' },
            planProgress: [{ planId: plan.id, objectiveId: 'o1', rating: 'some_progress' }],
          },
        },
      }),
    );
    await ok(admin.call('signNote', { params: { id: note.id }, body: { baseVersion: saved.version } }));
    await ok(admin.call('createAddendum', { params: { id: note.id }, body: { text: 'Late entry.' } }));
    const amended = await ok(
      admin.call('createAmendmentRequest', {
        params: { id: note.id },
        body: { requestedBy: 'Patient', receivedOn: '2026-03-02', requestText: 'Fix it' },
      }),
    );
    await ok(
      admin.call('decideAmendment', {
        params: { id: amended.amendments[0].id },
        body: { decision: 'denied', reason: 'Accurate.' },
      }),
    );
    // Scheduling: set-up, hours replaced, a block added and removed, a series split, a waitlist entry, and
    // today's visit stepped forward and back.
    const location = await ok(admin.call('createLocation', { body: { name: 'Main' } }));
    await ok(admin.call('updateLocation', { params: { id: location.id }, body: { address: '1 Main St' } }));
    const room = await ok(admin.call('createRoom', { body: { locationId: location.id, name: 'Exam 1' } }));
    await ok(admin.call('updateRoom', { params: { id: room.id }, body: { name: 'Exam A' } }));
    const type = await ok(
      admin.call('createAppointmentType', { body: { name: 'Visit', durationMinutes: 30, color: '#2f8a57' } }),
    );
    await ok(admin.call('updateAppointmentType', { params: { id: type.id }, body: { durationMinutes: 30 } }));
    // Billing set-up and a visit's charges (fees): codes, fees, place-of-service rules, type defaults, the
    // payment policy and an answer to it, lines added, edited, posted on close and one reversed.
    const code = await ok(admin.call('createServiceCode', { body: { code: '90834', description: 'Psychotherapy' } }));
    await ok(admin.call('updateServiceCode', { params: { id: code.id }, body: { defaultMinutes: 45 } }));
    const fee = await ok(admin.call('createFee', { body: { serviceCodeId: code.id, scope: 'practice', amountCents: 15000 } }));
    await ok(admin.call('updateFee', { params: { id: fee.id }, body: { amountCents: 16000 } }));
    const scale = await ok(
      admin.call('createFee', {
        body: { serviceCodeId: code.id, scope: 'patient', patientId: patientId.id, amountCents: 4000, endsOn: '2026-12-31' },
      }),
    );
    await ok(admin.call('removeFee', { params: { id: scale.id } }));
    const rule = await ok(admin.call('createPosRule', { body: { modality: 'audio_only', placeOfService: '02' } }));
    await ok(admin.call('updatePosRule', { params: { id: rule.id }, body: { modifiers: ['93'] } }));
    await ok(admin.call('removePosRule', { params: { id: rule.id } }));
    await ok(admin.call('setTypeCodes', { params: { id: type.id }, body: { codes: [{ serviceCodeId: code.id, units: 1 }] } }));
    await ok(admin.call('setTypeCodes', { params: { id: type.id }, body: { codes: [{ serviceCodeId: code.id, units: 2 }] } }));
    const drafted = await ok(admin.call('addChargeLine', { params: { id: encounter.id }, body: { serviceCodeId: code.id } }));
    const lineId = drafted.lines[0].id as string;
    await ok(admin.call('updateChargeLine', { params: { id: encounter.id, lineId }, body: { units: 2 } }));
    await ok(admin.call('setEncounterModality', { params: { id: encounter.id }, body: { modality: 'telehealth_home' } }));
    await ok(admin.call('closeVisit', { params: { id: encounter.id } }));
    // Claims (docs/claims.md): set-up, a claim from the closed visit, a batch, its 999, an ERA denying the
    // line, and the denial billed to the patient (so the payment policy below still sees the visit owed).
    const acme = await ok(
      admin.call('createClaimPayer', {
        body: { name: 'Acme Health', clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: '60054' }], claimFilingIndicator: 'CI', claimEnrollment: 'enrolled', eraEnrollment: 'enrolled', timelyFilingDays: 365 },
      }),
    );
    await ok(admin.call('updateClaimPayer', { params: { id: acme.id }, body: { name: 'Acme Health', clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: '60054' }], claimFilingIndicator: 'CI', claimEnrollment: 'enrolled', eraEnrollment: 'enrolled', timelyFilingDays: 180 } }));
    await ok(
      admin.call('saveBillingProvider', {
        body: { organizationName: 'Harbor', npi: '1234567893', taxId: '12-3456789', taxonomy: '101YM0800X', address: { line1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '627011234' }, payToAddress: null, contactName: 'Office', contactPhone: '5550102000' },
      }),
    );
    for (const p of (await ok(admin.call('listRenderingProviders'))).providers)
      await ok(admin.call('saveRenderingProvider', { params: { userId: p.userId }, body: { npi: '9876543213', taxonomy: '103T00000X' } }));
    await ok(admin.call('saveClearinghouse', { body: { name: 'Office Ally', senderId: 'TESSERA01', receiverId: 'OFFALLY', usage: 'T' } }));
    await ok(admin.call('updatePatient', { params: patientId, body: { addressLine1: '12 Elm St', city: 'Springfield', state: 'IL', postalCode: '62704' } }));
    const made = await ok(admin.call('createClaims', { body: { encounterId: encounter.id } }));
    expect(made.claims).toHaveLength(1);
    const batch = await ok(admin.call('buildClaimBatch', { body: {} }));
    await ok(admin.call('importClaimAck', { body: { name: 'a.999', content: ack999({ control: 900, group: batch.interchangeControlNumber, accepted: true }) } }));
    const sent = await ok(admin.call('getClaim', { params: { id: made.claims[0].id } }));
    const denied = sent.lines.map((l: { code: string; chargeCents: number }) => ({ code: l.code, chargeCents: l.chargeCents, paidCents: 0, cas: [['CO', '197', l.chargeCents]] as [string, string, number][] }));
    const charge = denied.reduce((a: number, l: { chargeCents: number }) => a + l.chargeCents, 0);
    const era = await ok(
      admin.call('importEra', {
        body: { name: 'a.835', content: era835({ control: 901, trace: 'EFT901', claims: [{ pcn: sent.claim.patientControlNumber, status: '4', chargeCents: charge, paidCents: 0, lines: denied }] }) },
      }),
    );
    expect(era.payments[0].status).toBe('posted');
    const denials = await ok(admin.call('listDenials'));
    await ok(admin.call('workDenial', { params: { id: denials.groups[0].items[0].postingId }, body: { action: 'billed_patient' } }));
    // A 999 central fetched from the clearinghouse arrives as a row from central (set aside, as above); this
    // workstation imports it and records the outcome on that row through the write path.
    {
      const store = t.server.store;
      const at = store.nowIso();
      const id = crypto.randomUUID();
      const content = ack999({ control: 902, group: batch.interchangeControlNumber, accepted: true });
      const row = { id, clinicId: store.requireClinicId(), kind: 'x999', name: 'b.999', sha256: 'f'.repeat(64), content, transport: 'sftp', receivedAt: at, importedAt: null, importedByDevice: null, fileId: null, importError: null, createdAt: at, updatedAt: at, deletedAt: null };
      const before = (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM temp.row_states').get() as { n: number }).n;
      store.applyRemote(() => t!.server.sync!.applier.applyInTransaction([{ table: 'claim_inbound_files', rowId: id, row }]));
      db.prepare('DELETE FROM temp.row_states WHERE seq > ?').run(before);
      const pulled = store.orm.select().from(schema.claimInboundFiles).where(eq(schema.claimInboundFiles.id, id)).get()!;
      expect(importInboundFile(store, pulled, 'this-workstation')).toHaveProperty('fileId');
    }
    await ok(admin.call('reverseChargeLine', { params: { id: encounter.id, lineId }, body: { reason: 'Wrong units' } }));
    const policy = { atVisitStart: true, atNoteSigning: true, toleranceCents: 0, insuranceClears: false };
    await ok(admin.call('updatePaymentPolicy', { body: { mode: 'warn', ...policy } }));
    await ok(
      admin.call('answerPaymentPolicy', { body: { encounterId: encounter.id, point: 'sign_note', kind: 'acknowledge' } }),
    );
    await ok(admin.call('updatePaymentPolicy', { body: { mode: 'off', ...policy } }));
    const provider = await ok(
      admin.call('createProvider', { body: { userId: writer.user.id, color: '#0b5cad' } }),
    );
    await ok(admin.call('updateProvider', { params: { id: provider.id }, body: { credentials: 'LCSW' } }));
    const week = (start: string) =>
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ locationId: location.id, weekday, start, end: '17:00' }));
    await ok(admin.call('setProviderHours', { params: { id: provider.id }, body: { hours: week('09:00') } }));
    await ok(admin.call('setProviderHours', { params: { id: provider.id }, body: { hours: week('08:00') } }));
    const block = await ok(
      admin.call('createBlock', {
        body: {
          providerId: provider.id,
          kind: 'meeting',
          startsAt: '2030-01-07T18:00:00Z',
          endsAt: '2030-01-07T19:00:00Z',
        },
      }),
    );
    await ok(admin.call('removeBlock', { params: { id: block.id } }));
    const booking = {
      patientId: patientId.id,
      providerId: provider.id,
      appointmentTypeId: type.id,
      locationId: location.id,
    };
    const series = await ok(
      admin.call('createAppointment', {
        body: { ...booking, startsAt: '2030-01-07T15:00:00Z', recurrence: { frequency: 'weekly', count: 3 } },
      }),
    );
    const seriesRows = db
      .prepare('SELECT id FROM appointments WHERE series_id = ? ORDER BY starts_at')
      .all(series.series.id) as { id: string }[];
    await ok(
      admin.call('updateAppointment', {
        params: { id: seriesRows[1]!.id },
        body: { startsAt: '2030-01-14T16:00:00Z', scope: 'following' },
      }),
    );
    await ok(
      admin.call('cancelAppointment', { params: { id: seriesRows[0]!.id }, body: { reason: 'Unwell' } }),
    );
    const entry = await ok(
      admin.call('createWaitlistEntry', { body: { patientId: patientId.id, providerId: provider.id } }),
    );
    await ok(
      admin.call('removeWaitlistEntry', { params: { id: entry.id }, body: { reason: 'no_longer_needed' } }),
    );
    const visit = await ok(
      admin.call('createAppointment', {
        body: {
          ...booking,
          startsAt: new Date(Math.floor(t.clock.ms / 60_000) * 60_000).toISOString(),
          override: { reason: 'Walk-in seen now' },
          appointmentRequestId: requestToBook,
        },
      }),
    );
    await ok(
      admin.call('changeVisitStatus', { params: { id: visit.appointment.id }, body: { to: 'arrived' } }),
    );
    await ok(admin.call('undoVisitStatus', { params: { id: visit.appointment.id } }));
    // Eligibility (docs/claims.md): the day's 270 for the walk-in's coverage, and the 271 answering it.
    const day = DateTime.fromISO(visit.appointment.startsAt as string).setZone(visit.appointment.timeZone as string).toISODate()!;
    const asked = await ok(admin.call('buildEligibilityRequest', { body: { date: day } }));
    expect(asked.inquiries).toBe(1);
    const trace = (db.prepare('SELECT id FROM eligibility_checks').get() as { id: string }).id;
    const answer = fs.readFileSync(path.resolve(__dirname, '../../fixtures/claims/eligibility-active.271'), 'utf8').replace('APPT-0001', trace);
    expect((await ok(admin.call('importEligibilityResponse', { body: { name: 'a.271', content: answer } }))).answered).toBe(1);
    // Sync: a row from central that clashes with one made here lands in the conflict inbox through the
    // write path (rows stored from central are not local changes; that entry is), and resolving it is too.
    const server = t.server;
    const here = server.store.orm.select().from(schema.users).get()!;
    const clashing = { ...here, id: crypto.randomUUID() };
    server.store.applyRemote(() =>
      server.sync!.applier.applyInTransaction([{ table: 'users', rowId: clashing.id, row: clashing }]),
    );
    const inbox = await ok(admin.call('syncConflicts', { query: { status: 'open' } }));
    expect(inbox.conflicts.map((c: { kind: string }) => c.kind)).toEqual(['apply_failed']);
    await ok(admin.call('syncResolveConflict', { params: { id: inbox.conflicts[0].id }, body: { action: 'acknowledge' } }));

    expect((await admin.call('logout')).status).toBeLessThan(300);

    const states = db.prepare('SELECT tbl, row_id, state FROM temp.row_states ORDER BY seq').all() as { tbl: string; row_id: string; state: string }[];
    const queued = outbox(db).map((e) => ({ ...e, stored: asStored(e.table_name as never, JSON.parse(e.payload)) }));
    // The session really touched every kind of replicated row a workstation writes (telehealth visit records
    // are written by central only and arrive through applyRemote, never through the outbox; so are the forms
    // patients submit in the portal and their health tracking entries).
    const centralOnly: readonly string[] = [...TELEHEALTH_TABLES, 'portal_form_submissions', 'tracking_entries', 'medication_adherence'];
    expect(new Set(states.map((s) => s.tbl))).toEqual(
      new Set(Object.keys(schema.replicatedTables).filter((t) => !centralOnly.includes(t))),
    );
    expect(states.filter((s) => s.tbl === 'users').length).toBeGreaterThan(10);

    const missing = states.filter((s) => {
      const state = JSON.parse(s.state) as Record<string, unknown>;
      return !queued.some(
        (q) => q.table_name === s.tbl && q.row_id === s.row_id && Object.entries(q.stored).every(([k, v]) => state[k] === v),
      );
    });
    expect(missing.map((m) => ({ table: m.tbl, row: m.row_id, state: JSON.parse(m.state) }))).toEqual([]);
  });
});

describe('audit log', () => {
  it('refuses UPDATE, DELETE and REPLACE of entries, by any route', () => {
    const { store, db } = freshStore();
    for (let i = 0; i < 3; i++) store.audit(actor, { action: 'patient.read', detail: { i } });
    const before = db.prepare('SELECT * FROM audit_log ORDER BY seq').all();
    const attempts = [
      `UPDATE audit_log SET detail = '{}' WHERE seq = 2`,
      `UPDATE audit_log SET outcome = 'failure'`,
      `DELETE FROM audit_log WHERE seq = 2`,
      `DELETE FROM audit_log`,
      `INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log WHERE seq = 2`,
      `REPLACE INTO audit_log (seq, id, clinic_id, at, action, outcome, workstation_id, detail, prev_hash, hash)
         VALUES (2, 'forged', 'c', 'now', 'patient.read', 'success', 'w', '{}', 'p', 'h')`,
      `INSERT INTO audit_log SELECT * FROM audit_log WHERE seq = 2 ON CONFLICT (seq) DO UPDATE SET detail = '{"forged":true}'`,
    ];
    for (const sql of attempts) expect(() => db.exec(sql), sql).toThrow('audit log is append-only');
    // Through the ORM and inside a Store.write the triggers hold too, and take the write down with them.
    expect(() =>
      store.write(actor, (w) => {
        w.audit({ action: 'patient.read' });
        w.orm.update(schema.auditLog).set({ detail: '{}' }).run();
      }),
    ).toThrow('audit log is append-only');
    expect(() => store.write(actor, (w) => w.orm.delete(schema.auditLog).run())).toThrow('audit log is append-only');
    expect(db.prepare('SELECT * FROM audit_log ORDER BY seq').all()).toEqual(before);
    expect(verifyAuditLog(store)).toEqual({ ok: true, checked: 3, problems: [] });
  });

  it('the hash chain verifies after many writes, with rolled-back writes leaving no gap, and after reopening', () => {
    const { store, db, file, key } = freshStore();
    const rows: string[] = [];
    let expectedEntries = 0;
    for (let i = 0; i < 300; i++) {
      if (i % 7 === 3) {
        expect(() =>
          store.write(actor, (w) => {
            w.audit({ action: 'patient.update', detail: { i } });
            throw new Error('rolled back');
          }),
        ).toThrow('rolled back');
      } else if (i % 3 === 0) {
        const row = patientRow(store);
        rows.push(row.id);
        store.write(actor, (w) => {
          w.insert('patients', row);
          w.audit({ action: 'patient.create', patientId: row.id });
          w.audit({ action: 'patient.read', patientId: row.id, detail: { via: 'create' } });
        });
        expectedEntries += 2;
      } else if (i % 3 === 1 && rows.length) {
        const id = rows[i % rows.length]!;
        store.write({ userId: null, username: `user ${i}` }, (w) => {
          w.update('patients', id, { legalLastName: `Name ${i} "quoted" ✓`, updatedAt: store.nowIso() });
          w.audit({ action: 'patient.update', patientId: id, outcome: i % 2 ? 'success' : 'failure', detail: { fields: ['legalLastName'], i } });
        });
        expectedEntries++;
      } else {
        store.audit(systemActor, { action: 'access.denied', outcome: 'denied', detail: { endpoint: 'GET /api/audit', n: i } });
        expectedEntries++;
      }
    }
    const result = verifyAuditLog(store);
    expect(result).toEqual({ ok: true, checked: expectedEntries, problems: [] });
    const seqs = (db.prepare('SELECT seq FROM audit_log ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: expectedEntries }, (_, i) => i + 1));
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(store.auditHead()).toEqual(last);
    // Each audit entry was queued once, in chain order.
    const queuedAudit = outbox(db).filter((e) => e.table_name === 'audit_log').map((e) => JSON.parse(e.payload).seq);
    expect(queuedAudit).toEqual(seqs);

    db.close();
    const reopened = openDatabase(file, key);
    open.push(reopened);
    const again = new Store(reopened);
    expect(verifyAuditLog(again)).toEqual(result);
    again.audit(actor, { action: 'patient.read' });
    expect(verifyAuditLog(again)).toMatchObject({ ok: true, checked: expectedEntries + 1 });

    // The check is not vacuous: an edit made with the trigger out of the way is found.
    reopened.exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET username = 'someone else' WHERE seq = 100`);
    expect(verifyAuditLog(again)).toMatchObject({ ok: false, problems: [{ seq: 100, problem: expect.stringMatching(/altered/) }] });
  });
});
