import { CENTRAL_ORIGIN } from '../../../contracts/sync/rows';
import type { PortalAppointment, PortalVideoJoin } from '../../../contracts/portal';
import { canCancel } from '../../../domain/scheduling/status';
import type { AppointmentStatus } from '../../../contracts/scheduling';
import { AppError } from '../../../platform/errors';
import type { ColumnCipher } from '../../crypto';
import type { Tx } from '../../db/pool';
import { applyBatch } from '../replication/apply';
import type { TelehealthService } from '../telehealth/service';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { JOIN_OPENS_KEY, readJoinOpensMinutes } from '../../../contracts/telehealth';
import { clinicSettingValue, parseSetting } from './clinic-settings';
import {
  CANCEL_WINDOW_KEY,
  DEFAULT_CANCEL_WINDOW_HOURS,
  readCancelWindow,
} from '../../../contracts/portal/self-booking';

/**
 * The patient's appointments, read from the clinic's replica (what the workstations pushed), and the
 * portal's cancellation: written at central as a replicated change of the appointment row (status
 * cancelled, reason, who), so every workstation pulls it and the board shows it. Allowed only while the
 * appointment can be cancelled and its start is more than the clinic's window away. A video visit can be
 * joined from the portal from its join window until it ends (`joinVideo`).
 */

interface AppointmentData {
  patientId?: string;
  providerId?: string;
  appointmentTypeId?: string;
  locationId?: string;
  startsAt?: string;
  endsAt?: string;
  timeZone?: string;
  status?: AppointmentStatus;
  modality?: string;
  deletedAt?: string | null;
  [k: string]: unknown;
}

const notFound = () => new AppError(404, 'not_found', 'That appointment was not found.');

/**
 * The clinic's cancellation window: the clinic setting set on a workstation (Admin > Portal scheduling,
 * replicated) when there is one, else central's own `portal_settings` row, else 24 hours. Both are read in
 * one query (a round trip to PostgreSQL costs more than the second lookup).
 */
export async function cancelWindowHours(tx: Tx, clinicId: string): Promise<number> {
  const r = await tx.query<{ value: string | null; central: number | null }>(
    `SELECT (SELECT data->>'value' FROM replica_rows
              WHERE clinic_id = $1 AND table_name = 'clinic_settings' AND row_id = $2
                AND coalesce(data->>'deletedAt', '') = '') AS value,
            (SELECT cancel_window_hours FROM portal_settings WHERE clinic_id = $1) AS central`,
    [clinicId, `${clinicId}:${CANCEL_WINDOW_KEY}`],
  );
  const set = readCancelWindow(parseSetting(r.rows[0]?.value ?? null));
  if (set !== null) return set;
  return r.rows[0]?.central ?? DEFAULT_CANCEL_WINDOW_HOURS;
}

type Named = Map<string, Record<string, unknown>>;

/**
 * The provider, user, type and location rows the appointments name, in one query (they were four round
 * trips per appointment list): a provider's user is found through the provider row inside the query.
 */
async function names(
  tx: Tx,
  clinicId: string,
  ids: { providers: string[]; types: string[]; locations: string[] },
): Promise<{ providers: Named; users: Named; types: Named; locations: Named }> {
  const out = { providers: new Map(), users: new Map(), types: new Map(), locations: new Map() };
  const uniq = (xs: string[]) => [...new Set(xs)];
  if (!ids.providers.length && !ids.types.length && !ids.locations.length) return out;
  const r = await tx.query<{ table_name: string; row_id: string; data: Record<string, unknown> }>(
    `SELECT table_name, row_id, data FROM replica_rows
      WHERE clinic_id = $1 AND (
        (table_name = 'provider_profiles' AND row_id = ANY($2::text[]))
        OR (table_name = 'appointment_types' AND row_id = ANY($3::text[]))
        OR (table_name = 'locations' AND row_id = ANY($4::text[]))
        OR (table_name = 'users' AND row_id IN (
              SELECT p.data->>'userId' FROM replica_rows p
               WHERE p.clinic_id = $1 AND p.table_name = 'provider_profiles' AND p.row_id = ANY($2::text[]))))`,
    [clinicId, uniq(ids.providers), uniq(ids.types), uniq(ids.locations)],
  );
  const into: Record<string, Named> = {
    provider_profiles: out.providers,
    users: out.users,
    appointment_types: out.types,
    locations: out.locations,
  };
  for (const x of r.rows) into[x.table_name]?.set(x.row_id, x.data);
  return out;
}

