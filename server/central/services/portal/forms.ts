import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import {
  EMERGENCY_CONTACT_FIELD,
  intakeDemographicFields,
  type IntakeDemographics,
  type PortalDemographicChangeRow,
  type PortalFormRow,
  type PortalFormSubmissionRow,
  type EmergencyContactAnswer,
  type IntakeHistory,
} from '../../../contracts/forms';
import { consents, consentText } from '../../../contracts/forms/consents';
import type { Row } from '../../../domain/sync/policies';
import { AppError, fieldError } from '../../../platform/errors';
import type { Tx } from '../../db/pool';
import { decryptRow } from '../replication/row-store';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { patientRows, requireScope, senderNameOf, writeRows } from './replica';
import { fileInserts, prepareFile } from './files';
import { signatureHasInk } from './signature';

/**
 * Forms on the portal's side (issue 11): which forms the clinic asks for now, the intake prefilled from the
 * patient's record, and what the patient sends, written as replicated changes the workstations pull.
 * - Intake: the answers (emergency contact, history) are kept with the submission; each demographic field
 *   that differs from the record, and an emergency contact the record does not have, becomes a pending
 *   change for staff to accept or reject. Nothing here changes the patient record itself.
 * - Consent: the current version of the clinic's text in the patient's language, the typed name, the drawn
 *   signature (refused when the box is empty), the time and the address it came from; the exact text and
 *   its SHA-256 are kept with the signature, so the workstation's PDF shows what was signed.
 * A blank or incomplete form is refused with the field to fill (the zod contract, and the empty signature
 * box here); a form already sent cannot be sent twice.
 */

type Form = PortalFormRow & { id: string };
type Submission = PortalFormSubmissionRow & { id: string };

const notFound = () => new AppError(404, 'form_not_found', 'That form was not found.');
const NOT_SAVED = 'Your form could not be saved right now. Please try again, or call the clinic.';

async function clinicName(tx: Tx, clinicId: string): Promise<string> {
  const c = await tx.query<{ name: string }>('SELECT name FROM clinics WHERE id = $1', [clinicId]);
  return c.rows[0]?.name ?? '';
}

/** The patient's registration row (decrypted), always the session's patient. */
async function patientRecord(accounts: PortalAccounts, tx: Tx, caller: PortalCaller): Promise<Row> {
  const r = await tx.query<{ data: Row }>(
    `SELECT data FROM replica_rows WHERE clinic_id = $1 AND table_name = 'patients' AND row_id = $2`,
    [caller.clinicId, caller.patientId],
  );
  const data = r.rows[0]?.data;
  if (!data) throw notFound();
  return decryptRow(accounts.deps.cipher, caller.clinicId, 'patients', caller.patientId, data);
}

async function openForm(accounts: PortalAccounts, tx: Tx, caller: PortalCaller, id: string): Promise<Form> {
  const [form] = await patientRows<Form>(accounts, tx, caller, 'portal_forms', {
    where: 'row_id = $4',
    args: [id],
  });
  if (!form) throw notFound();
  return form;
}

async function refuseUnlessActive(
  accounts: PortalAccounts,
  tx: Tx,
  caller: PortalCaller,
  form: Form,
  action: 'form.read' | 'form.submit' | 'consent.sign',
) {
  if (form.status === 'active') return;
  await accounts.record(tx, callerRow(caller), action, 'refused');
  throw form.status === 'cancelled'
    ? new AppError(409, 'form_not_requested', 'The clinic no longer asks for this form. Nothing was sent.')
    : new AppError(409, 'already_sent', 'You already sent this form. Thank you.');
}

