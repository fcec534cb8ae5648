import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../../server/contracts/api';
import { consents } from '../../../server/contracts/forms/consents';
import { pdfText } from '../clinical/pdf-text';
import { signaturePng } from '../../support/signature-png';
import { centralQuery, waitFor } from '../../support/sync';
import { PortalBrowser, setUpPatient, startPortalStack, type PortalStack } from '../../support/portal';

/**
 * Portal forms through the real APIs: staff send the intake and a consent from the record; the patient
 * sees them after replication, the intake prefilled from the record. A blank intake or an empty signature
 * box is refused with the field to fill, storing nothing. A sent intake proposes demographic changes that
 * wait in the workstation's review queue: nothing on the record changes until staff accept a field, and
 * a rejected field never does. A signed consent keeps the exact text, the typed name, the drawn signature,
 * the time and the address, and the workstation gives it as the same PDF every time. Patient B can
 * neither see nor send A's forms; a workstation cannot forge a submission.
 */

let stack: PortalStack;
let a: PortalBrowser;
let b: PortalBrowser;
let intakeId: string;
let consentId: string;

const sync = () => stack.workstation.sync.syncNow();
const formActions = () =>
  stack.workstation.t.server.store.db
    .prepare(`SELECT action, patient_id AS patientId FROM audit_log WHERE action LIKE 'form.%' ORDER BY seq`)
    .all() as { action: string; patientId: string | null }[];

const intake = {
  demographics: {
    firstNameToUse: '',
    addressLine1: '12 Elm Street',
    addressLine2: '',
    city: 'Austin',
    state: 'TX',
    postalCode: '78701',
    phoneMobile: '(512) 555-0142',
    phoneHome: '',
    email: 'jordan@example.org',
  },
  emergencyContact: { name: 'Ana Rivera', relationship: 'sibling', phone: '512 555 0199' },
  history: {
    reason: 'Trouble sleeping for two months',
    takesMedicines: 'yes',
    medicines: 'Melatonin 3 mg at night',
    hasAllergies: 'no',
    allergies: '',
    priorCounseling: 'no',
    otherHistory: '',
  },
};