/** Central's video service, or null when this deployment has none (no "Join video visit" then). */
export type PortalVideo = TelehealthService | null;

/**
 * How many minutes before the start the patient may join from the portal: the clinic's setting (set on a
 * workstation, replicated), else central's telehealth default. Null without a video service.
 */
async function joinOpensMinutes(tx: Tx, clinicId: string, video: PortalVideo): Promise<number | null> {
  if (!video) return null;
  const set = readJoinOpensMinutes(await clinicSettingValue(tx, clinicId, JOIN_OPENS_KEY));
  return set ?? video.deps.settings.opensMinutesBefore;
}

/** When "Join video visit" shows for an appointment: its start minus the join window; it shows until the end. */
function videoJoinFrom(data: AppointmentData, opensMinutes: number | null): string | null {
  if (opensMinutes === null || data.modality !== 'telehealth') return null;
  if (data.status === 'cancelled' || data.status === 'no_show') return null;
  const starts = Date.parse(data.startsAt ?? '');
  if (Number.isNaN(starts)) return null;
  return new Date(starts - opensMinutes * 60_000).toISOString();
}

export async function shapeAppointments(
  tx: Tx,
  caller: PortalCaller,
  rows: { row_id: string; data: AppointmentData }[],
  windowHours: number,
  now: Date,
  video: PortalVideo,
): Promise<PortalAppointment[]> {
  const { providers, users, types, locations } = await names(tx, caller.clinicId, {
    providers: rows.map((r) => r.data.providerId ?? ''),
    types: rows.map((r) => r.data.appointmentTypeId ?? ''),
    locations: rows.map((r) => r.data.locationId ?? ''),
  });
  const mayCancel = caller.scope.includes('appointments.cancel');
  const opensMinutes = await joinOpensMinutes(tx, caller.clinicId, video);
  return rows.map(({ row_id, data }) => {
    const provider = providers.get(data.providerId ?? '');
    const user = provider ? users.get(String(provider.userId ?? '')) : undefined;
    const starts = Date.parse(data.startsAt ?? '');
    const cancelBy = new Date(starts - windowHours * 3_600_000);
    return {
      id: row_id,
      startsAt: data.startsAt ?? '',
      endsAt: data.endsAt ?? '',
      timeZone: data.timeZone ?? 'UTC',
      status: data.status ?? 'scheduled',
      modality: data.modality ?? 'in_person',
      providerName: String(user?.fullName ?? ''),
      typeName: String(types.get(data.appointmentTypeId ?? '')?.name ?? ''),
      locationName: String(locations.get(data.locationId ?? '')?.name ?? ''),
      canCancel: mayCancel && canCancel(data.status ?? 'scheduled') && cancelBy.getTime() > now.getTime(),
      cancelBy: cancelBy.toISOString(),
      videoJoinFrom: videoJoinFrom(data, opensMinutes),
    };
  });
}

export async function listAppointments(accounts: PortalAccounts, caller: PortalCaller, video: PortalVideo) {
  const now = accounts.now();
  return accounts.tx(caller.clinicId, async (tx) => {
    const r = await tx.query<{ row_id: string; data: AppointmentData }>(
      `SELECT row_id, data FROM replica_rows
        WHERE clinic_id = $1 AND table_name = 'appointments' AND data->>'patientId' = $2
          AND coalesce(data->>'deletedAt', '') = ''
        ORDER BY data->>'startsAt'`,
      [caller.clinicId, caller.patientId],
    );
    const windowHours = await cancelWindowHours(tx, caller.clinicId);
    const all = await shapeAppointments(tx, caller, r.rows, windowHours, now, video);
    await accounts.record(tx, callerRow(caller), 'appointments.read');
    const t = now.getTime();
    return {
      upcoming: all.filter(
        (a) => Date.parse(a.endsAt) >= t && a.status !== 'cancelled' && a.status !== 'no_show',
      ),
      past: all
        .filter((a) => !(Date.parse(a.endsAt) >= t && a.status !== 'cancelled' && a.status !== 'no_show'))
        .reverse(),
      cancelWindowHours: windowHours,
    };
  });
}