export async function listForms(accounts: PortalAccounts, caller: PortalCaller) {
  requireScope(caller, 'forms');
  return accounts.tx(caller.clinicId, async (tx) => {
    const forms = await patientRows<Form>(accounts, tx, caller, 'portal_forms');
    const submissions = await patientRows<Submission>(accounts, tx, caller, 'portal_form_submissions');
    await accounts.record(tx, callerRow(caller), 'forms.list');
    return {
      due: forms
        .filter((f) => f.status === 'active')
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((f) => ({ id: f.id, kind: f.kind, consentId: f.consentId, sentAt: f.createdAt })),
      done: submissions
        .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))
        .map((s) => ({ id: s.id, kind: s.kind, consentId: s.consentId, submittedAt: s.submittedAt })),
    };
  });
}

export async function readForm(accounts: PortalAccounts, caller: PortalCaller, id: string) {
  requireScope(caller, 'forms');
  return accounts.tx(caller.clinicId, async (tx) => {
    const form = await openForm(accounts, tx, caller, id);
    await refuseUnlessActive(accounts, tx, caller, form, 'form.read');
    const patient = form.kind === 'intake' ? await patientRecord(accounts, tx, caller) : null;
    await accounts.record(tx, callerRow(caller), 'form.read');
    return {
      id: form.id,
      kind: form.kind,
      clinicName: await clinicName(tx, caller.clinicId),
      consentId: form.consentId,
      consentVersion: form.consentId ? consents[form.consentId].version : null,
      demographics: patient
        ? Object.fromEntries(intakeDemographicFields.map((f) => [f, (patient[f] as string | null) ?? null]))
        : null,
    };
  });
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

function changeRow(
  caller: PortalCaller,
  submissionId: string,
  field: PortalDemographicChangeRow['field'],
  previous: unknown,
  proposed: unknown,
  at: string,
): PortalDemographicChangeRow {
  return {
    id: uuidv7(),
    clinicId: caller.clinicId,
    patientId: caller.patientId,
    submissionId,
    field,
    previousValue: JSON.stringify(previous ?? null),
    proposedValue: JSON.stringify(proposed),
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
}

function submissionRow(
  caller: PortalCaller,
  form: Form,
  submittedBy: string,
  at: string,
  extra: Partial<PortalFormSubmissionRow>,
): PortalFormSubmissionRow {
  return {
    id: uuidv7(),
    clinicId: caller.clinicId,
    patientId: caller.patientId,
    formId: form.id,
    kind: form.kind,
    answers: '{}',
    consentId: null,
    consentVersion: null,
    consentLanguage: null,
    consentTitle: null,
    consentText: null,
    consentSha256: null,
    signedName: null,
    signature: null,
    signerIp: null,
    signedAt: null,
    submittedBy,
    submittedAt: at,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
    ...extra,
  };
}

/** Writes the submission, its proposed changes, and the form as completed, as one replicated change set. */
async function writeSubmission(
  accounts: PortalAccounts,
  tx: Tx,
  caller: PortalCaller,
  form: Form,
  submission: PortalFormSubmissionRow,
  changes: PortalDemographicChangeRow[],
) {
  const { id, ...formRow } = form;
  await writeRows(
    accounts,
    tx,
    caller,
    [
      {
        table: 'portal_form_submissions',
        rowId: submission.id,
        op: 'insert',
        row: submission,
        changedFields: null,
      },
      ...changes.map((c) => ({
        table: 'portal_demographic_changes',
        rowId: c.id,
        op: 'insert' as const,
        row: c,
        changedFields: null,
      })),
      {
        table: 'portal_forms',
        rowId: id,
        op: 'update',
        row: { ...formRow, id, status: 'completed', updatedAt: submission.submittedAt },
        changedFields: ['status', 'updatedAt'],
      },
    ],
    NOT_SAVED,
  );
}

export async function submitIntake(
  accounts: PortalAccounts,
  caller: PortalCaller,
  id: string,
  input: {
    demographics: IntakeDemographics;
    emergencyContact: EmergencyContactAnswer;
    history: IntakeHistory;
    insuranceCard?: { front: string | null; back: string | null };
  },
) {
  requireScope(caller, 'forms');
  return accounts.tx(caller.clinicId, async (tx) => {
    const form = await openForm(accounts, tx, caller, id);
    if (form.kind !== 'intake') throw notFound();
    await refuseUnlessActive(accounts, tx, caller, form, 'form.submit');
    const patient = await patientRecord(accounts, tx, caller);
    const contacts = await patientRows<{ name: string; phone: string }>(
      accounts,
      tx,
      caller,
      'patient_emergency_contacts',
    );
    const at = accounts.now().toISOString();
    const submission = submissionRow(caller, form, await senderNameOf(tx, caller), at, {
      answers: JSON.stringify({ emergencyContact: input.emergencyContact, history: input.history }),
    });
    const changes = intakeDemographicFields
      .filter((f) => !same(patient[f], input.demographics[f]))
      .map((f) => changeRow(caller, submission.id, f, patient[f], input.demographics[f], at));
    const known = contacts.some(
      (c) =>
        c.phone === input.emergencyContact.phone &&
        c.name.trim().toLowerCase() === input.emergencyContact.name.toLowerCase(),
    );
    if (!known)
      changes.push(
        changeRow(caller, submission.id, EMERGENCY_CONTACT_FIELD, null, input.emergencyContact, at),
      );
    // The insurance card's photos: checked and stored like any portal file, tied to this submission; staff
    // see them on the record beside the intake and mark them reviewed.
    const cards = [];
    for (const side of ['front', 'back'] as const) {
      const photo = input.insuranceCard?.[side];
      if (!photo) continue;
      cards.push(
        await prepareFile(
          accounts,
          tx,
          caller,
          {
            purpose: side === 'front' ? 'insurance_front' : 'insurance_back',
            sender: 'patient',
            senderUserId: null,
            senderName: submission.submittedBy,
            title: side === 'front' ? 'Insurance card (front)' : 'Insurance card (back)',
            messageId: null,
            submissionId: submission.id,
          },
          photo,
          `insuranceCard.${side}`,
        ),
      );
    }
    if (cards.length) await writeRows(accounts, tx, caller, fileInserts(cards), NOT_SAVED);
    await writeSubmission(accounts, tx, caller, form, submission, changes);
    await accounts.record(tx, callerRow(caller), 'form.submit');
    return { id: submission.id, submittedAt: at };
  });
}

export async function signConsent(
  accounts: PortalAccounts,
  caller: PortalCaller,
  id: string,
  input: { signedName: string; signature: string; language: 'en' | 'es'; consentVersion: number },
  address: string | null,
) {
  requireScope(caller, 'forms');
  return accounts.tx(caller.clinicId, async (tx) => {
    const form = await openForm(accounts, tx, caller, id);
    if (form.kind !== 'consent' || !form.consentId) throw notFound();
    await refuseUnlessActive(accounts, tx, caller, form, 'consent.sign');
    const current = consents[form.consentId];
    if (input.consentVersion !== current.version)
      throw new AppError(
        409,
        'consent_changed',
        'The clinic updated this consent since you opened it. Read the new version and sign again.',
      );
    if (!signatureHasInk(input.signature)) throw fieldError('signature', 'Draw your signature in the box.');
    const { title, text } = consentText(
      form.consentId,
      input.language,
      await clinicName(tx, caller.clinicId),
    );
    const at = accounts.now().toISOString();
    const submission = submissionRow(caller, form, await senderNameOf(tx, caller), at, {
      consentId: form.consentId,
      consentVersion: current.version,
      consentLanguage: input.language,
      consentTitle: title,
      consentText: text,
      consentSha256: createHash('sha256').update(text).digest('hex'),
      signedName: input.signedName,
      signature: input.signature,
      signerIp: address,
      signedAt: at,
    });
    await writeSubmission(accounts, tx, caller, form, submission, []);
    await accounts.record(tx, callerRow(caller), 'consent.sign');
    return { id: submission.id, submittedAt: at };
  });
}
