import {
  blockKindLabels,
  type AppointmentStatus,
  type BlockKind,
  type Conflict,
} from '../../contracts/scheduling';
import { instantToLocal, type Interval } from './time';

/**
 * Booking conflicts: the same provider, room or patient already busy, a time outside the provider's working
 * hours at the location, a block (lunch, meeting, time off), or a start in the past. Each is refused with
 * a reason a person can act on, unless someone allowed to override gives a reason of their own.
 * Messages never name patients.
 */

export const overlaps = (a: Interval, b: Interval): boolean => a.start < b.end && b.start < a.end;

/** Cancelled and no-show appointments free their time. */
export const occupiesTime = (status: AppointmentStatus | string): boolean =>
  status !== 'cancelled' && status !== 'no_show';

export interface Candidate extends Interval {
  /** The appointment being moved (it never conflicts with itself). */
  id?: string | null;
  providerId: string;
  locationId: string;
  roomId: string | null;
  patientId: string | null;
}

export interface BusyAppointment extends Interval {
  id: string;
  providerId: string;
  roomId: string | null;
  patientId: string;
  status: AppointmentStatus | string;
}

export interface BlockInterval extends Interval {
  /** null: the whole clinic. */
  providerId: string | null;
  roomId: string | null;
  kind: BlockKind;
  label: string;
}

export interface HoursInterval extends Interval {
  providerId: string;
  locationId: string;
}

export interface ConflictContext {
  appointments: readonly BusyAppointment[];
  blocks: readonly BlockInterval[];
  /** The provider's working-hours intervals around the candidate (any location). */
  hours: readonly HoursInterval[];
  zone: string;
  now: number;
  providerName(id: string): string;
  roomName(id: string): string;
  locationName(id: string): string;
}

const range = (i: Interval, zone: string) => {
  const a = instantToLocal(i.start, zone);
  const b = instantToLocal(i.end, zone);
  return a.date === b.date ? `${a.time}–${b.time}` : `${a.date} ${a.time}–${b.date} ${b.time}`;
};

const dayLabel = (at: number, zone: string) => instantToLocal(at, zone).date;

export function findConflicts(c: Candidate, ctx: ConflictContext): Conflict[] {
  const out: Conflict[] = [];
  const startsAt = new Date(c.start).toISOString();
  const add = (kind: Conflict['kind'], message: string) => out.push({ kind, message, startsAt });
  const when = `${dayLabel(c.start, ctx.zone)} ${range(c, ctx.zone)}`;

  if (c.start < ctx.now) add('in_the_past', `${when} is in the past.`);

  for (const a of ctx.appointments) {
    if (a.id === c.id || !occupiesTime(a.status) || !overlaps(a, c)) continue;
    if (a.providerId === c.providerId) {
      add(
        'provider_busy',
        `${ctx.providerName(c.providerId)} already has an appointment ${range(a, ctx.zone)} on ${dayLabel(a.start, ctx.zone)}.`,
      );
    } else if (c.roomId && a.roomId === c.roomId) {
      add(
        'room_busy',
        `${ctx.roomName(c.roomId)} is booked ${range(a, ctx.zone)} on ${dayLabel(a.start, ctx.zone)}.`,
      );
    } else if (c.patientId && a.patientId === c.patientId) {
      add(
        'patient_busy',
        `The patient already has an appointment with ${ctx.providerName(a.providerId)} ${range(a, ctx.zone)} on ${dayLabel(a.start, ctx.zone)}.`,
      );
    }
  }

  const inHours = ctx.hours.some(
    (h) =>
      h.providerId === c.providerId && h.locationId === c.locationId && h.start <= c.start && c.end <= h.end,
  );
  if (!inHours) {
    const sameDay = ctx.hours.filter(
      (h) => h.providerId === c.providerId && dayLabel(h.start, ctx.zone) === dayLabel(c.start, ctx.zone),
    );
    add(
      'outside_hours',
      sameDay.length === 0
        ? `${ctx.providerName(c.providerId)} has no working hours on ${dayLabel(c.start, ctx.zone)}.`
        : `${when} is outside ${ctx.providerName(c.providerId)}’s working hours at ${ctx.locationName(c.locationId)} (${
            sameDay
              .filter((h) => h.locationId === c.locationId)
              .map((h) => range(h, ctx.zone))
              .join(', ') || 'none at this location that day'
          }).`,
    );
  }

  for (const b of ctx.blocks) {
    if (!overlaps(b, c)) continue;
    const forProvider = b.providerId === c.providerId;
    const forRoom = b.roomId !== null && b.roomId === c.roomId;
    const clinicWide = b.providerId === null && b.roomId === null;
    if (!forProvider && !forRoom && !clinicWide) continue;
    const what = `${blockKindLabels[b.kind]}${b.label ? ` (${b.label})` : ''}`;
    const who = clinicWide
      ? 'The clinic'
      : forProvider
        ? ctx.providerName(c.providerId)
        : ctx.roomName(b.roomId!);
    add('blocked', `${who} is blocked ${range(b, ctx.zone)}: ${what}.`);
  }
  return out;
}

/** One sentence for an error message: the first few reasons, and how many more. */
export function summariseConflicts(conflicts: readonly Conflict[], max = 3): string {
  const unique = [...new Set(conflicts.map((c) => c.message))];
  const shown = unique.slice(0, max).join(' ');
  return unique.length > max ? `${shown} (and ${unique.length - max} more)` : shown;
}