export async function cancelAppointment(
  accounts: PortalAccounts,
  caller: PortalCaller,
  appointmentId: string,
  reason: string,
  video: PortalVideo,
): Promise<PortalAppointment> {
  const now = accounts.now();
  return accounts.tx(caller.clinicId, async (tx) => {
    const r = await tx.query<{ row_id: string; data: AppointmentData }>(
      `SELECT row_id, data FROM replica_rows
        WHERE clinic_id = $1 AND table_name = 'appointments' AND row_id = $2 AND data->>'patientId' = $3
          AND coalesce(data->>'deletedAt', '') = ''`,
      [caller.clinicId, appointmentId, caller.patientId],
    );
    const row = r.rows[0];
    // Another patient's appointment and one that does not exist answer alike.
    if (!row) throw notFound();
    const windowHours = await cancelWindowHours(tx, caller.clinicId);
    const [current] = await shapeAppointments(tx, caller, [row], windowHours, now, video);
    if (!current!.canCancel) {
      await accounts.record(tx, callerRow(caller), 'appointment.cancel', 'refused');
      throw new AppError(
        409,
        'cannot_cancel',
        caller.scope.includes('appointments.cancel')
          ? `This appointment can no longer be cancelled online (the clinic asks for ${windowHours} hours' notice). Please call the clinic.`
          : 'Your access does not include cancelling appointments. Please call the clinic.',
      );
    }
    const changes = await writePatientCancel(
      tx,
      accounts.deps.cipher,
      caller.clinicId,
      row,
      reason ? `Cancelled by the patient in the portal: ${reason}` : 'Cancelled by the patient in the portal',
      now,
    );
    await accounts.record(tx, callerRow(caller), 'appointment.cancel');
    const [after] = await shapeAppointments(
      tx,
      caller,
      [{ row_id: row.row_id, data: { ...row.data, ...(changes as AppointmentData) } }],
      windowHours,
      now,
      video,
    );
    return after!;
  });
}

/**
 * "Join video visit": for the session's own patient (or a proxy whose scope includes appointments) and their
 * own video visit, from the join window before the start until the appointment ends: the telehealth join
 * page with the patient's own link — the one they already have if it works until the end, else a new one
 * the portal issues (no staff author; it opens the visit if no clinician has yet). The token rides in the
 * URL fragment and names no one. Every attempt is in the patient's activity history (the clinic's portal
 * audit log), refusals included, and an issued link also as its own entry and in the visit's record.
 */
