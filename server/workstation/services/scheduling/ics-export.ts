import { and, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import {
  buildCalendar,
  repeatingEvents,
  type IcsEvent,
  type IcsInstance,
} from '../../../domain/scheduling/ics';
import { expandOccurrences } from '../../../domain/scheduling/recurrence';
import { dayBounds } from '../../../domain/scheduling/time';
import { initialOf } from '../../../contracts/text';
import { appointments, patients } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import type { AppointmentRow } from './appointment-rows';
import { getSeriesRow, shapeOf } from './series';
import { clinicZone, getProvider, listAppointmentTypes, listLocations } from './setup';

/**
 * A provider's schedule as iCalendar: single appointments as VEVENTs, each series as one VEVENT with its
 * RRULE (and the clinic zone as TZID), EXDATE for occurrences that were cancelled, removed or given to
 * someone else, and an overriding VEVENT (RECURRENCE-ID) for each occurrence moved on its own.
 * Patient names are left out unless asked for; initials identify the slot on a phone calendar.
 */

const GONE = new Set(['cancelled', 'no_show']);

export function providerCalendar(
  store: Store,
  actor: Actor,
  providerId: string,
  q: { from: string; to: string; names: boolean },
): { text: string; events: number } {
  const provider = getProvider(store, providerId);
  const zone = clinicZone(store);
  const start = new Date(dayBounds(q.from, zone).start).toISOString();
  const end = new Date(dayBounds(q.to, zone).end).toISOString();
  const typeNames = new Map(listAppointmentTypes(store).map((t) => [t.id, t.name]));
  const locs = listLocations(store);
  const place = (locationId: string, roomId: string | null) => {
    const l = locs.find((x) => x.id === locationId);
    const r = l?.rooms.find((x) => x.id === roomId);
    return [l?.name, r?.name].filter(Boolean).join(', ');
  };
  const inWindow = store.orm
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.providerId, provider.id),
        isNull(appointments.deletedAt),
        gte(appointments.startsAt, start),
        lt(appointments.startsAt, end),
      ),
    )
    .all();
  const patientIds = new Set(inWindow.map((a) => a.patientId));
  const seriesIds = [...new Set(inWindow.map((a) => a.seriesId).filter((s): s is string => s !== null))];
  const seriesList = seriesIds
    .map((id) => getSeriesRow(store, id))
    .filter((s) => s.providerId === provider.id && s.status === 'active');
  const seriesRowsById = new Map<string, AppointmentRow[]>();
  if (seriesList.length) {
    const all = store.orm
      .select()
      .from(appointments)
      .where(
        and(
          inArray(
            appointments.seriesId,
            seriesList.map((s) => s.id),
          ),
          isNull(appointments.deletedAt),
        ),
      )
      .all();
    for (const a of all) {
      seriesRowsById.set(a.seriesId!, [...(seriesRowsById.get(a.seriesId!) ?? []), a]);
      patientIds.add(a.patientId);
    }
  }
  const people = new Map(
    (patientIds.size
      ? store.orm
          .select({
            id: patients.id,
            first: patients.firstNameToUse,
            legalFirst: patients.legalFirstName,
            last: patients.lastNameToUse,
            legalLast: patients.legalLastName,
            mrn: patients.mrn,
          })
          .from(patients)
          .where(inArray(patients.id, [...patientIds]))
          .all()
      : []
    ).map((p) => [p.id, p]),
  );
  const who = (patientId: string) => {
    const p = people.get(patientId);
    if (!p) return '';
    const first = p.first || p.legalFirst;
    const last = p.last || p.legalLast;
    return q.names ? `${last}, ${first} (MRN ${p.mrn})` : `${initialOf(first)}.${initialOf(last)}.`;
  };
  const eventFor = (a: AppointmentRow, uid: string): IcsEvent => ({
    uid,
    start: new Date(a.startsAt),
    end: new Date(a.endsAt),
    summary: `${typeNames.get(a.appointmentTypeId) ?? 'Appointment'} — ${who(a.patientId)}`,
    location: a.modality === 'telehealth' ? 'Telehealth' : place(a.locationId, a.roomId),
    lastModified: new Date(a.updatedAt),
  });

  const events: IcsEvent[] = [];
  const covered = new Set<string>();
  for (const series of seriesList) {
    const shape = shapeOf(store, series);
    const rows = seriesRowsById.get(series.id) ?? [];
    const byDate = new Map(rows.map((r) => [r.occurrenceDate!, r]));
    const durationMs = series.durationMinutes * 60_000;
    const uid = `${series.id}@tessera`;
    const ruleDates = new Set<string>();
    const instances: IcsInstance[] = [];
    for (const occ of expandOccurrences(shape.recurrence, shape.anchor, zone, { max: 1000 })) {
      ruleDates.add(occ.date);
      const row = byDate.get(occ.date);
      const live = row && !GONE.has(row.status) && row.providerId === provider.id;
      if (live) covered.add(row.id);
      instances.push({
        wall: { date: occ.date, time: occ.time },
        ruleStart: occ.startsAt,
        // Cancelled, removed or given to another provider: an EXDATE.
        event: live ? eventFor(row, uid) : null,
        edited: live && row.detached,
      });
    }
    const first = rows.find((r) => r.occurrenceDate === shape.anchor.date) ?? rows[0];
    events.push(
      ...repeatingEvents(
        {
          uid,
          start: new Date(series.startsAt),
          end: new Date(Date.parse(series.startsAt) + durationMs),
          summary: `${typeNames.get(series.appointmentTypeId) ?? 'Appointment'} — ${who(series.patientId)}`,
          location: first?.modality === 'telehealth' ? 'Telehealth' : place(series.locationId, series.roomId),
          lastModified: new Date(series.updatedAt),
          rrule: series.rrule,
          anchor: shape.anchor,
          durationMinutes: series.durationMinutes,
        },
        instances,
        zone,
      ),
    );
    // Rows kept from before a rule change (their date is no longer in the rule) stand on their own.
    for (const r of rows) {
      if (!ruleDates.has(r.occurrenceDate!) && !GONE.has(r.status) && r.providerId === provider.id) {
        covered.add(r.id);
        events.push(eventFor(r, `${r.id}@tessera`));
      }
    }
  }
  for (const a of inWindow) {
    if (covered.has(a.id) || GONE.has(a.status)) continue;
    events.push(eventFor(a, `${a.id}@tessera`));
  }
  store.audit(actor, {
    action: 'record.export',
    detail: {
      what: 'provider-schedule-ics',
      providerId,
      from: q.from,
      to: q.to,
      events: events.length,
      names: q.names,
    },
  });
  return {
    text: buildCalendar({ name: `${provider.name} — schedule`, zone, events, now: store.now() }),
    events: events.length,
  };
}
