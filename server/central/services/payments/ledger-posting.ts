import { v7 as uuidv7 } from 'uuid';
import { CENTRAL_ORIGIN } from '../../../contracts/sync/rows';
import type { ColumnCipher } from '../../crypto';
import type { Tx } from '../../db/pool';
import { applyBatch, type ApplyInput } from '../replication/apply';

/**
 * Card payments and refunds reach the clinic's ledger as rows central writes itself (origin `central`),
 * through the same merge as every workstation change, so they replicate to every workstation of the clinic
 * on its next pull. A payment is allocated to the patient's open charges known to central, oldest first
 * (the ledger domain's rule); a refund raises the balance and is not allocated.
 */

export interface CardEntry {
  kind: 'payment' | 'refund';
  patientId: string;
  amountCents: number;
  /** The PaymentIntent (payments) or Refund (refunds) id. */
  externalRef: string;
  memo: string;
  allocate: boolean;
}

export async function postCardEntry(
  tx: Tx,
  cipher: ColumnCipher,
  clinicId: string,
  entry: CardEntry,
): Promise<string> {
  const now = new Date();
  const nowIso = now.toISOString();
  const id = uuidv7();
  const row = {
    id,
    clinicId,
    patientId: entry.patientId,
    kind: entry.kind,
    responsibility: 'patient',
    amountCents: entry.amountCents,
    transferFrom: null,
    reversesEntryId: null,
    encounterId: null,
    chargeLineId: null,
    serviceDate: null,
    providerUserId: null,
    locationId: null,
    method: 'card',
    checkNumber: null,
    externalRef: entry.externalRef,
    memo: entry.memo,
    postedAt: nowIso,
    postedBy: CENTRAL_ORIGIN,
    createdAt: nowIso,
  };
  const inputs: ApplyInput[] = [
    { table: 'ledger_entries', rowId: id, op: 'insert', row, changedFields: null, seenSeq: null },
  ];
  const out = await applyBatch({ tx, cipher, clinicId, origin: CENTRAL_ORIGIN, now }, inputs);
  const refused = out.results.find((r) => r.status === 'rejected');
  if (refused) throw new Error(`ledger posting refused: ${refused.reason ?? 'unknown'}`);
  return id;
}
