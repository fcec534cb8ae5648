import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { MyDay } from '../../../contracts/clinical';
import { appointments, encounters, locations, notes, patients, providerProfiles } from '../../db/schema';
import type { Store } from '../../db/store';
import { toPatientSummary } from '../patients/patient-rows';
import { getClinicInfo } from '../settings/clinic-info';
import type { Clinician } from './clinician';
import { noteSummaries } from './note-rows';

/**
 * The clinician's day: today's appointments with them (scheduled through checked out, not cancelled or
 * no-show), drafts they still have to finish, and notes waiting for their co-signature.
 */
export function myDay(store: Store, clin: Clinician): MyDay {
  const me = clin.actor.userId;
  const zone = getClinicInfo(store).timeZone;
  const day = DateTime.fromJSDate(store.now(), { zone }).startOf('day');
  const from = day.toUTC().toISO()!;
  const to = day.plus({ days: 1 }).toUTC().toISO()!;

  const myProviderIds = store.orm
    .select({ id: providerProfiles.id })
    .from(providerProfiles)
    .where(and(eq(providerProfiles.userId, me), isNull(providerProfiles.deletedAt)))
    .all()
    .map((p) => p.id);
  const appts = myProviderIds.length
    ? store.db
        .prepare(
          `SELECT id FROM appointments
            WHERE clinic_id = ? AND deleted_at IS NULL AND provider_id IN (${myProviderIds.map(() => '?').join(',')})
              AND starts_at >= ? AND starts_at < ? AND status NOT IN ('cancelled', 'no_show')
            ORDER BY starts_at`,
        )
        .all(store.requireClinicId(), ...myProviderIds, from, to)
        .map((r) => (r as { id: string }).id)
    : [];
  const apptRows = appts.length
    ? store.orm
        .select()
        .from(appointments)
        .where(inArray(appointments.id, appts))
        .orderBy(asc(appointments.startsAt))
        .all()
    : [];
  const draftRows = store.orm
    .select()
    .from(notes)
    .where(and(eq(notes.authorId, me), eq(notes.status, 'draft'), isNull(notes.deletedAt)))
    .orderBy(asc(notes.createdAt))
    .all();
  const cosignRows = store.orm
    .select()
    .from(notes)
    .where(
      and(
        eq(notes.cosignerId, me),
        eq(notes.status, 'pending_cosign'),
        isNull(notes.deletedAt),
        ne(notes.authorId, me),
      ),
    )
    .orderBy(asc(notes.signedAt))
    .all();

  const patientIds = [
    ...new Set([
      ...apptRows.map((a) => a.patientId),
      ...draftRows.map((n) => n.patientId),
      ...cosignRows.map((n) => n.patientId),
    ]),
  ];
  const patientById = new Map(
    (patientIds.length
      ? store.orm.select().from(patients).where(inArray(patients.id, patientIds)).all()
      : []
    ).map((p) => [p.id, toPatientSummary(p)]),
  );
  const locationIds = [...new Set(apptRows.map((a) => a.locationId))];
  const locationName = new Map(
    (locationIds.length
      ? store.orm.select().from(locations).where(inArray(locations.id, locationIds)).all()
      : []
    ).map((l) => [l.id, l.name]),
  );
  const encounterByAppt = new Map(
    (appts.length
      ? store.orm
          .select({ id: encounters.id, appointmentId: encounters.appointmentId })
          .from(encounters)
          .where(and(inArray(encounters.appointmentId, appts), isNull(encounters.deletedAt)))
          .all()
      : []
    ).map((e) => [e.appointmentId!, e.id]),
  );
  store.audit(clin.actor, {
    action: 'chart.read',
    detail: {
      what: 'my_day',
      visits: apptRows.length,
      drafts: draftRows.length,
      awaitingCosign: cosignRows.length,
    },
  });
  const withPatient = (rows: typeof draftRows) =>
    noteSummaries(store, rows)
      .filter((n) => patientById.has(n.patientId))
      .map((note) => ({ note, patient: patientById.get(note.patientId)! }));
  return {
    date: day.toISODate()!,
    visits: apptRows
      .filter((a) => patientById.has(a.patientId))
      .map((a) => ({
        appointmentId: a.id,
        patient: patientById.get(a.patientId)!,
        startsAt: a.startsAt,
        status: a.status,
        locationName: locationName.get(a.locationId) ?? '',
        encounterId: encounterByAppt.get(a.id) ?? null,
      })),
    drafts: withPatient(draftRows),
    awaitingCosign: withPatient(cosignRows),
  };
}
