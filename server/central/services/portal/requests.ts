import { v7 as uuidv7 } from 'uuid';
import {
  parseChoiceList,
  requestDayParts,
  requestWeekdays,
  type AppointmentRequestRow,
  type PortalRequest,
  type PortalRequestCreate,
  type PortalRequestList,
} from '../../../contracts/portal/requests';
import { AppError, fieldError } from '../../../platform/errors';
import type { Tx } from '../../db/pool';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { patientRows, senderNameOf, writeRows } from './replica';

/**
 * Appointment requests from the portal: the patient asks for a kind of visit (optionally with a clinician)
 * on the days and at the times that suit them. The request is written at central as central's own
 * replicated change (`appointment_requests`), so every workstation pulls it into the front desk's Requests
 * queue; the desk's decision (booked, or declined with a reason) comes back by replication and is shown here.
 */

/** More open requests than this is not a request any more; the patient is asked to wait or call. */
export const MAX_PENDING_REQUESTS = 3;

const OUT_OF_SCOPE = 'Your access does not include requesting appointments. Please call the clinic.';
const mayRequest = (caller: PortalCaller) =>
  caller.kind === 'self' || caller.scope.includes('appointments.request');

interface Choice {
  id: string;
  name: string;
}

/** The clinic's active clinicians (by their staff name) and active appointment types, from the replica. */
async function choices(tx: Tx, clinicId: string): Promise<{ providers: Choice[]; types: Choice[] }> {
  const r = await tx.query<{ table_name: string; row_id: string; data: Record<string, unknown> }>(
    `SELECT table_name, row_id, data FROM replica_rows
      WHERE clinic_id = $1 AND table_name IN ('provider_profiles', 'appointment_types', 'users')
        AND coalesce(data->>'deletedAt', '') = ''`,
    [clinicId],
  );
  const users = new Map(
    r.rows.filter((x) => x.table_name === 'users').map((x) => [x.row_id, String(x.data.fullName ?? '')]),
  );
  const providers = r.rows
    .filter((x) => x.table_name === 'provider_profiles' && x.data.active === true)
    .map((x) => ({ id: x.row_id, name: users.get(String(x.data.userId ?? '')) ?? '' }))
    .filter((p) => p.name)
    .sort((a, b) => a.name.localeCompare(b.name));
  const types = r.rows
    .filter((x) => x.table_name === 'appointment_types' && x.data.active === true)
    .map((x) => ({ id: x.row_id, name: String(x.data.name ?? '') }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { providers, types };
}

async function clinicZone(tx: Tx, clinicId: string): Promise<string> {
  const r = await tx.query<{ time_zone: string }>('SELECT time_zone FROM clinics WHERE id = $1', [clinicId]);
  return r.rows[0]?.time_zone ?? 'UTC';
}

function shape(
  row: AppointmentRequestRow,
  names: { providers: Choice[]; types: Choice[] },
  bookedStartsAt: Map<string, string>,
  timeZone: string,
): PortalRequest {
  return {
    id: row.id,
    providerName: row.providerId
      ? (names.providers.find((p) => p.id === row.providerId)?.name ?? null)
      : null,
    typeName: names.types.find((t) => t.id === row.appointmentTypeId)?.name ?? '',
    preferredDays: parseChoiceList(row.preferredDays, requestWeekdays),
    preferredTimes: parseChoiceList(row.preferredTimes, requestDayParts),
    note: row.note,
    status: row.status,
    declineReason: row.status === 'declined' ? row.declineReason : null,
    bookedStartsAt: row.appointmentId ? (bookedStartsAt.get(row.appointmentId) ?? null) : null,
    timeZone,
    createdAt: row.createdAt,
  };
}

async function startsOf(tx: Tx, caller: PortalCaller, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  // The patient's own appointments only: a request names an appointment, never someone else's.
  const r = await tx.query<{ row_id: string; starts_at: string }>(
    `SELECT row_id, data->>'startsAt' AS starts_at FROM replica_rows
      WHERE clinic_id = $1 AND table_name = 'appointments' AND row_id = ANY($2::text[])
        AND data->>'patientId' = $3`,
    [caller.clinicId, ids, caller.patientId],
  );
  return new Map(r.rows.map((x) => [x.row_id, x.starts_at]));
}

export async function listRequests(
  accounts: PortalAccounts,
  caller: PortalCaller,
): Promise<PortalRequestList> {
  return accounts.tx(caller.clinicId, async (tx) => {
    const names = await choices(tx, caller.clinicId);
    const rows = await patientRows<AppointmentRequestRow>(accounts, tx, caller, 'appointment_requests');
    rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const starts = await startsOf(tx, caller, rows.map((r) => r.appointmentId ?? '').filter(Boolean));
    const zone = await clinicZone(tx, caller.clinicId);
    await accounts.record(tx, callerRow(caller), 'appointment_requests.read');
    return {
      requests: rows.map((r) => shape(r, names, starts, zone)),
      providers: names.providers,
      types: names.types,
      mayRequest: mayRequest(caller),
    };
  });
}

export async function requestAppointment(
  accounts: PortalAccounts,
  caller: PortalCaller,
  input: PortalRequestCreate,
): Promise<PortalRequest> {
  return accounts.tx(caller.clinicId, async (tx) => {
    if (!mayRequest(caller)) {
      await accounts.record(tx, callerRow(caller), 'appointment.request', 'refused');
      throw new AppError(403, 'out_of_scope', OUT_OF_SCOPE);
    }
    const names = await choices(tx, caller.clinicId);
    if (!names.types.some((t) => t.id === input.appointmentTypeId))
      throw fieldError('appointmentTypeId', 'Choose the kind of visit from the list.');
    if (input.providerId && !names.providers.some((p) => p.id === input.providerId))
      throw fieldError('providerId', 'Choose a clinician from the list, or “Anyone”.');
    const open = await patientRows<AppointmentRequestRow>(accounts, tx, caller, 'appointment_requests', {
      where: `data->>'status' = 'pending'`,
      args: [],
    });
    if (open.length >= MAX_PENDING_REQUESTS) {
      await accounts.record(tx, callerRow(caller), 'appointment.request', 'refused');
      throw new AppError(
        409,
        'too_many_requests_open',
        `You already have ${open.length} requests waiting for the clinic. Please wait for an answer, or call the clinic.`,
      );
    }
    const at = accounts.now().toISOString();
    const row: AppointmentRequestRow = {
      id: uuidv7(),
      clinicId: caller.clinicId,
      patientId: caller.patientId,
      providerId: input.providerId,
      appointmentTypeId: input.appointmentTypeId,
      // Stored in the week's order whatever order the page sent them in.
      preferredDays: JSON.stringify(requestWeekdays.filter((d) => input.preferredDays.includes(d))),
      preferredTimes: JSON.stringify(requestDayParts.filter((d) => input.preferredTimes.includes(d))),
      note: input.note,
      requestedBy: await senderNameOf(tx, caller),
      status: 'pending',
      appointmentId: null,
      declineReason: null,
      decidedBy: null,
      decidedAt: null,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    };
    await writeRows(
      accounts,
      tx,
      caller,
      [{ table: 'appointment_requests', rowId: row.id, op: 'insert', row, changedFields: null }],
      'Your request could not be sent right now. Please try again, or call the clinic.',
    );
    await accounts.record(tx, callerRow(caller), 'appointment.request');
    return shape(row, names, new Map(), await clinicZone(tx, caller.clinicId));
  });
}
