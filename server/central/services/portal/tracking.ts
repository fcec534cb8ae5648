import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type {
  PortalMedications,
  TrackingEntryRow,
  trackingEntrySchema,
} from '../../../contracts/portal/tracking';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { patientRows, requireScope, senderNameOf, writeRows } from './replica';

/**
 * Health tracking on the portal's side: the patient's own entries (newest first, the last 400 days) and a
 * new entry, already checked and turned into stored integers by the shared contract
 * (server/contracts/portal/tracking.ts), written as central's replicated change that the workstations pull
 * onto the chart. The time is central's, never the page's. Every list and entry is in the activity.
 */

const KEEP_DAYS = 400;

export async function listTracking(accounts: PortalAccounts, caller: PortalCaller) {
  requireScope(caller, 'tracking');
  return accounts.tx(caller.clinicId, async (tx) => {
    const since = new Date(accounts.now().getTime() - KEEP_DAYS * 86_400_000).toISOString();
    const rows = await patientRows<TrackingEntryRow>(accounts, tx, caller, 'tracking_entries', {
      where: `data->>'observedAt' >= $4`,
      args: [since],
    });
    await accounts.record(tx, callerRow(caller), 'tracking.list');
    return {
      entries: rows
        .sort((a, b) => b.observedAt.localeCompare(a.observedAt) || b.id.localeCompare(a.id))
        .map((r) => ({ id: r.id, kind: r.kind, value: r.value, value2: r.value2, observedAt: r.observedAt })),
    };
  });
}

export async function addTracking(
  accounts: PortalAccounts,
  caller: PortalCaller,
  entry: z.output<typeof trackingEntrySchema>,
) {
  requireScope(caller, 'tracking');
  return accounts.tx(caller.clinicId, async (tx) => {
    const at = accounts.now().toISOString();
    const row: TrackingEntryRow = {
      id: uuidv7(),
      clinicId: caller.clinicId,
      patientId: caller.patientId,
      kind: entry.kind,
      value: entry.value,
      value2: entry.value2,
      enteredByName: await senderNameOf(tx, caller),
      observedAt: at,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    };
    await writeRows(
      accounts,
      tx,
      caller,
      [{ table: 'tracking_entries', rowId: row.id, op: 'insert', row: { ...row }, changedFields: null }],
      'Your entry could not be saved right now. Please try again, or call the clinic.',
    );
    await accounts.record(tx, callerRow(caller), 'tracking.add');
    return { id: row.id, kind: row.kind, value: row.value, value2: row.value2, observedAt: at };
  });
}

type MedicationRow = PortalMedications['medications'][number] & { status: string };

/** The clinic's active medications for the patient, by name (read from the replica; nothing is written). */
export async function listMedications(accounts: PortalAccounts, caller: PortalCaller) {
  requireScope(caller, 'tracking');
  return accounts.tx(caller.clinicId, async (tx) => {
    const rows = await patientRows<MedicationRow>(accounts, tx, caller, 'medications', {
      where: `data->>'status' = $4`,
      args: ['active'],
    });
    await accounts.record(tx, callerRow(caller), 'medications.list');
    return {
      medications: rows
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((m) => ({
          id: m.id,
          name: m.name,
          dose: m.dose,
          route: m.route,
          frequency: m.frequency,
          startDate: m.startDate ?? null,
        })),
    };
  });
}
