import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import {
  lastDays,
  type AdherenceRow,
  type adherenceReportSchema,
  type PortalAdherence,
} from '../../../contracts/portal/adherence';
import { AppError } from '../../../platform/errors';
import { clinicToday } from '../payments/cards';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { patientRows, requireScope, senderNameOf, writeRows } from './replica';

/**
 * Medication adherence on the portal's side (docs/portal.md "Health tracking"): the patient's reports of the
 * last days, and a report for today on one of the clinic's active medications for the session's patient
 * (another patient's medication, or a stopped one, is not found). One row per medication and clinic day: a
 * second report the same day updates that row. Written as central's replicated change; the workstations pull
 * it onto the chart. Every list and report is in the activity.
 */

const SHOW_DAYS = 14;

const out = (r: AdherenceRow) => ({
  id: r.id,
  medicationId: r.medicationId,
  day: r.day,
  status: r.status,
  note: r.note ?? '',
  reportedAt: r.reportedAt,
});

export async function listAdherence(
  accounts: PortalAccounts,
  caller: PortalCaller,
): Promise<PortalAdherence> {
  requireScope(caller, 'tracking');
  return accounts.tx(caller.clinicId, async (tx) => {
    const today = await clinicToday(tx, caller.clinicId);
    const rows = await patientRows<AdherenceRow>(accounts, tx, caller, 'medication_adherence', {
      where: `data->>'day' >= $4`,
      args: [lastDays(today, SHOW_DAYS)[0]],
    });
    await accounts.record(tx, callerRow(caller), 'adherence.list');
    return {
      today,
      reports: rows
        .sort((a, b) => b.day.localeCompare(a.day) || a.medicationId.localeCompare(b.medicationId))
        .map(out),
    };
  });
}

export async function reportAdherence(
  accounts: PortalAccounts,
  caller: PortalCaller,
  input: z.output<typeof adherenceReportSchema>,
) {
  requireScope(caller, 'tracking');
  return accounts.tx(caller.clinicId, async (tx) => {
    const medication = await patientRows(accounts, tx, caller, 'medications', {
      where: `row_id = $4 AND data->>'status' = 'active'`,
      args: [input.medicationId],
    });
    if (medication.length === 0)
      throw new AppError(404, 'not_found', 'This medicine is not on your list. Please reload the page.');
    // Serialise two reports for the same medicine and day (two tabs): the second sees the first's row.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
      `adherence:${caller.patientId}:${input.medicationId}`,
    ]);
    const today = await clinicToday(tx, caller.clinicId);
    const [existing] = await patientRows<AdherenceRow>(accounts, tx, caller, 'medication_adherence', {
      where: `data->>'medicationId' = $4 AND data->>'day' = $5`,
      args: [input.medicationId, today],
    });
    const at = accounts.now().toISOString();
    const enteredByName = await senderNameOf(tx, caller);
    const row: AdherenceRow = existing
      ? { ...existing, status: input.status, note: input.note, enteredByName, reportedAt: at, updatedAt: at }
      : {
          id: uuidv7(),
          clinicId: caller.clinicId,
          patientId: caller.patientId,
          medicationId: input.medicationId,
          day: today,
          status: input.status,
          note: input.note,
          enteredByName,
          reportedAt: at,
          createdAt: at,
          updatedAt: at,
          deletedAt: null,
        };
    await writeRows(
      accounts,
      tx,
      caller,
      [
        existing
          ? {
              table: 'medication_adherence',
              rowId: row.id,
              op: 'update',
              row: { ...row },
              changedFields: ['status', 'note', 'enteredByName', 'reportedAt', 'updatedAt'],
            }
          : {
              table: 'medication_adherence',
              rowId: row.id,
              op: 'insert',
              row: { ...row },
              changedFields: null,
            },
      ],
      'Your answer could not be saved right now. Please try again, or call the clinic.',
    );
    await accounts.record(tx, callerRow(caller), 'adherence.report');
    return out(row);
  });
}
