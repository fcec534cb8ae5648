import { and, eq, gte, lt, notInArray, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  Schedule,
  monthQuerySchema,
  nextAvailableQuerySchema,
  scheduleQuerySchema,
  slotCheckSchema,
} from '../../../contracts/scheduling';
import { findFreeSlots, hoursIntervals } from '../../../domain/scheduling/availability';
import { occupiesTime } from '../../../domain/scheduling/conflicts';
import { dayBounds, instantToLocal } from '../../../domain/scheduling/time';
import { appointments } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { AppError, fieldError } from '../../../platform/errors';
import { queryAppointments } from './appointment-rows';
import { bookablePatientId, checkWhere } from './appointment-writes';
import { blockOccurrences } from './blocks';
import { ConflictChecker } from './conflict-check';
import { seriesOccurrences } from './series';
import { allWorkingHours, clinicZone, getAppointmentType, getProvider } from './setup';
import { addDays, todayIn } from '../../../contracts/calendar';

/**
 * Reading the schedule: a window of days (day view, week view, room view), the month overview, the
 * check-in board, free slots, and a dry-run conflict check. Views that show patients are audited as
 * `schedule.view` (which window, how many appointments; never who), except the refreshes the screens make
 * by themselves after a change notification (the background header): those repeat a view already audited.
 */

type ScheduleQuery = z.infer<typeof scheduleQuerySchema>;

/** `q` comes through scheduleQuerySchema: dates inside the schedule window, at most 42 days. */
export function getSchedule(store: Store, actor: Actor, q: ScheduleQuery, background: boolean): Schedule {
  const zone = clinicZone(store);
  const start = dayBounds(q.from, zone).start;
  const end = dayBounds(q.to, zone).end;
  const where: (SQL | undefined)[] = [
    gte(appointments.startsAt, new Date(start).toISOString()),
    lt(appointments.startsAt, new Date(end).toISOString()),
  ];
  if (q.providerId) where.push(eq(appointments.providerId, q.providerId));
  if (q.locationId) where.push(eq(appointments.locationId, q.locationId));
  if (!q.includeCancelled) where.push(notInArray(appointments.status, ['cancelled', 'no_show']));
  const list = queryAppointments(store, and(...where));

  const hoursByProvider = allWorkingHours(store);
  const providerIds = q.providerId ? [q.providerId] : [...hoursByProvider.keys()];
  const hours = providerIds.flatMap((p) =>
    hoursIntervals(
      p,
      (hoursByProvider.get(p) ?? []).filter((h) => !q.locationId || h.locationId === q.locationId),
      q.from,
      q.to,
      zone,
    ).map((h) => ({
      providerId: h.providerId,
      locationId: h.locationId,
      startsAt: new Date(h.start).toISOString(),
      endsAt: new Date(h.end).toISOString(),
    })),
  );
  const blocks = blockOccurrences(
    store,
    start,
    end,
    q.providerId ? { providerIds: [q.providerId], roomIds: [] } : {},
  );
  if (!background) {
    store.audit(actor, {
      action: 'schedule.view',
      detail: {
        view: 'schedule',
        from: q.from,
        to: q.to,
        providerId: q.providerId,
        appointments: list.length,
      },
    });
  }
  return { timeZone: zone, from: q.from, to: q.to, appointments: list, blocks, hours };
}