export async function joinVideo(
  accounts: PortalAccounts,
  caller: PortalCaller,
  appointmentId: string,
  video: PortalVideo,
  origin: string,
): Promise<PortalVideoJoin> {
  const now = accounts.now();
  const refuse = async (code: string, message: string) => {
    await accounts.tx(caller.clinicId, (tx) =>
      accounts.record(tx, callerRow(caller), 'appointment.video_join', 'refused'),
    );
    return new AppError(409, code, message);
  };
  const found = await accounts.tx(caller.clinicId, async (tx) => {
    const r = await tx.query<{ row_id: string; data: AppointmentData }>(
      `SELECT row_id, data FROM replica_rows
        WHERE clinic_id = $1 AND table_name = 'appointments' AND row_id = $2 AND data->>'patientId' = $3
          AND coalesce(data->>'deletedAt', '') = ''`,
      [caller.clinicId, appointmentId, caller.patientId],
    );
    const row = r.rows[0];
    if (!row) return null;
    return {
      row,
      opensMinutes: await joinOpensMinutes(tx, caller.clinicId, video),
      host: await clinicianOf(tx, caller.clinicId, row.data.providerId ?? ''),
    };
  });
  // Another patient's appointment and one that does not exist answer alike.
  if (!found) throw notFound();
  const { row, opensMinutes, host } = found;
  if (!caller.scope.includes('appointments'))
    throw await refuse(
      'video_not_allowed',
      'Your access does not include appointments. Please call the clinic to join this visit.',
    );
  if (row.data.modality !== 'telehealth')
    throw await refuse('not_video', 'This is an in-person appointment; there is no video visit to join.');
  if (row.data.status === 'cancelled' || row.data.status === 'no_show')
    throw await refuse(
      'video_cancelled',
      'This appointment was cancelled, so there is no video visit to join. Please call the clinic to book again.',
    );
  const from = videoJoinFrom(row.data, opensMinutes);
  const endsAt = new Date(row.data.endsAt ?? '');
  if (!video || !from || !host || Number.isNaN(endsAt.getTime()))
    throw await refuse(
      'video_unavailable',
      'Video visits cannot be joined from the portal right now. Please call the clinic.',
    );
  const t = now.getTime();
  if (t < Date.parse(from))
    throw await refuse(
      'video_not_yet',
      `You can join from ${opensMinutes} minutes before the visit starts. Come back then.`,
    );
  if (t >= endsAt.getTime())
    throw await refuse('video_over', 'This visit has ended. Please call the clinic if you still need it.');
  const visit = {
    appointmentId: row.row_id,
    startsAt: new Date(row.data.startsAt ?? ''),
    endsAt,
    opensAt: new Date(from),
    host,
  };
  const { link, issued } = await video
    .portalPatientLink(caller.clinicId, visit, origin)
    .catch(async (err) => {
      if (err instanceof AppError && err.code === 'visit_ended') throw await refuse(err.code, err.message);
      throw err;
    });
  await accounts.tx(caller.clinicId, async (tx) => {
    if (issued) await accounts.record(tx, callerRow(caller), 'appointment.video_link');
    await accounts.record(tx, callerRow(caller), 'appointment.video_join');
  });
  return { url: link.url };
}

/** The appointment's clinician as a visit's host (their staff user), or null when the replica lacks them. */
async function clinicianOf(
  tx: Tx,
  clinicId: string,
  providerId: string,
): Promise<{ userId: string; fullName: string } | null> {
  const { providers, users } = await names(tx, clinicId, {
    providers: [providerId],
    types: [],
    locations: [],
  });
  const userId = String(providers.get(providerId)?.userId ?? '');
  const user = userId ? users.get(userId) : undefined;
  return user ? { userId, fullName: String(user.fullName ?? '') } : null;
}

/**
 * Central's own change of an appointment row (the portal's cancellation, a reminder's confirm or cancel
 * link), applied as a replicated change so every workstation pulls it. Throws 409 when replication refuses.
 */
export async function writeAppointmentChange(
  tx: Tx,
  cipher: ColumnCipher,
  clinicId: string,
  row: { row_id: string; data: Record<string, unknown> },
  changes: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const out = await applyBatch({ tx, cipher, clinicId, origin: CENTRAL_ORIGIN, now }, [
    {
      table: 'appointments',
      rowId: row.row_id,
      op: 'update',
      row: { ...row.data, ...changes },
      changedFields: Object.keys(changes),
      seenSeq: null,
    },
  ]);
  const result = out.results[0];
  if (!result || (result.status !== 'applied' && result.status !== 'merged'))
    throw new AppError(
      409,
      'cannot_change',
      'The appointment could not be changed right now. Please call the clinic.',
    );
}

/** A cancellation by the patient (the board shows it with the reason); returns the fields written. */
export async function writePatientCancel(
  tx: Tx,
  cipher: ColumnCipher,
  clinicId: string,
  row: { row_id: string; data: Record<string, unknown> },
  reason: string,
  now: Date,
): Promise<Record<string, unknown>> {
  const at = now.toISOString();
  const changes = {
    status: 'cancelled',
    statusChangedAt: at,
    cancelledAt: at,
    cancelReason: reason,
    lateCancel: false,
    doubleBookedAt: null,
    doubleBookedWith: null,
    updatedAt: at,
  };
  await writeAppointmentChange(tx, cipher, clinicId, row, changes, now);
  return changes;
}
