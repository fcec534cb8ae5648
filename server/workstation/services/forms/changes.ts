import {
  EMERGENCY_CONTACT_FIELD,
  emergencyContactAnswerSchema,
  type FormChange,
} from '../../../contracts/forms';
import { patientUpdateSchema } from '../../../contracts/patients';
import { displayName } from '../../../domain/patients/demographics';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { createEmergencyContact } from '../patients/contacts';
import { activeEmergencyGrant, patientForWrite, updatePatient } from '../patients/patient-core';

/**
 * The staff review queue of demographic changes patients proposed in the portal's intake (pulled from
 * central). Each change is decided on its own: accepting writes that one field to the patient record
 * through the patients service (validated as any edit, audited as `patient.update`) and marks the change
 * accepted, in one transaction; rejecting only marks it. The decision replicates, so every workstation's
 * queue agrees and central refuses a second decision.
 */

type StaffActor = Actor & { userId: string };

interface ChangeRecord {
  id: string;
  patientId: string;
  submissionId: string;
  field: FormChange['field'];
  previousValue: string;
  proposedValue: string;
  status: FormChange['status'];
  submittedAt: string;
  decidedAt: string | null;
  decidedByName: string | null;
  legalFirstName: string;
  legalLastName: string;
  firstNameToUse: string | null;
  lastNameToUse: string | null;
  restricted: number;
  record: string;
}

const CHANGE_SELECT = `
  SELECT c.id, c.patient_id AS patientId, c.submission_id AS submissionId, c.field,
         c.previous_value AS previousValue, c.proposed_value AS proposedValue, c.status,
         s.submitted_at AS submittedAt, c.decided_at AS decidedAt, u.full_name AS decidedByName,
         p.legal_first_name AS legalFirstName, p.legal_last_name AS legalLastName,
         p.first_name_to_use AS firstNameToUse, p.last_name_to_use AS lastNameToUse,
         p.restricted, json_object(
           'firstNameToUse', p.first_name_to_use, 'addressLine1', p.address_line1,
           'addressLine2', p.address_line2, 'city', p.city, 'state', p.state, 'postalCode', p.postal_code,
           'phoneMobile', p.phone_mobile, 'phoneHome', p.phone_home, 'email', p.email) AS record
    FROM portal_demographic_changes c
    JOIN patients p ON p.id = c.patient_id
    JOIN portal_form_submissions s ON s.id = c.submission_id
    LEFT JOIN users u ON u.id = c.decided_by
   WHERE c.deleted_at IS NULL`;

const valueOf = (json: string): string | null => {
  const value: unknown = JSON.parse(json);
  return value === null ? null : String(value);
};

export class FormChangeService {
  constructor(private readonly store: Store) {}

  #view(actor: StaffActor, r: ChangeRecord): FormChange {
    const hidden = r.restricted === 1 && !activeEmergencyGrant(this.store, actor.userId, r.patientId);
    const record = JSON.parse(r.record) as Record<string, string | null>;
    const contact = r.field === EMERGENCY_CONTACT_FIELD;
    return {
      id: r.id,
      patientId: r.patientId,
      patientName: displayName(r),
      submissionId: r.submissionId,
      field: r.field,
      hidden,
      previous: hidden || contact ? null : valueOf(r.previousValue),
      proposed: hidden || contact ? null : valueOf(r.proposedValue),
      contact: !hidden && contact ? emergencyContactAnswerSchema.parse(JSON.parse(r.proposedValue)) : null,
      current: hidden || contact ? null : (record[r.field] ?? null),
      status: r.status,
      submittedAt: r.submittedAt,
      decidedAt: r.decidedAt,
      decidedByName: r.decidedByName,
    };
  }

  /** Pending changes across patients, oldest first (the queue); audited as one look without a patient. */
  pending(actor: StaffActor, background = false): { changes: FormChange[] } {
    const rows = this.store.db
      .prepare(`${CHANGE_SELECT} AND c.status = 'pending' ORDER BY s.submitted_at, c.id LIMIT 500`)
      .all() as ChangeRecord[];
    if (!background)
      this.store.audit(actor, { action: 'form.read', detail: { pendingChanges: rows.length } });
    return { changes: rows.map((r) => this.#view(actor, r)) };
  }

  /** One patient's changes (all statuses), newest first, for the record; the caller audits the look. */
  forPatient(actor: StaffActor, patientId: string): FormChange[] {
    const rows = this.store.db
      .prepare(`${CHANGE_SELECT} AND c.patient_id = ? ORDER BY s.submitted_at DESC, c.id`)
      .all(patientId) as ChangeRecord[];
    return rows.map((r) => this.#view(actor, r));
  }

  decide(actor: StaffActor, id: string, decision: 'accept' | 'reject'): FormChange {
    const row = this.store.db.prepare(`${CHANGE_SELECT} AND c.id = ?`).get(id) as ChangeRecord | undefined;
    if (!row) throw new AppError(404, 'not_found', 'That proposed change was not found.');
    patientForWrite(this.store, actor, row.patientId);
    if (row.status !== 'pending')
      throw new AppError(
        409,
        'already_decided',
        `This change was already ${row.status} by ${row.decidedByName ?? 'another staff member'}.`,
      );
    const at = this.store.nowIso();
    this.store.write(actor, (w) => {
      if (decision === 'accept') this.#apply(actor, row);
      w.update('portal_demographic_changes', id, {
        status: decision === 'accept' ? 'accepted' : 'rejected',
        decidedBy: actor.userId,
        decidedAt: at,
        updatedAt: at,
      });
      w.audit({
        action: decision === 'accept' ? 'form.change_accept' : 'form.change_reject',
        patientId: row.patientId,
        detail: { changeId: id, field: row.field },
      });
    });
    return this.#view(actor, this.store.db.prepare(`${CHANGE_SELECT} AND c.id = ?`).get(id) as ChangeRecord);
  }

  /** Writes the proposed value to the record, validated like any edit of that field. */
  #apply(actor: StaffActor, row: ChangeRecord) {
    const value: unknown = JSON.parse(row.proposedValue);
    if (row.field === EMERGENCY_CONTACT_FIELD) {
      const c = emergencyContactAnswerSchema.parse(value);
      createEmergencyContact(this.store, actor, row.patientId, {
        name: c.name,
        relationship: c.relationship,
        phone: c.phone,
      });
      return;
    }
    const parsed = patientUpdateSchema.safeParse({ [row.field]: value });
    if (!parsed.success)
      throw new AppError(
        400,
        'invalid_input',
        `The proposed value cannot be saved on the record: ${parsed.error.issues[0]?.message ?? 'it is not valid'} Reject it, or edit the record by hand.`,
      );
    updatePatient(this.store, actor, row.patientId, parsed.data);
  }
}
