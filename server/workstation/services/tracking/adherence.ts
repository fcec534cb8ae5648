import { lastDays, type PatientAdherence } from '../../../contracts/portal/adherence';
import type { Actor, Store } from '../../db/store';
import { patientForRead } from '../patients/patient-core';
import { clinicZone } from '../scheduling/setup';

/**
 * Medication adherence on the chart: what the patient reported in the portal per medication and day
 * (written at central, pulled here; read-only on a workstation), the last 14 clinic days. Audited with the
 * patient unless it is the chart's background refresh.
 */

const SHOW_DAYS = 14;

/** Today in the clinic's time zone (YYYY-MM-DD). */
export function clinicTodayIn(zone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export function listAdherence(
  store: Store,
  actor: Actor & { userId: string },
  patientId: string,
  background = false,
): PatientAdherence {
  const { row } = patientForRead(store, actor, patientId);
  const today = clinicTodayIn(clinicZone(store), new Date(store.nowIso()));
  const reports = store.db
    .prepare(
      `SELECT id, medication_id AS medicationId, day, status, note, reported_at AS reportedAt
         FROM medication_adherence WHERE patient_id = ? AND day >= ? AND deleted_at IS NULL
        ORDER BY day DESC, medication_id`,
    )
    .all(row.id, lastDays(today, SHOW_DAYS)[0]) as PatientAdherence['reports'];
  if (!background) store.audit(actor, { action: 'adherence.read', patientId: row.id });
  return { today, reports };
}
