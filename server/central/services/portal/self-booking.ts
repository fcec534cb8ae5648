import { v7 as uuidv7 } from 'uuid';
import { addDays } from '../../../contracts/calendar';
import type { PortalAppointment } from '../../../contracts/portal';
import {
  readSelfBookingPolicy,
  SELF_BOOKING_KEY,
  type SelfBookingCreate,
  type SelfBookingOptions,
  type SelfBookingSlots,
  type SelfBookingType,
} from '../../../contracts/portal/self-booking';
import type { WorkingHoursEntry } from '../../../contracts/scheduling';
import { findFreeSlots, hoursIntervals } from '../../../domain/scheduling/availability';
import { blockTimesIn } from '../../../domain/scheduling/block-occurrences';
import { occupiesTime } from '../../../domain/scheduling/conflicts';
import { dayBounds, instantToLocal, type Interval } from '../../../domain/scheduling/time';
import { AppError, fieldError } from '../../../platform/errors';
import type { Tx } from '../../db/pool';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { cancelWindowHours, shapeAppointments, type PortalVideo } from './appointments';
import { clinicSettingValue } from './clinic-settings';
import { writeRows } from './replica';

/**
 * Self-scheduling (docs/portal.md, "Self-scheduling"): the clinic lets patients book some appointment
 * types with some clinicians into open time. Open time is computed at central from the clinic's replica:
 * the clinician's working hours, minus their (and the type's room's) appointments that take time, minus
 * blocks (theirs, the room's, the whole clinic's), minus the patient's own appointments, from the type's
 * minimum notice to its horizon. Booking re-checks the chosen time inside the transaction that writes the
 * appointment, under advisory locks on the patient, the clinician and the room, so two patients racing for
 * one slot get one booking and one "just taken", and a desk booking already replicated is never overlapped.
 * The appointment is central's own replicated change; the workstations pull it onto the board.
 */

const SLOT_STEP_MS = 15 * 60_000;
const MAX_SLOTS = 1000;

const OUT_OF_SCOPE = 'Your access does not include booking appointments. Please call the clinic.';
const mayBook = (caller: PortalCaller) =>
  caller.kind === 'self' || caller.scope.includes('appointments.request');
const TAKEN = 'That time was just taken. Choose another time.';

interface Data {
  [k: string]: unknown;
}

async function live(tx: Tx, clinicId: string, table: string, where = '', args: unknown[] = []) {
  const r = await tx.query<{ row_id: string; data: Data }>(
    `SELECT row_id, data FROM replica_rows
      WHERE clinic_id = $1 AND table_name = $2 AND coalesce(data->>'deletedAt', '') = '' ${where}`,
    [clinicId, table, ...args],
  );
  return r.rows;
}

async function clinicZone(tx: Tx, clinicId: string): Promise<string> {
  const r = await tx.query<{ time_zone: string }>('SELECT time_zone FROM clinics WHERE id = $1', [clinicId]);
  return r.rows[0]?.time_zone ?? 'UTC';
}

export async function selfBookingPolicyOf(tx: Tx, clinicId: string) {
  return readSelfBookingPolicy(await clinicSettingValue(tx, clinicId, SELF_BOOKING_KEY));
}

interface Bookable {
  rule: SelfBookingType;
  type: { id: string; name: string; durationMinutes: number; modality: string; defaultRoomId: string | null };
  providers: { id: string; name: string }[];
}

/** The types the policy allows that are still active, each with its active clinicians. */
async function bookables(tx: Tx, clinicId: string): Promise<Bookable[]> {
  const policy = await selfBookingPolicyOf(tx, clinicId);
  if (!policy.types.length) return [];
  const rows = await live(tx, clinicId, 'appointment_types');
  const profiles = await live(tx, clinicId, 'provider_profiles');
  const users = new Map(
    (await live(tx, clinicId, 'users')).map((u) => [u.row_id, String(u.data.fullName ?? '')]),
  );
  const out: Bookable[] = [];
  for (const rule of policy.types) {
    const t = rows.find((x) => x.row_id === rule.appointmentTypeId && x.data.active === true);
    if (!t) continue;
    const providers = rule.providerIds
      .map((id) => profiles.find((p) => p.row_id === id && p.data.active === true))
      .filter((p) => p !== undefined)
      .map((p) => ({ id: p.row_id, name: users.get(String(p.data.userId ?? '')) ?? '' }))
      .filter((p) => p.name)
      .sort((a, b) => a.name.localeCompare(b.name));
    if (!providers.length) continue;
    out.push({
      rule,
      type: {
        id: t.row_id,
        name: String(t.data.name ?? ''),
        durationMinutes: Number(t.data.durationMinutes ?? 30),
        modality: String(t.data.modality ?? 'in_person'),
        defaultRoomId: (t.data.defaultRoomId as string | null) ?? null,
      },
      providers,
    });
  }
  return out.sort((a, b) => a.type.name.localeCompare(b.type.name));
}

