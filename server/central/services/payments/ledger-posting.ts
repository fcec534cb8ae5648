import { v7 as uuidv7 } from 'uuid';
import { CENTRAL_POSTER, type LedgerAllocation, type LedgerEntry } from '../../../contracts/billing/ledger';
import { CENTRAL_ORIGIN } from '../../../contracts/sync/rows';
import { allocateOldestFirst } from '../../../domain/billing/allocation';
import { ledgerState, openChargesOf } from '../../../domain/billing/balances';
import type { ColumnCipher } from '../../crypto';
import type { Tx } from '../../db/pool';
import { applyBatch, type ApplyInput } from '../replication/apply';

/**
 * Card payments and refunds reach the clinic's ledger as rows central writes itself (origin `central`,
 * posted by 'central'), through the same merge as every workstation change, so they replicate to every
 * workstation of the clinic on its next pull (docs/billing.md, "Cards (Stripe)").
 *
 * A payment is allocated to the patient's open charges known to central (what the workstations have
 * pushed), oldest first, with the ledger domain's own rule (`allocateOldestFirst`, up to each charge's
 * patient part); what is left stays as unapplied credit. A refund names the payment it returns money from
 * (`appliesToEntryId`) and is not allocated. The caller holds the payment's (or refund's) row lock and
 * writes the entry id back, so each is posted once; the ledger's unique `externalRef` makes a second
 * posting impossible anyway.
 */

export interface CardEntry {
  kind: 'payment' | 'refund';
  patientId: string;
  amountCents: number;
  /** The PaymentIntent (payments) or Refund (refunds) id. */
  externalRef: string;
  /** Never clinical. */
  memo: string;
  /** Refunds: the ledger entry of the payment refunded. */
  appliesToEntryId?: string | null;
  /** Payments: charges to pay first (an invoice the patient chose), then the rest oldest first. */
  preferChargeIds?: readonly string[] | null;
}

async function patientLedger(tx: Tx, clinicId: string, patientId: string) {
  const r = await tx.query<{ table_name: string; data: LedgerEntry & LedgerAllocation }>(
    `SELECT table_name, data FROM replica_rows
      WHERE clinic_id = $1 AND table_name IN ('ledger_entries', 'ledger_allocations') AND data->>'patientId' = $2`,
    [clinicId, patientId],
  );
  const entries: LedgerEntry[] = [];
  const allocations: LedgerAllocation[] = [];
  for (const row of r.rows) {
    if (row.table_name === 'ledger_entries') entries.push(row.data);
    else allocations.push(row.data);
  }
  return { entries, allocations };
}

export async function postCardEntry(
  tx: Tx,
  cipher: ColumnCipher,
  clinicId: string,
  entry: CardEntry,
): Promise<string> {
  // Posted already (a record restored from a backup older than its posting): the entry stands, once.
  const posted = await tx.query<{ row_id: string }>(
    `SELECT row_id FROM replica_rows
      WHERE clinic_id = $1 AND table_name = 'ledger_entries' AND data->>'externalRef' = $2`,
    [clinicId, entry.externalRef],
  );
  if (posted.rows[0]) return posted.rows[0].row_id;
  const now = new Date();
  const nowIso = now.toISOString();
  const id = uuidv7();
  const row: LedgerEntry = {
    id,
    clinicId,
    patientId: entry.patientId,
    kind: entry.kind,
    responsibility: 'patient',
    amountCents: entry.amountCents,
    transferFrom: null,
    reversesEntryId: null,
    appliesToEntryId: entry.appliesToEntryId ?? null,
    encounterId: null,
    appointmentId: null,
    chargeLineId: null,
    serviceDate: null,
    providerUserId: null,
    locationId: null,
    method: 'card',
    checkNumber: null,
    externalRef: entry.externalRef,
    memo: entry.memo,
    postedAt: nowIso,
    postedBy: CENTRAL_POSTER,
    createdAt: nowIso,
  };
  const inputs: ApplyInput[] = [
    { table: 'ledger_entries', rowId: id, op: 'insert', row, changedFields: null, seenSeq: null },
  ];
  if (entry.kind === 'payment') {
    const { entries, allocations } = await patientLedger(tx, clinicId, entry.patientId);
    const open = openChargesOf(ledgerState(entries, allocations)).map((c) => ({
      ...c,
      openCents: Math.min(c.openCents, c.patientOpenCents),
    }));
    const preferred = new Set(entry.preferChargeIds ?? []);
    const first = allocateOldestFirst(
      entry.amountCents,
      open.filter((c) => preferred.has(c.entryId)),
    );
    const rest = allocateOldestFirst(
      first.unappliedCents,
      open.filter((c) => !preferred.has(c.entryId)),
    );
    for (const line of [...first.lines, ...rest.lines]) {
      const allocation: LedgerAllocation = {
        id: uuidv7(),
        clinicId,
        patientId: entry.patientId,
        paymentEntryId: id,
        chargeEntryId: line.chargeEntryId,
        amountCents: line.amountCents,
        reversesAllocationId: null,
        createdAt: nowIso,
        createdBy: CENTRAL_POSTER,
      };
      inputs.push({
        table: 'ledger_allocations',
        rowId: allocation.id,
        op: 'insert',
        row: allocation,
        changedFields: null,
        seenSeq: null,
      });
    }
  }
  const out = await applyBatch({ tx, cipher, clinicId, origin: CENTRAL_ORIGIN, now }, inputs);
  const refused = out.results.find((r) => r.status === 'rejected');
  if (refused) throw new Error(`ledger posting refused: ${refused.reason ?? 'unknown'}`);
  return id;
}