export function getMonthSummary(store: Store, q: z.infer<typeof monthQuerySchema>) {
  const zone = clinicZone(store);
  const first = `${q.month}-01`;
  const next = addDays(first, 32).slice(0, 7) + '-01';
  const last = addDays(next, -1);
  const bounds: number[] = [];
  for (let d = first; d <= next; d = addDays(d, 1)) bounds.push(dayBounds(d, zone).start);
  const rows = store.db
    .prepare(
      `SELECT starts_at AS startsAt, status FROM appointments
       WHERE clinic_id = ? AND deleted_at IS NULL AND starts_at >= ? AND starts_at < ?
       ${q.providerId ? 'AND provider_id = ?' : ''}`,
    )
    .all(
      store.requireClinicId(),
      new Date(bounds[0]!).toISOString(),
      new Date(bounds.at(-1)!).toISOString(),
      ...(q.providerId ? [q.providerId] : []),
    ) as { startsAt: string; status: string }[];
  const days = bounds.slice(0, -1).map((_, i) => ({
    date: addDays(first, i),
    booked: 0,
    cancelled: 0,
    noShow: 0,
    blocked: false,
  }));
  for (const r of rows) {
    const t = Date.parse(r.startsAt);
    // Days are in order; find the day by the bounds (DST-safe, no time-zone math per row).
    let lo = 0;
    let hi = days.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bounds[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    const day = days[lo]!;
    if (r.status === 'cancelled') day.cancelled++;
    else if (r.status === 'no_show') day.noShow++;
    else day.booked++;
  }
  // A day counts as blocked when time off (or a clinic-wide block) covers it.
  const blocks = blockOccurrences(
    store,
    bounds[0]!,
    bounds.at(-1)!,
    q.providerId ? { providerIds: [q.providerId], roomIds: [] } : { providerIds: [], roomIds: [] },
  );
  days.forEach((day, i) => {
    day.blocked = blocks.some(
      (b) =>
        (b.kind === 'time_off' || (b.providerId === null && b.roomId === null)) &&
        Date.parse(b.startsAt) <= bounds[i]! + 9 * 3_600_000 &&
        Date.parse(b.endsAt) >= bounds[i]! + 17 * 3_600_000,
    );
  });
  return { month: q.month, days: days.filter((d) => d.date <= last) };
}

export function getBoard(store: Store, actor: Actor, q: { providerId?: string }, background: boolean) {
  const zone = clinicZone(store);
  const date = todayIn(zone, store.now());
  const { start, end } = dayBounds(date, zone);
  const list = queryAppointments(
    store,
    and(
      gte(appointments.startsAt, new Date(start).toISOString()),
      lt(appointments.startsAt, new Date(end).toISOString()),
      q.providerId ? eq(appointments.providerId, q.providerId) : undefined,
    ),
  );
  if (!background) {
    store.audit(actor, {
      action: 'schedule.view',
      detail: { view: 'board', date, providerId: q.providerId, appointments: list.length },
    });
  }
  return { date, timeZone: zone, appointments: list };
}

/** Search this many days ahead for free time before giving up. */
const SEARCH_DAYS = 120;

export function findNextAvailable(store: Store, q: z.infer<typeof nextAvailableQuerySchema>) {
  const provider = getProvider(store, q.providerId);
  if (!provider.active)
    throw fieldError('providerId', `${provider.name} is not taking appointments (inactive).`);
  const type = q.appointmentTypeId ? getAppointmentType(store, q.appointmentTypeId) : null;
  const durationMs = (q.durationMinutes ?? type?.durationMinutes ?? 30) * 60_000;
  const zone = clinicZone(store);
  const now = store.now().getTime();
  const notBefore = Math.max(now, q.after ? Date.parse(q.after) : now);
  const entries = (allWorkingHours(store).get(provider.id) ?? []).filter(
    (h) => !q.locationId || h.locationId === q.locationId,
  );
  if (!entries.length) {
    throw new AppError(
      409,
      'no_hours',
      `${provider.name} has no working hours${q.locationId ? ' at this location' : ''}. Set them up first.`,
    );
  }
  const roomId = type?.defaultRoomId ?? null;
  const slots: {
    startsAt: string;
    endsAt: string;
    providerId: string;
    locationId: string;
    roomId: string | null;
  }[] = [];
  let from = instantToLocal(notBefore, zone).date;
  const lastDate = addDays(from, SEARCH_DAYS);
  while (slots.length < q.limit && from <= lastDate) {
    const to = addDays(from, 13);
    const windows = hoursIntervals(provider.id, entries, from, to, zone);
    if (windows.length) {
      const start = windows[0]!.start;
      const end = windows.at(-1)!.end;
      const busy = store.db
        .prepare(
          `SELECT starts_at AS s, ends_at AS e, status FROM appointments
           WHERE deleted_at IS NULL AND starts_at < ? AND ends_at > ? AND (provider_id = ? OR room_id = ?)`,
        )
        .all(new Date(end).toISOString(), new Date(start).toISOString(), provider.id, roomId) as {
        s: string;
        e: string;
        status: string;
      }[];
      const blocked = blockOccurrences(store, start, end, {
        providerIds: [provider.id],
        roomIds: roomId ? [roomId] : [],
      });
      const intervals = [
        ...busy
          .filter((b) => occupiesTime(b.status))
          .map((b) => ({ start: Date.parse(b.s), end: Date.parse(b.e) })),
        ...blocked.map((b) => ({ start: Date.parse(b.startsAt), end: Date.parse(b.endsAt) })),
      ];
      const found = findFreeSlots({
        windows,
        busy: intervals,
        durationMs,
        notBefore,
        limit: q.limit - slots.length,
      });
      for (const f of found) {
        const window = windows.find((w) => w.start <= f.start && f.end <= w.end)!;
        slots.push({
          startsAt: new Date(f.start).toISOString(),
          endsAt: new Date(f.end).toISOString(),
          providerId: provider.id,
          locationId: window.locationId,
          roomId,
        });
      }
    }
    from = addDays(to, 1);
  }
  return { slots };
}

/** What a booking would run into, without booking: the screens show it while the user picks a time. */
export function checkSlot(store: Store, input: z.infer<typeof slotCheckSchema>) {
  checkWhere(store, input);
  const patientId = input.patientId ? bookablePatientId(store, input.patientId) : null;
  const checker = new ConflictChecker(store);
  const start = Date.parse(input.startsAt);
  // Positive and at most 12 hours: slotCheckSchema says so.
  const length = Date.parse(input.endsAt) - start;
  const anchor = instantToLocal(start, checker.zone);
  const occurrences = input.recurrence
    ? seriesOccurrences(input.recurrence, { date: anchor.date, time: anchor.time }, checker.zone)
    : [{ date: anchor.date, time: anchor.time, startsAt: new Date(start) }];
  const conflicts = checker.check(
    occurrences.map((o) => ({
      id: input.excludeAppointmentId,
      providerId: input.providerId,
      locationId: input.locationId,
      roomId: input.roomId,
      patientId,
      start: o.startsAt.getTime(),
      end: o.startsAt.getTime() + length,
    })),
  );
  return { conflicts, occurrences: occurrences.length };
}