export async function selfBookingOptions(
  accounts: PortalAccounts,
  caller: PortalCaller,
): Promise<SelfBookingOptions> {
  return accounts.tx(caller.clinicId, async (tx) => {
    const list = await bookables(tx, caller.clinicId);
    await accounts.record(tx, callerRow(caller), 'self_booking.options');
    return {
      types: list.map((b) => ({
        id: b.type.id,
        name: b.type.name,
        durationMinutes: b.type.durationMinutes,
        modality: b.type.modality,
        maxDaysAhead: b.rule.maxDaysAhead,
        minNoticeHours: b.rule.minNoticeHours,
        providers: b.providers,
      })),
      mayBook: mayBook(caller),
      timeZone: await clinicZone(tx, caller.clinicId),
    };
  });
}

async function bookableFor(tx: Tx, clinicId: string, typeId: string, providerId: string) {
  const b = (await bookables(tx, clinicId)).find((x) => x.type.id === typeId);
  if (!b)
    throw fieldError(
      'appointmentTypeId',
      'This kind of visit cannot be booked online. Please call the clinic.',
    );
  if (!b.providers.some((p) => p.id === providerId))
    throw fieldError('providerId', 'This clinician cannot be booked online for this kind of visit.');
  return b;
}

interface OpenSlot extends Interval {
  locationId: string;
}

/**
 * Open slots of one bookable type with one clinician between `from` and `to` (instants), earliest first.
 * Reads the replica inside the caller's transaction, so a booking sees what it checks.
 */
async function openSlots(
  tx: Tx,
  caller: PortalCaller,
  b: Bookable,
  providerId: string,
  zone: string,
  window: { from: number; to: number },
  limit: number,
): Promise<OpenSlot[]> {
  const fromDate = instantToLocal(window.from, zone).date;
  const toDate = instantToLocal(window.to, zone).date;
  const hours = (
    await live(tx, caller.clinicId, 'working_hours', `AND data->>'providerId' = $3`, [providerId])
  ).map((h): WorkingHoursEntry => ({
    locationId: String(h.data.locationId),
    weekday: Number(h.data.weekday),
    start: String(h.data.startTime),
    end: String(h.data.endTime),
  }));
  const windows = hoursIntervals(providerId, hours, fromDate, toDate, zone).filter(
    (w) => w.end > window.from && w.start < window.to,
  );
  if (!windows.length) return [];
  const start = new Date(window.from).toISOString();
  const end = new Date(window.to).toISOString();
  const roomId = b.type.defaultRoomId;
  const taken = await live(
    tx,
    caller.clinicId,
    'appointments',
    `AND data->>'startsAt' < $3 AND data->>'endsAt' > $4
     AND (data->>'providerId' = $5 OR data->>'roomId' = $6 OR data->>'patientId' = $7)`,
    [end, start, providerId, roomId ?? '', caller.patientId],
  );
  const blocks = await live(
    tx,
    caller.clinicId,
    'schedule_blocks',
    `AND data->>'startsAt' < $3
     AND ((data->>'providerId' IS NULL AND data->>'roomId' IS NULL) OR data->>'providerId' = $4 OR data->>'roomId' = $5)`,
    [end, providerId, roomId ?? ''],
  );
  const busy: Interval[] = [
    ...taken
      .filter((a) => occupiesTime(String(a.data.status ?? '')))
      .map((a) => ({ start: Date.parse(String(a.data.startsAt)), end: Date.parse(String(a.data.endsAt)) })),
    ...blocks.flatMap((x) =>
      blockTimesIn(
        {
          startsAt: String(x.data.startsAt),
          endsAt: String(x.data.endsAt),
          timeZone: String(x.data.timeZone ?? zone),
          recurrence: (x.data.recurrence as string | null) ?? null,
        },
        window.from,
        window.to,
      ).map((o) => ({ start: Date.parse(o.startsAt), end: Date.parse(o.endsAt) })),
    ),
  ];
  return findFreeSlots({
    windows,
    busy,
    durationMs: b.type.durationMinutes * 60_000,
    stepMs: SLOT_STEP_MS,
    notBefore: window.from,
    limit,
  })
    .filter((s) => s.end <= window.to)
    .map((s) => ({
      ...s,
      locationId: windows.find((w) => w.start <= s.start && s.end <= w.end)!.locationId,
    }));
}

/** From the minimum notice to the end of the last day the type may be booked (clinic days). */
function horizon(rule: SelfBookingType, now: Date, zone: string) {
  const today = instantToLocal(now.getTime(), zone).date;
  return {
    from: now.getTime() + rule.minNoticeHours * 3_600_000,
    to: dayBounds(addDays(today, rule.maxDaysAhead), zone).end,
  };
}

