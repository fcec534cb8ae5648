import { and, asc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { WaitlistEntry, waitlistCreateSchema } from '../../../contracts/scheduling';
import { patients, waitlistEntries } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { fieldError, notFound } from '../../../platform/errors';
import { toAppointmentPatient } from './appointment-rows';
import { bookablePatientId } from './appointment-writes';
import { getAppointmentType, getProvider } from './setup';
import { liveRow } from '../../db/live-row';

/**
 * A waitlist per provider: patients who want an earlier time or any time. High priority first, then
 * oldest first. Booking from the list takes the entry off it (see booking.ts).
 */

export function listWaitlist(
  store: Store,
  actor: Actor,
  providerId: string | undefined,
  background: boolean,
): WaitlistEntry[] {
  const rows = store.orm
    .select({ e: waitlistEntries, p: patients })
    .from(waitlistEntries)
    .innerJoin(patients, eq(patients.id, waitlistEntries.patientId))
    .where(
      and(
        liveRow(waitlistEntries, store.requireClinicId()),
        eq(waitlistEntries.status, 'waiting'),
        providerId ? eq(waitlistEntries.providerId, providerId) : undefined,
      ),
    )
    .orderBy(
      sql`CASE ${waitlistEntries.priority} WHEN 'high' THEN 0 ELSE 1 END`,
      asc(waitlistEntries.createdAt),
    )
    .all();
  if (!background) {
    store.audit(actor, {
      action: 'schedule.view',
      detail: { view: 'waitlist', providerId, entries: rows.length },
    });
  }
  return rows.map(({ e, p }) => toEntry(e, p));
}

function toEntry(e: typeof waitlistEntries.$inferSelect, p: typeof patients.$inferSelect): WaitlistEntry {
  return {
    id: e.id,
    patient: toAppointmentPatient(p),
    providerId: e.providerId,
    appointmentTypeId: e.appointmentTypeId,
    note: e.note,
    earliestDate: e.earliestDate,
    latestDate: e.latestDate,
    priority: e.priority,
    createdAt: e.createdAt,
  };
}

export function addToWaitlist(
  store: Store,
  actor: Actor,
  input: z.infer<typeof waitlistCreateSchema>,
): WaitlistEntry {
  const patientId = bookablePatientId(store, input.patientId);
  try {
    getProvider(store, input.providerId);
  } catch {
    throw fieldError('providerId', 'Choose a provider of this clinic.');
  }
  if (input.appointmentTypeId) {
    try {
      getAppointmentType(store, input.appointmentTypeId);
    } catch {
      throw fieldError('appointmentTypeId', 'Choose an appointment type of this clinic.');
    }
  }
  const now = store.nowIso();
  const id = uuidv7();
  store.write(actor, (w) => {
    w.insert('waitlist_entries', {
      id,
      clinicId: store.requireClinicId(),
      ...input,
      patientId,
      status: 'waiting',
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    });
    w.audit({ action: 'waitlist.add', patientId, detail: { entryId: id, providerId: input.providerId } });
  });
  const row = store.orm
    .select({ e: waitlistEntries, p: patients })
    .from(waitlistEntries)
    .innerJoin(patients, eq(patients.id, waitlistEntries.patientId))
    .where(eq(waitlistEntries.id, id))
    .get()!;
  return toEntry(row.e, row.p);
}

export function removeFromWaitlist(
  store: Store,
  actor: Actor,
  id: string,
  reason: 'booked' | 'no_longer_needed' | 'other',
): { ok: true } {
  const entry = store.orm
    .select()
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.id, id),
        liveRow(waitlistEntries, store.requireClinicId()),
      ),
    )
    .get();
  if (!entry || entry.status !== 'waiting') throw notFound('That waitlist entry');
  store.write(actor, (w) => {
    w.update('waitlist_entries', id, {
      status: reason === 'booked' ? 'booked' : 'removed',
      removedReason: reason,
      updatedAt: store.nowIso(),
    });
    w.audit({ action: 'waitlist.remove', patientId: entry.patientId, detail: { entryId: id, reason } });
  });
  return { ok: true };
}
