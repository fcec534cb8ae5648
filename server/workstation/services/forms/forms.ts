import { v7 as uuidv7 } from 'uuid';
import {
  intakeAnswersSchema,
  type FormKind,
  type PatientForms,
  type PortalFormSubmissionRow,
} from '../../../contracts/forms';
import type { ConsentId } from '../../../contracts/forms/consents';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { patientForWrite } from '../patients/patient-core';
import { getClinicInfo } from '../settings/clinic-info';
import type { FormChangeService } from './changes';
import { consentPdf } from './consent-pdf';

/**
 * Portal forms on the patient record: staff ask for the intake or a consent (the request replicates to
 * central, where the portal shows it), what came back (pulled from central: intake answers, signed
 * consents, proposed demographic changes), and a signed consent as its PDF. All audited with the patient.
 */

type StaffActor = Actor & { userId: string };

const SUBMISSION_SELECT = `
  SELECT id, clinic_id AS clinicId, patient_id AS patientId, form_id AS formId, kind, answers,
         consent_id AS consentId, consent_version AS consentVersion, consent_language AS consentLanguage,
         consent_title AS consentTitle, consent_text AS consentText, consent_sha256 AS consentSha256,
         signed_name AS signedName, signature, signer_ip AS signerIp, signed_at AS signedAt,
         submitted_by AS submittedBy, submitted_at AS submittedAt, created_at AS createdAt,
         updated_at AS updatedAt, deleted_at AS deletedAt
    FROM portal_form_submissions WHERE deleted_at IS NULL`;

export class FormService {
  constructor(
    private readonly store: Store,
    private readonly changes: FormChangeService,
  ) {}

  list(actor: StaffActor, patientId: string, background = false): PatientForms {
    patientForWrite(this.store, actor, patientId);
    const forms = this.store.db
      .prepare(
        `SELECT f.id, f.kind, f.consent_id AS consentId, f.status, f.created_at AS sentAt,
                coalesce(u.full_name, '') AS sentByName
           FROM portal_forms f LEFT JOIN users u ON u.id = f.assigned_by
          WHERE f.patient_id = ? AND f.deleted_at IS NULL ORDER BY f.created_at DESC, f.id DESC`,
      )
      .all(patientId) as PatientForms['forms'];
    const submissions = this.store.db
      .prepare(`${SUBMISSION_SELECT} AND patient_id = ? ORDER BY submitted_at DESC, id DESC`)
      .all(patientId) as PortalFormSubmissionRow[];
    if (!background) this.store.audit(actor, { action: 'form.read', patientId });
    return {
      forms,
      submissions: submissions.map((s) => ({
        id: s.id,
        formId: s.formId,
        kind: s.kind,
        submittedAt: s.submittedAt,
        submittedBy: s.submittedBy,
        intake: s.kind === 'intake' ? intakeAnswersSchema.parse(JSON.parse(s.answers)) : null,
        consent:
          s.kind === 'consent'
            ? {
                title: s.consentTitle ?? '',
                version: s.consentVersion ?? 0,
                language: s.consentLanguage ?? 'en',
                signedName: s.signedName ?? '',
                signedAt: s.signedAt ?? s.submittedAt,
              }
            : null,
      })),
      changes: this.changes.forPatient(actor, patientId),
    };
  }

  send(actor: StaffActor, patientId: string, kind: FormKind, consentId: ConsentId | null) {
    patientForWrite(this.store, actor, patientId);
    const open = this.store.db
      .prepare(
        `SELECT id FROM portal_forms WHERE patient_id = ? AND kind = ? AND coalesce(consent_id, '') = ?
            AND status = 'active' AND deleted_at IS NULL`,
      )
      .get(patientId, kind, consentId ?? '');
    if (open)
      throw new AppError(
        409,
        'already_requested',
        'This form is already waiting for the patient. Stop that request first to send it again.',
      );
    const at = this.store.nowIso();
    const id = uuidv7();
    this.store.write(actor, (w) => {
      w.insert('portal_forms', {
        id,
        clinicId: this.store.requireClinicId(),
        patientId,
        kind,
        consentId: kind === 'consent' ? consentId : null,
        status: 'active',
        assignedBy: actor.userId,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      });
      w.audit({ action: 'form.send', patientId, detail: { formId: id, kind, consentId } });
    });
    return { ok: true as const };
  }

  stop(actor: StaffActor, patientId: string, id: string) {
    patientForWrite(this.store, actor, patientId);
    const row = this.store.db
      .prepare(`SELECT status FROM portal_forms WHERE id = ? AND patient_id = ? AND deleted_at IS NULL`)
      .get(id, patientId) as { status: string } | undefined;
    if (!row) throw new AppError(404, 'not_found', 'That form request was not found.');
    if (row.status !== 'active') return { ok: true as const };
    const at = this.store.nowIso();
    this.store.write(actor, (w) => {
      w.update('portal_forms', id, { status: 'cancelled', updatedAt: at });
      w.audit({ action: 'form.stop', patientId, detail: { formId: id } });
    });
    return { ok: true as const };
  }

  /** A signed consent as its PDF; audited (before the file is made) as an export. */
  async consentPdf(
    actor: StaffActor,
    patientId: string,
    id: string,
  ): Promise<{ pdf: Buffer; fileName: string }> {
    const patient = patientForWrite(this.store, actor, patientId);
    const s = this.store.db
      .prepare(`${SUBMISSION_SELECT} AND id = ? AND patient_id = ? AND kind = 'consent'`)
      .get(id, patientId) as PortalFormSubmissionRow | undefined;
    if (!s) throw new AppError(404, 'not_found', 'That signed consent was not found.');
    this.store.audit(actor, {
      action: 'form.export',
      patientId,
      detail: { submissionId: id, format: 'pdf' },
    });
    const pdf = await consentPdf(getClinicInfo(this.store), patient, s);
    return { pdf, fileName: `consent-${s.consentId ?? 'form'}-${s.signedAt?.slice(0, 10) ?? ''}.pdf` };
  }
}