export async function selfBookingSlots(
  accounts: PortalAccounts,
  caller: PortalCaller,
  typeId: string,
  providerId: string,
): Promise<SelfBookingSlots> {
  const now = accounts.now();
  return accounts.tx(caller.clinicId, async (tx) => {
    const b = await bookableFor(tx, caller.clinicId, typeId, providerId);
    const zone = await clinicZone(tx, caller.clinicId);
    const slots = await openSlots(tx, caller, b, providerId, zone, horizon(b.rule, now, zone), MAX_SLOTS);
    await accounts.record(tx, callerRow(caller), 'self_booking.slots');
    return {
      timeZone: zone,
      slots: slots.map((s) => ({
        startsAt: new Date(s.start).toISOString(),
        endsAt: new Date(s.end).toISOString(),
      })),
    };
  });
}

/** Serialises bookings of one patient, one clinician and one room across every central node. */
async function lockResources(tx: Tx, clinicId: string, keys: string[]) {
  for (const k of keys)
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `self-booking:${clinicId}:${k}`,
    ]);
}

export async function selfBook(
  accounts: PortalAccounts,
  caller: PortalCaller,
  input: SelfBookingCreate,
  video: PortalVideo,
): Promise<PortalAppointment> {
  const now = accounts.now();
  try {
    return await accounts.tx(caller.clinicId, async (tx) => {
      if (!mayBook(caller)) {
        await accounts.record(tx, callerRow(caller), 'appointment.self_book', 'refused');
        throw new AppError(403, 'out_of_scope', OUT_OF_SCOPE);
      }
      const b = await bookableFor(tx, caller.clinicId, input.appointmentTypeId, input.providerId);
      const zone = await clinicZone(tx, caller.clinicId);
      // Always in this order (patient, clinician, room), so two bookings never wait on each other in a circle.
      await lockResources(tx, caller.clinicId, [
        `patient:${caller.patientId}`,
        `provider:${input.providerId}`,
        ...(b.type.defaultRoomId ? [`room:${b.type.defaultRoomId}`] : []),
      ]);
      const h = horizon(b.rule, now, zone);
      const wanted = Date.parse(input.startsAt);
      const durationMs = b.type.durationMinutes * 60_000;
      if (wanted < h.from || wanted + durationMs > h.to) {
        await accounts.record(tx, callerRow(caller), 'appointment.self_book', 'refused');
        throw fieldError('startsAt', 'That time can no longer be booked online. Choose another time.');
      }
      const [slot] = await openSlots(
        tx,
        caller,
        b,
        input.providerId,
        zone,
        { from: wanted, to: wanted + durationMs },
        1,
      );
      if (!slot || slot.start !== wanted) {
        await accounts.record(tx, callerRow(caller), 'appointment.self_book', 'refused');
        throw new AppError(409, 'slot_taken', TAKEN);
      }
      const at = now.toISOString();
      const id = uuidv7();
      const row = {
        id,
        clinicId: caller.clinicId,
        patientId: caller.patientId,
        providerId: input.providerId,
        appointmentTypeId: b.type.id,
        locationId: slot.locationId,
        roomId: b.type.defaultRoomId,
        startsAt: new Date(slot.start).toISOString(),
        endsAt: new Date(slot.end).toISOString(),
        timeZone: zone,
        modality: b.type.modality,
        status: 'scheduled' as const,
        statusChangedAt: at,
        note: 'Booked by the patient in the portal',
        seriesId: null,
        occurrenceDate: null,
        detached: false,
        arrivedAt: null,
        checkedInAt: null,
        roomedAt: null,
        withProviderAt: null,
        checkedOutAt: null,
        cancelledAt: null,
        cancelReason: null,
        lateCancel: false,
        noShowAt: null,
        copayDueCents: null,
        demographicsConfirmedAt: null,
        insuranceReviewedAt: null,
        overrideReason: null,
        doubleBookedAt: null,
        doubleBookedWith: null,
        patientConfirmedAt: null,
        waitlistEntryId: null,
        createdBy: null,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      };
      await writeRows(
        accounts,
        tx,
        caller,
        [{ table: 'appointments', rowId: id, op: 'insert', row, changedFields: null }],
        'Your appointment could not be booked right now. Please try again, or call the clinic.',
      );
      // A desk booking pushed while this one was checked would make it a double booking: refuse instead.
      const after = await tx.query<{ flagged: string | null }>(
        `SELECT data->>'doubleBookedAt' AS flagged FROM replica_rows
          WHERE clinic_id = $1 AND table_name = 'appointments' AND row_id = $2`,
        [caller.clinicId, id],
      );
      if (after.rows[0]?.flagged) throw new AppError(409, 'slot_taken', TAKEN);
      await accounts.record(tx, callerRow(caller), 'appointment.self_book');
      const windowHours = await cancelWindowHours(tx, caller.clinicId);
      const [shaped] = await shapeAppointments(
        tx,
        caller,
        [{ row_id: id, data: row }],
        windowHours,
        now,
        video,
      );
      return shaped!;
    });
  } catch (err) {
    // The booking slots' exclusion constraint, checked at commit: a concurrent push took the time.
    if ((err as { code?: string }).code === '23P01') throw new AppError(409, 'slot_taken', TAKEN);
    throw err;
  }
}
