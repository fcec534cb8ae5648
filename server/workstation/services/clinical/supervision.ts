import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { supervisionListSchema } from '../../../contracts/clinical';
import { clinicianSupervision } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { AppError, fieldError } from '../../../platform/errors';
import { noteWriters, people } from './clinician';
import { liveRow } from '../../db/live-row';

type SupervisionList = z.infer<typeof supervisionListSchema>;

/** The supervisor who must co-sign this clinician's notes, if any. */
export function supervisorOf(store: Store, clinicianId: string): string | null {
  return (
    store.orm
      .select({ supervisorId: clinicianSupervision.supervisorId })
      .from(clinicianSupervision)
      .where(
        and(
          liveRow(clinicianSupervision, store.requireClinicId()),
          eq(clinicianSupervision.clinicianId, clinicianId),
          ),
      )
      .get()?.supervisorId ?? null
  );
}

export function listSupervision(store: Store): SupervisionList {
  const writers = noteWriters(store);
  const pairs = writers.map((u) => ({ clinician: u.id, supervisor: supervisorOf(store, u.id) }));
  const name = people(
    store,
    pairs.flatMap((p) => [p.clinician, p.supervisor]),
  );
  return {
    clinicians: pairs.map((p) => ({
      clinician: name(p.clinician),
      supervisor: p.supervisor ? name(p.supervisor) : null,
    })),
  };
}

/**
 * Set or clear who co-signs a clinician's notes. Notes signed before the change keep the co-signer they
 * were signed with; only later signatures follow the new setting.
 */
export function setSupervisor(
  store: Store,
  actor: Actor,
  clinicianId: string,
  supervisorId: string | null,
): SupervisionList {
  const writers = new Set(noteWriters(store).map((u) => u.id));
  if (!writers.has(clinicianId))
    throw new AppError(404, 'not_found', 'That clinician was not found among staff who write notes.');
  if (supervisorId !== null) {
    if (!writers.has(supervisorId))
      throw fieldError('supervisorId', 'Pick a supervisor who writes and signs notes.');
    if (supervisorId === clinicianId)
      throw fieldError('supervisorId', 'A clinician cannot supervise themselves.');
    if (supervisorOf(store, supervisorId) === clinicianId) {
      throw fieldError(
        'supervisorId',
        'These two would co-sign for each other. Pick a different supervisor.',
      );
    }
  }
  const current = store.orm
    .select()
    .from(clinicianSupervision)
    .where(
      and(
        liveRow(clinicianSupervision, store.requireClinicId()),
        eq(clinicianSupervision.clinicianId, clinicianId),
        ),
    )
    .get();
  if ((current?.supervisorId ?? null) === supervisorId) return listSupervision(store);
  const now = store.nowIso();
  store.write(actor, (w) => {
    if (current) w.update('clinician_supervision', current.id, { deletedAt: now, updatedAt: now });
    if (supervisorId) {
      w.insert('clinician_supervision', {
        id: uuidv7(),
        clinicId: store.requireClinicId(),
        clinicianId,
        supervisorId,
        createdBy: actor.userId ?? '',
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
    }
    w.audit({
      action: 'supervision.update',
      detail: { clinicianId, supervisorId, previousSupervisorId: current?.supervisorId ?? null },
    });
  });
  return listSupervision(store);
}
