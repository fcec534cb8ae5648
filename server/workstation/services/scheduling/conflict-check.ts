import type { Statement } from 'better-sqlite3';
import type { Conflict } from '../../../contracts/scheduling';
import { hoursOnDates } from '../../../domain/scheduling/availability';
import {
  findConflicts,
  summariseConflicts,
  type BlockInterval,
  type BusyAppointment,
  type Candidate,
  type HoursInterval,
} from '../../../domain/scheduling/conflicts';
import { instantToLocal } from '../../../domain/scheduling/time';
import type { Store } from '../../db/store';
import { AppError } from '../../../platform/errors';
import { blockOccurrences } from './blocks';
import { allWorkingHours, clinicZone, loadNames, type Names } from './setup';

/** Appointments last at most 12 hours, so an overlap search can bound its index range. */
const MAX_APPOINTMENT_MS = 24 * 3_600_000;

const statements = new WeakMap<Store, Statement>();

function busyStatement(store: Store): Statement {
  let stmt = statements.get(store);
  if (!stmt) {
    const base = `SELECT id, provider_id AS providerId, room_id AS roomId, patient_id AS patientId,
        starts_at AS startsAt, ends_at AS endsAt, status
      FROM appointments
      WHERE deleted_at IS NULL AND status NOT IN ('cancelled', 'no_show')
        AND starts_at < @end AND starts_at >= @floor AND ends_at > @start`;
    stmt = store.db.prepare(
      [
        `${base} AND provider_id = @providerId`,
        `${base} AND room_id = @roomId`,
        `${base} AND patient_id = @patientId`,
      ].join(' UNION '),
    );
    statements.set(store, stmt);
  }
  return stmt;
}

/**
 * Checks candidate times against everything that can make them a bad booking. Built once per request:
 * it loads names, working hours and blocks for the span the candidates cover.
 */
export class ConflictChecker {
  readonly zone: string;
  readonly names: Names;
  readonly #hours;

  constructor(private readonly store: Store) {
    this.zone = clinicZone(store);
    this.names = loadNames(store);
    this.#hours = allWorkingHours(store);
  }

  check(candidates: readonly Candidate[], exclude: ReadonlySet<string> = new Set()): Conflict[] {
    if (!candidates.length) return [];
    const from = Math.min(...candidates.map((c) => c.start));
    const to = Math.max(...candidates.map((c) => c.end));
    const providerIds = [...new Set(candidates.map((c) => c.providerId))];
    const roomIds = [...new Set(candidates.map((c) => c.roomId).filter((r): r is string => r !== null))];
    const blocks: BlockInterval[] = blockOccurrences(this.store, from, to, { providerIds, roomIds }).map(
      (b) => ({
        ...b,
        start: Date.parse(b.startsAt),
        end: Date.parse(b.endsAt),
      }),
    );
    // Each candidate is judged against its own day's hours and the blocks it overlaps only: a series of
    // 520 occurrences against every hour interval and block of three years was quadratic (tens of seconds).
    const dayOf = (ms: number) => instantToLocal(ms, this.zone).date;
    const hoursByDate = new Map<string, HoursInterval[]>();
    for (const date of new Set(candidates.map((c) => dayOf(c.start)))) hoursByDate.set(date, []);
    for (const h of providerIds.flatMap((p) =>
      hoursOnDates(p, this.#hours.get(p) ?? [], hoursByDate.keys(), this.zone),
    )) {
      hoursByDate.get(dayOf(h.start))?.push(h);
    }
    const stmt = busyStatement(this.store);
    const now = this.store.now().getTime();
    const out: Conflict[] = [];
    for (const c of candidates) {
      const start = new Date(c.start).toISOString();
      const busy = (
        stmt.all({
          start,
          end: new Date(c.end).toISOString(),
          floor: new Date(c.start - MAX_APPOINTMENT_MS).toISOString(),
          providerId: c.providerId,
          roomId: c.roomId,
          patientId: c.patientId,
        }) as {
          id: string;
          providerId: string;
          roomId: string | null;
          patientId: string;
          startsAt: string;
          endsAt: string;
          status: string;
        }[]
      )
        .filter((a) => !exclude.has(a.id))
        .map((a): BusyAppointment => ({ ...a, start: Date.parse(a.startsAt), end: Date.parse(a.endsAt) }));
      out.push(
        ...findConflicts(c, {
          appointments: busy,
          blocks: blocks.filter((b) => b.start < c.end && c.start < b.end),
          hours: hoursByDate.get(dayOf(c.start)) ?? [],
          zone: this.zone,
          now,
          providerName: this.names.provider,
          roomName: this.names.room,
          locationName: this.names.location,
        }),
      );
    }
    return out;
  }
}

/**
 * Refuse a booking with its conflicts, unless an override reason came with it and the caller may override.
 * Returns the override reason to record (null when there was nothing to override).
 */
export function settleConflicts(
  conflicts: readonly Conflict[],
  override: { reason: string } | null,
  mayOverride: boolean,
): string | null {
  if (!conflicts.length) return null;
  if (!override) {
    throw new AppError(
      409,
      'schedule_conflict',
      `This time does not work: ${summariseConflicts(conflicts)}${mayOverride ? ' To book it anyway, give a reason for the override.' : ' Choose another time, or ask someone who may override.'}`,
    );
  }
  if (!mayOverride) {
    throw new AppError(
      403,
      'override_not_allowed',
      'Your role may not book over a conflict. Choose another time, or ask the front-desk lead.',
    );
  }
  return override.reason;
}
