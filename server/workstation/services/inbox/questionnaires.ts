import { v7 as uuidv7 } from 'uuid';
import type { PatientQuestionnaires } from '../../../contracts/inbox';
import type { QuestionnaireSchedule } from '../../../contracts/portal/messaging';
import type { InstrumentId } from '../../../contracts/questionnaires/instruments';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { patientForWrite } from '../patients/patient-core';

/**
 * Questionnaires on the patient record: staff ask for one (the request replicates to central, where the
 * portal shows it as due), the scores the patient's answers got at central (pulled back), and a clinician
 * marking an urgent flag reviewed. All audited with the patient.
 */

type StaffActor = Actor & { userId: string };

export class QuestionnaireService {
  constructor(private readonly store: Store) {}

  list(actor: StaffActor, patientId: string, background = false): PatientQuestionnaires {
    patientForWrite(this.store, actor, patientId);
    const assignments = this.store.db
      .prepare(
        `SELECT a.id, a.instrument, a.schedule, a.repeat_weeks AS repeatWeeks, a.status, a.created_at AS sentAt, coalesce(u.full_name, '') AS sentByName
           FROM questionnaire_assignments a LEFT JOIN users u ON u.id = a.assigned_by
          WHERE a.patient_id = ? AND a.deleted_at IS NULL ORDER BY a.created_at DESC, a.id DESC`,
      )
      .all(patientId) as PatientQuestionnaires['assignments'];
    const responses = this.store.db
      .prepare(
        `SELECT r.id, r.instrument, r.total_score AS totalScore, r.severity, r.urgent, r.answers,
                r.period, r.submitted_at AS submittedAt, r.reviewed_at AS reviewedAt, u.full_name AS reviewedByName
           FROM questionnaire_responses r LEFT JOIN users u ON u.id = r.reviewed_by
          WHERE r.patient_id = ? AND r.deleted_at IS NULL ORDER BY r.submitted_at, r.id`,
      )
      .all(patientId) as (Omit<PatientQuestionnaires['responses'][number], 'urgent' | 'answers'> & {
      urgent: number;
      answers: string;
    })[];
    if (!background) this.store.audit(actor, { action: 'questionnaire.read', patientId });
    return {
      assignments,
      responses: responses.map((r) => ({
        ...r,
        urgent: r.urgent === 1,
        answers: JSON.parse(r.answers) as number[],
      })),
    };
  }

  send(
    actor: StaffActor,
    patientId: string,
    instrument: InstrumentId,
    schedule: QuestionnaireSchedule,
    repeatWeeks: number | null = null,
  ) {
    patientForWrite(this.store, actor, patientId);
    const open = this.store.db
      .prepare(
        `SELECT id FROM questionnaire_assignments
          WHERE patient_id = ? AND instrument = ? AND status = 'active' AND deleted_at IS NULL`,
      )
      .get(patientId, instrument);
    if (open)
      throw new AppError(
        409,
        'already_requested',
        'This questionnaire is already waiting for the patient. Stop that request first to send it again.',
      );
    const at = this.store.nowIso();
    const id = uuidv7();
    this.store.write(actor, (w) => {
      w.insert('questionnaire_assignments', {
        id,
        clinicId: this.store.requireClinicId(),
        patientId,
        instrument,
        schedule,
        repeatWeeks: schedule === 'every_weeks' ? repeatWeeks : null,
        status: 'active',
        assignedBy: actor.userId,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      });
      w.audit({
        action: 'questionnaire.send',
        patientId,
        detail: { assignmentId: id, instrument, schedule, repeatWeeks },
      });
    });
    return { ok: true as const };
  }

  stop(actor: StaffActor, patientId: string, id: string) {
    patientForWrite(this.store, actor, patientId);
    const row = this.store.db
      .prepare(
        `SELECT status FROM questionnaire_assignments WHERE id = ? AND patient_id = ? AND deleted_at IS NULL`,
      )
      .get(id, patientId) as { status: string } | undefined;
    if (!row) throw new AppError(404, 'not_found', 'That questionnaire request was not found.');
    if (row.status !== 'active') return { ok: true as const };
    const at = this.store.nowIso();
    this.store.write(actor, (w) => {
      w.update('questionnaire_assignments', id, { status: 'cancelled', updatedAt: at });
      w.audit({ action: 'questionnaire.stop', patientId, detail: { assignmentId: id } });
    });
    return { ok: true as const };
  }

  review(actor: StaffActor, patientId: string, id: string) {
    patientForWrite(this.store, actor, patientId);
    const row = this.store.db
      .prepare(
        `SELECT reviewed_at AS reviewedAt FROM questionnaire_responses WHERE id = ? AND patient_id = ? AND deleted_at IS NULL`,
      )
      .get(id, patientId) as { reviewedAt: string | null } | undefined;
    if (!row) throw new AppError(404, 'not_found', 'That questionnaire was not found.');
    if (row.reviewedAt) return { ok: true as const };
    const at = this.store.nowIso();
    this.store.write(actor, (w) => {
      w.update('questionnaire_responses', id, { reviewedAt: at, reviewedBy: actor.userId, updatedAt: at });
      w.audit({ action: 'questionnaire.review', patientId, detail: { responseId: id } });
    });
    return { ok: true as const };
  }
}