beforeAll(async () => {
  stack = await startPortalStack();
  a = (await setUpPatient(stack, 'jordan@example.org', 'a')).browser;
  b = (await setUpPatient(stack, 'sam@example.org', 'b')).browser;
  const update = await stack.client.call('updatePatient', {
    params: { id: stack.patients.a },
    body: { city: 'Round Rock', state: 'TX', email: 'jordan@example.org' },
  });
  expect(update.status, update.text).toBe(200);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('sending forms', () => {
  it('staff send the intake and a consent from the record; the patient sees them after replication', async () => {
    const none = await a.call('GET', '/v1/portal/forms');
    expect(none.body).toEqual({ due: [], done: [] });
    for (const body of [{ kind: 'intake' }, { kind: 'consent', consentId: 'treatment' }] as const) {
      const r = await stack.client.call('formSend', { params: { patientId: stack.patients.a }, body });
      expect(r.status, r.text).toBe(200);
    }
    const twice = await stack.client.call('formSend', {
      params: { patientId: stack.patients.a },
      body: { kind: 'intake' },
    });
    expect(twice.status).toBe(409);
    const noConsent = await stack.client.call('formSend', {
      params: { patientId: stack.patients.a },
      body: { kind: 'consent' },
    });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.fields.consentId).toMatch(/Choose which consent/);
    await sync();
    const due = await waitFor('the forms in the portal', async () => {
      const r = await a.call('GET', '/v1/portal/forms');
      return r.body?.due?.length === 2 ? r.body : null;
    });
    intakeId = due.due.find((f: { kind: string }) => f.kind === 'intake').id;
    consentId = due.due.find((f: { kind: string }) => f.kind === 'consent').id;
    expect(due.due.find((f: { kind: string }) => f.kind === 'consent').consentId).toBe('treatment');
    expect((await b.call('GET', '/v1/portal/forms')).body.due).toEqual([]);
  });

  it('the intake opens prefilled from the record; B cannot open it', async () => {
    const r = await a.call('GET', `/v1/portal/forms/${intakeId}`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({
      kind: 'intake',
      clinicName: 'Riverside Family Practice',
      demographics: { city: 'Round Rock', state: 'TX', email: 'jordan@example.org', phoneMobile: null },
    });
    expect((await b.call('GET', `/v1/portal/forms/${intakeId}`)).status).toBe(404);
    const anon = await new PortalBrowser(stack.central.url).call('GET', `/v1/portal/forms/${intakeId}`);
    expect(anon.status).toBe(401);
  });
});

describe('intake', () => {
  it('refuses a blank intake with a sentence per field, storing nothing', async () => {
    const blank = await a.call('POST', `/v1/portal/forms/${intakeId}/intake`, {
      demographics: intake.demographics,
      emergencyContact: { name: '', relationship: '', phone: '' },
      history: {
        reason: '',
        takesMedicines: '',
        medicines: '',
        hasAllergies: 'yes',
        allergies: '',
        priorCounseling: '',
        otherHistory: '',
      },
    });
    expect(blank.status).toBe(400);
    expect(blank.body.error.fields).toMatchObject({
      'emergencyContact.name': 'Write the name of someone we can call.',
      'emergencyContact.relationship': 'Choose how this person is related to you.',
      'history.reason': 'Tell us why you are coming in.',
      'history.takesMedicines': 'Answer yes or no.',
    });
    const still = await a.call('GET', '/v1/portal/forms');
    expect(still.body.due).toHaveLength(2);
    expect(still.body.done).toEqual([]);
  });

  it('B cannot send A’s intake', async () => {
    const r = await b.call('POST', `/v1/portal/forms/${intakeId}/intake`, intake);
    expect(r.status).toBe(404);
  });

  it('sends the intake: answers kept encrypted at central, changed fields proposed for review', async () => {
    const r = await a.call('POST', `/v1/portal/forms/${intakeId}/intake`, intake);
    expect(r.status, r.text).toBe(200);
    const again = await a.call('POST', `/v1/portal/forms/${intakeId}/intake`, intake);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already sent this form/);
    const stored = await centralQuery<{ table: string; data: Record<string, unknown> }>(
      stack.central,
      `SELECT table_name AS table, data FROM tessera.replica_rows
        WHERE table_name IN ('portal_form_submissions', 'portal_demographic_changes')`,
    );
    expect(stored.filter((s) => s.table === 'portal_demographic_changes')).toHaveLength(5);
    const text = JSON.stringify(stored);
    for (const secret of ['Melatonin', 'Elm Street', 'Ana Rivera', '5125550142'])
      expect(text).not.toContain(secret);
  });

  it('the changes wait in the review queue; the record is unchanged until staff decide', async () => {
    await sync();
    const queue = await waitFor('the changes in the review queue', async () => {
      const r = await stack.client.call('formChanges');
      return r.body?.changes?.length === 5 ? r.body : null;
    });
    const byField = Object.fromEntries(queue.changes.map((c: { field: string }) => [c.field, c]));
    expect(Object.keys(byField).sort()).toEqual(
      ['addressLine1', 'city', 'emergencyContact', 'phoneMobile', 'postalCode'].sort(),
    );
    expect(byField.city).toMatchObject({
      patientName: 'Jordan Rivera',
      previous: 'Round Rock',
      proposed: 'Austin',
      current: 'Round Rock',
      status: 'pending',
      hidden: false,
    });
    expect(byField.phoneMobile.proposed).toBe('5125550142');
    expect(byField.emergencyContact.contact).toEqual({
      name: 'Ana Rivera',
      relationship: 'sibling',
      phone: '5125550199',
    });
    const patient = await stack.client.call('getPatient', { params: { id: stack.patients.a } });
    expect(patient.body.city).toBe('Round Rock');
    expect(patient.body.phoneMobile).toBeNull();

    const accept = await stack.client.call('formChangeDecide', {
      params: { id: byField.phoneMobile.id },
      body: { decision: 'accept' },
    });
    expect(accept.status, accept.text).toBe(200);
    expect(accept.body).toMatchObject({
      status: 'accepted',
      current: '5125550142',
      decidedByName: expect.any(String),
    });
    const reject = await stack.client.call('formChangeDecide', {
      params: { id: byField.city.id },
      body: { decision: 'reject' },
    });
    expect(reject.body.status).toBe('rejected');
    const contact = await stack.client.call('formChangeDecide', {
      params: { id: byField.emergencyContact.id },
      body: { decision: 'accept' },
    });
    expect(contact.status, contact.text).toBe(200);
    const twice = await stack.client.call('formChangeDecide', {
      params: { id: byField.city.id },
      body: { decision: 'accept' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/already rejected/);

    const after = await stack.client.call('getPatient', { params: { id: stack.patients.a } });
    expect(after.body.phoneMobile).toBe('5125550142');
    expect(after.body.city).toBe('Round Rock');
    expect(after.body.emergencyContacts).toEqual([
      expect.objectContaining({ name: 'Ana Rivera', relationship: 'sibling', phone: '5125550199' }),
    ]);
    const left = await stack.client.call('formChanges');
    expect(left.body.changes.map((c: { field: string }) => c.field).sort()).toEqual([
      'addressLine1',
      'postalCode',
    ]);
    const actions = formActions().map((x) => x.action);
    expect(actions).toEqual(
      expect.arrayContaining(['form.send', 'form.change_accept', 'form.change_reject']),
    );
    const updates = stack.workstation.t.server.store.db
      .prepare(
        `SELECT detail FROM audit_log WHERE action = 'patient.update' AND patient_id = ? ORDER BY seq DESC LIMIT 2`,
      )
      .all(stack.patients.a) as { detail: string }[];
    expect(updates.map((u) => u.detail).join()).toContain('phoneMobile');

    await sync();
    const decided = await centralQuery<{ status: string }>(
      stack.central,
      `SELECT data->>'status' AS status FROM tessera.replica_rows WHERE row_id = $1`,
      [byField.city.id],
    );
    expect(decided[0]?.status).toBe('rejected');
  });

  it('the record shows the answers and the changes with their decisions', async () => {
    const r = await stack.client.call('patientForms', { params: { patientId: stack.patients.a } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.forms.find((f: { kind: string }) => f.kind === 'intake').status).toBe('completed');
    const sent = r.body.submissions.find((s: { kind: string }) => s.kind === 'intake');
    expect(sent.intake.history).toMatchObject({
      reason: 'Trouble sleeping for two months',
      takesMedicines: 'yes',
    });
    expect(sent.submittedBy).toBe('Jordan');
    expect(r.body.changes).toHaveLength(5);
  });
});

describe('consent with e-signature', () => {
  const version = consents.treatment.version;
  const good = () => ({
    signedName: 'Jordan Rivera',
    signature: signaturePng(true),
    language: 'en',
    agree: true,
    consentVersion: version,
  });

  it('refuses an empty signature box, a missing name or agreement, and an old version, storing nothing', async () => {
    const empty = await a.call('POST', `/v1/portal/forms/${consentId}/consent`, {
      ...good(),
      signature: signaturePng(false),
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields.signature).toBe('Draw your signature in the box.');
    const blank = await a.call('POST', `/v1/portal/forms/${consentId}/consent`, {
      ...good(),
      signedName: ' ',
      agree: false,
    });
    expect(blank.status).toBe(400);
    expect(blank.body.error.fields.signedName).toBe('Type your full name to sign.');
    expect(blank.body.error.fields.agree).toMatch(/Check the box/);
    const old = await a.call('POST', `/v1/portal/forms/${consentId}/consent`, {
      ...good(),
      consentVersion: version + 1,
    });
    expect(old.status).toBe(409);
    expect((await b.call('POST', `/v1/portal/forms/${consentId}/consent`, good())).status).toBe(404);
    expect((await a.call('GET', '/v1/portal/forms')).body.due).toHaveLength(1);
  });

  it('signs in Spanish: the exact text, name, signature, time and address are kept', async () => {
    const r = await a.call('POST', `/v1/portal/forms/${consentId}/consent`, { ...good(), language: 'es' });
    expect(r.status, r.text).toBe(200);
    const list = await a.call('GET', '/v1/portal/forms');
    expect(list.body.due).toEqual([]);
    expect(list.body.done.map((d: { kind: string }) => d.kind).sort()).toEqual(['consent', 'intake']);
    await sync();
    const forms = await waitFor('the signed consent on the record', async () => {
      const x = await stack.client.call('patientForms', { params: { patientId: stack.patients.a } });
      return x.body?.submissions?.some((s: { kind: string }) => s.kind === 'consent') ? x.body : null;
    });
    const signed = forms.submissions.find((s: { kind: string }) => s.kind === 'consent');
    expect(signed.consent).toMatchObject({
      title: 'Consentimiento para el tratamiento',
      version,
      language: 'es',
      signedName: 'Jordan Rivera',
    });
    const row = stack.workstation.t.server.store.db
      .prepare(
        `SELECT consent_text AS text, consent_sha256 AS sha, signer_ip AS ip, signature FROM portal_form_submissions WHERE id = ?`,
      )
      .get(signed.id) as { text: string; sha: string; ip: string; signature: string };
    expect(row.text).toContain('Acepto recibir atención de Riverside Family Practice');
    expect(row.sha).toMatch(/^[0-9a-f]{64}$/);
    expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(row.signature).toBe(good().signature);

    const path = api.formConsentPdf.path.replace(':patientId', stack.patients.a).replace(':id', signed.id);
    const first = await stack.client.raw('GET', path);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/pdf');
    expect(first.headers.get('content-disposition')).not.toMatch(/Jordan|Rivera/);
    const pdf = Buffer.from(await first.arrayBuffer());
    const text = pdfText(pdf);
    expect(text).toContain('Consentimiento para el tratamiento');
    expect(text).toContain('Jordan Rivera');
    expect(text).toContain(row.sha);
    const second = Buffer.from(await (await stack.client.raw('GET', path)).arrayBuffer());
    expect(second.equals(pdf)).toBe(true);
    expect(formActions().filter((x) => x.action === 'form.export')).toHaveLength(2);
  });

  it('a workstation cannot forge a submission or a proposed change', async () => {
    const store = stack.workstation.t.server.store;
    const forged = '0190f000-0000-7000-8000-00000000f0f1';
    const at = new Date().toISOString();
    store.write({ userId: stack.adminUserId, username: 'ada.admin' }, (w) =>
      w.insert('portal_demographic_changes', {
        id: forged,
        clinicId: store.requireClinicId(),
        patientId: stack.patients.a,
        submissionId: forged,
        field: 'email',
        previousValue: 'null',
        proposedValue: '"someone@example.org"',
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      }),
    );
    await sync();
    const rows = await centralQuery(
      stack.central,
      `SELECT 1 FROM tessera.replica_rows WHERE table_name = 'portal_demographic_changes' AND row_id = $1`,
      [forged],
    );
    expect(rows).toEqual([]);
    const conflicts = await centralQuery<{ message: string }>(
      stack.central,
      `SELECT data->>'message' AS message FROM tessera.replica_rows
        WHERE table_name = 'sync_conflicts' AND data->>'rowId' = $1`,
      [forged],
    );
    expect(conflicts[0]?.message).toMatch(/come from the patient in the portal only/);
  });
});
