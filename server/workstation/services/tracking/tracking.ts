import { v7 as uuidv7 } from 'uuid';
import {
  rangeToStored,
  type PatientTracking,
  type TrackingKind,
  type trackingRangeInputSchema,
} from '../../../contracts/portal/tracking';
import { fieldError } from '../../../platform/errors';
import type { z } from 'zod';
import type { Actor, Store } from '../../db/store';
import { patientForRead, patientForWrite } from '../patients/patient-core';

/**
 * Health tracking on the chart: the patient's entries from the portal (written at central, pulled here)
 * and the ranges a clinician sets per patient and kind (written here through Store.write, pushed). Reads
 * and range changes are audited with the patient. A kind has at most one live range: setting it again
 * updates that row.
 */

type StaffActor = Actor & { userId: string };

export class TrackingService {
  constructor(private readonly store: Store) {}

  list(actor: StaffActor, patientId: string, background = false): PatientTracking {
    const { row } = patientForRead(this.store, actor, patientId);
    const entries = this.store.db
      .prepare(
        `SELECT id, kind, value, value2, observed_at AS observedAt, entered_by_name AS enteredByName
           FROM tracking_entries WHERE patient_id = ? AND deleted_at IS NULL
          ORDER BY observed_at DESC, id DESC LIMIT 1000`,
      )
      .all(row.id) as PatientTracking['entries'];
    const ranges = this.store.db
      .prepare(
        `SELECT r.kind, r.low, r.high, r.low2, r.high2, coalesce(u.full_name, '') AS setByName,
                r.updated_at AS updatedAt
           FROM tracking_ranges r LEFT JOIN users u ON u.id = r.set_by
          WHERE r.patient_id = ? AND r.deleted_at IS NULL ORDER BY r.kind, r.updated_at DESC`,
      )
      .all(row.id) as PatientTracking['ranges'];
    // Two workstations may each have set a range for the same kind while apart: the newest counts.
    const newest = ranges.filter((r, i) => i === 0 || ranges[i - 1]!.kind !== r.kind);
    if (!background) this.store.audit(actor, { action: 'tracking.read', patientId: row.id });
    return { entries, ranges: newest };
  }

  setRange(
    actor: StaffActor,
    patientId: string,
    kind: TrackingKind,
    input: z.infer<typeof trackingRangeInputSchema>,
  ) {
    patientForWrite(this.store, actor, patientId);
    const stored = rangeToStored(kind, input);
    if ('field' in stored) throw fieldError(stored.field, stored.message);
    const at = this.store.nowIso();
    const existing = this.store.db
      .prepare(
        `SELECT id FROM tracking_ranges WHERE patient_id = ? AND kind = ? AND deleted_at IS NULL
          ORDER BY updated_at DESC LIMIT 1`,
      )
      .get(patientId, kind) as { id: string } | undefined;
    this.store.write(actor, (w) => {
      if (existing)
        w.update('tracking_ranges', existing.id, { ...stored, setBy: actor.userId, updatedAt: at });
      else
        w.insert('tracking_ranges', {
          id: uuidv7(),
          clinicId: this.store.requireClinicId(),
          patientId,
          kind,
          ...stored,
          setBy: actor.userId,
          createdAt: at,
          updatedAt: at,
          deletedAt: null,
        });
      w.audit({ action: 'tracking.range', patientId, detail: { kind, ...stored } });
    });
    return { ok: true as const };
  }
}
