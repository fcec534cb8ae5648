import type { VisitRecord } from '../../../contracts/telehealth';
import type { Store } from '../../db/store';
import { connectedTime } from '../../../domain/telehealth/connected-time';

/** An appointment's telehealth record from this workstation's replicated copy (no central needed). */
export function readVisitRecord(store: Store, appointmentId: string): VisitRecord {
  const sessions = store.db
    .prepare(
      `SELECT id, provider, status, mode, started_at AS startedAt, ended_at AS endedAt, audio_only_at AS audioOnlyAt,
              audio_only_reason AS audioOnlyReason, patient_location AS patientLocation,
              location_confirmed_at AS locationConfirmedAt, patient_at_home AS atHome,
              room_duration_seconds AS roomDurationSeconds
         FROM telehealth_sessions WHERE appointment_id = ? AND deleted_at IS NULL ORDER BY created_at, id`,
    )
    .all(appointmentId) as (Omit<VisitRecord['sessions'][number], 'patientAtHome'> & { atHome: number | null })[];
  const events = store.db
    .prepare(
      `SELECT id, session_id AS sessionId, kind, participant_id AS participantId, participant_role AS participantRole,
              participant_name AS participantName, detail, occurred_at AS occurredAt
         FROM telehealth_events WHERE appointment_id = ? AND deleted_at IS NULL ORDER BY occurred_at, id`,
    )
    .all(appointmentId) as (VisitRecord['events'][number] & { participantId: string | null })[];
  const chat = store.db
    .prepare(
      `SELECT id, session_id AS sessionId, participant_id AS participantId, sender_role AS senderRole,
              sender_name AS senderName, body AS text, sent_at AS sentAt
         FROM telehealth_chat_messages WHERE appointment_id = ? AND deleted_at IS NULL ORDER BY sent_at, id`,
    )
    .all(appointmentId) as VisitRecord['chat'];
  return {
    sessions: sessions.map(({ atHome, ...rest }) => ({ ...rest, patientAtHome: atHome === null ? null : atHome === 1 })),
    events: events.map(({ participantId: _p, ...e }) => e),
    chat,
    participants: connectedTime(events, store.nowIso()) as VisitRecord['participants'],
  };
}
