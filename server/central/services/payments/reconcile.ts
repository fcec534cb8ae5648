import { CENTRAL_POSTER } from '../../../contracts/billing/ledger';
import type { CentralDb } from '../../db/pool';
import type { BalanceMovement, PaymentsPort, PayoutInfo } from './port';

/**
 * Stripe reconciliation (docs/billing.md, "Cards (Stripe)"): what Stripe's balance says happened — each
 * card payment, refund and payout, read as balance transactions — against the ledger entries central
 * posted from webhooks (`external_ref` = the PaymentIntent id of a payment, the Refund id of a refund).
 * A webhook lost for good, a posting that failed after Stripe took the money, or an entry whose amount
 * is not what Stripe moved all show up here as mismatches, named by ids and amounts only (never a
 * patient: these reports go to logs and operators).
 *
 * Both sides are compared over a window [from, to). Stripe's movement and central's posting of it are
 * seconds apart, so each side is looked up in the other over the window widened by `SLACK_MS`, while
 * only what falls inside the window is reported: a run per day never reports yesterday's late webhook.
 */

export const SLACK_MS = 6 * 3_600_000;

export type Mismatch =
  /** Stripe moved money for a Tessera payment or refund, and the clinic's ledger has no entry for it. */
  | {
      kind: 'missing_ledger_entry';
      clinicId: string;
      side: 'payment' | 'refund';
      /** The PaymentIntent (payments) or Refund (refunds) id the entry would carry as externalRef. */
      externalRef: string;
      balanceTransactionId: string;
      stripeAmountCents: number;
      at: string;
    }
  /** The ledger entry for a Stripe movement is for another amount. */
  | {
      kind: 'amount_differs';
      clinicId: string;
      side: 'payment' | 'refund';
      externalRef: string;
      balanceTransactionId: string;
      ledgerEntryId: string;
      ledgerAmountCents: number;
      stripeAmountCents: number;
      at: string;
    }
  /** A card entry central posted that no Stripe balance transaction backs (money the clinic never got). */
  | {
      kind: 'not_in_stripe_balance';
      clinicId: string;
      side: 'payment' | 'refund';
      externalRef: string;
      ledgerEntryId: string;
      ledgerAmountCents: number;
      at: string;
    }
  /** A payout whose transactions do not add up to what was paid to the bank. */
  | {
      kind: 'payout_differs';
      payoutId: string;
      payoutAmountCents: number;
      transactionsNetCents: number;
      at: string;
    };

export interface PayoutSummary {
  id: string;
  status: string;
  amountCents: number;
  arrivalDate: string;
  /** Card payments and refunds in it (gross), Stripe's fees, and how many are Tessera's and on the ledger. */
  paymentsCents: number;
  refundsCents: number;
  feesCents: number;
  transactions: number;
  matched: number;
}

export interface ReconciliationReport {
  from: string;
  to: string;
  /** Tessera's payments and refunds in Stripe's balance in the window, and how many matched an entry. */
  checked: number;
  matched: number;
  /** Balance transactions in the window that are not Tessera's (no tessera_clinic metadata) or not money in/out. */
  ignored: number;
  /** Central's card entries in the window (per the ledger side). */
  ledgerEntries: number;
  payouts: PayoutSummary[];
  mismatches: Mismatch[];
}

interface LedgerCardEntry {
  id: string;
  kind: 'payment' | 'refund';
  amountCents: number;
  externalRef: string;
  postedAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Stripe movement's id on the ledger: the Refund's for a refund, the PaymentIntent's for a payment. */
const refOf = (m: BalanceMovement): string | null =>
  m.kind === 'refund' ? m.refundId : m.kind === 'charge' ? m.paymentIntentId : null;

/** Central's own card entries of one clinic (posted by central, method card), by their Stripe id. */
async function ledgerCardEntries(
  db: CentralDb,
  clinicId: string,
  from: Date,
  to: Date,
): Promise<LedgerCardEntry[]> {
  return db.tx(
    { clinicId },
    async (tx) => {
      const r = await tx.query<{
        id: string;
        kind: string;
        amount: string;
        ref: string;
        posted_at: string;
      }>(
        `SELECT row_id AS id, data->>'kind' AS kind, data->>'amountCents' AS amount,
                data->>'externalRef' AS ref, data->>'postedAt' AS posted_at
           FROM replica_rows
          WHERE clinic_id = $1 AND table_name = 'ledger_entries'
            AND data->>'postedBy' = $2 AND data->>'method' = 'card'
            AND data->>'kind' IN ('payment', 'refund') AND data->>'externalRef' IS NOT NULL
            AND data->>'postedAt' >= $3 AND data->>'postedAt' < $4`,
        [clinicId, CENTRAL_POSTER, from.toISOString(), to.toISOString()],
      );
      return r.rows.map((x) => ({
        id: x.id,
        kind: x.kind as 'payment' | 'refund',
        amountCents: Number(x.amount),
        externalRef: x.ref,
        postedAt: x.posted_at,
      }));
    },
    { readOnly: true },
  );
}

/** Every clinic of this deployment (card entries of a clinic no Stripe movement names are checked too). */
async function allClinics(db: CentralDb): Promise<string[]> {
  return db.tx(
    { operator: true },
    async (tx) =>
      (await tx.query<{ id: string }>('SELECT id FROM clinics ORDER BY id')).rows.map((r) => r.id),
    { readOnly: true },
  );
}

export async function reconcileStripe(
  deps: { db: CentralDb; port: PaymentsPort },
  window: { from: Date; to: Date },
): Promise<ReconciliationReport> {
  const { from, to } = window;
  if (!(from < to)) throw new Error('The reconciliation window must end after it starts.');
  const inWindow = (d: Date) => d >= from && d < to;
  const wideFrom = new Date(from.getTime() - SLACK_MS);
  const wideTo = new Date(to.getTime() + SLACK_MS);

  const movements = await deps.port.listBalanceMovements({ from: wideFrom, to: wideTo });
  const clinics = await allClinics(deps.db);
  const known = new Set(clinics);

  // Tessera's payments and refunds, by clinic, keyed by the id the ledger carries.
  const stripeByClinic = new Map<string, Map<string, BalanceMovement>>();
  let ignored = 0;
  for (const m of movements) {
    const clinicId = m.metadata.tessera_clinic;
    const ref = refOf(m);
    if (!ref || !clinicId || !UUID.test(clinicId) || !known.has(clinicId)) {
      if (inWindow(m.createdAt)) ignored++;
      continue;
    }
    let byRef = stripeByClinic.get(clinicId);
    if (!byRef) stripeByClinic.set(clinicId, (byRef = new Map()));
    // A PaymentIntent has one successful charge; keep the first movement seen for a ref.
    if (!byRef.has(ref)) byRef.set(ref, m);
  }

  const mismatches: Mismatch[] = [];
  const matchedTxns = new Set<string>();
  let checked = 0;
  let ledgerEntries = 0;
  for (const clinicId of clinics) {
    const stripe = stripeByClinic.get(clinicId) ?? new Map<string, BalanceMovement>();
    const entries = await ledgerCardEntries(deps.db, clinicId, wideFrom, wideTo);
    const ledgerByRef = new Map(entries.map((e) => [e.externalRef, e]));

    for (const [ref, m] of stripe) {
      if (!inWindow(m.createdAt)) continue;
      checked++;
      const side = m.kind === 'refund' ? 'refund' : 'payment';
      // A refund takes money out of the balance: Stripe's amount is negative, the ledger's is positive.
      const stripeAmountCents = Math.abs(m.amountCents);
      const at = m.createdAt.toISOString();
      const entry = ledgerByRef.get(ref) ?? (await postedOutsideWindow(deps.db, clinicId, ref));
      if (!entry) {
        mismatches.push({
          kind: 'missing_ledger_entry',
          clinicId,
          side,
          externalRef: ref,
          balanceTransactionId: m.id,
          stripeAmountCents,
          at,
        });
      } else if (entry.amountCents !== stripeAmountCents || entry.kind !== side) {
        mismatches.push({
          kind: 'amount_differs',
          clinicId,
          side,
          externalRef: ref,
          balanceTransactionId: m.id,
          ledgerEntryId: entry.id,
          ledgerAmountCents: entry.amountCents,
          stripeAmountCents,
          at,
        });
      } else matchedTxns.add(m.id);
    }

    for (const e of entries) {
      if (!inWindow(new Date(e.postedAt))) continue;
      ledgerEntries++;
      if (stripe.has(e.externalRef)) continue;
      mismatches.push({
        kind: 'not_in_stripe_balance',
        clinicId,
        side: e.kind,
        externalRef: e.externalRef,
        ledgerEntryId: e.id,
        ledgerAmountCents: e.amountCents,
        at: e.postedAt,
      });
    }
  }

  const payouts: PayoutSummary[] = [];
  for (const p of await deps.port.listPayouts({ from, to })) {
    const summary = await payoutSummary(deps.port, p, matchedTxns);
    payouts.push(summary.summary);
    if (summary.netCents !== p.amountCents)
      mismatches.push({
        kind: 'payout_differs',
        payoutId: p.id,
        payoutAmountCents: p.amountCents,
        transactionsNetCents: summary.netCents,
        at: p.createdAt.toISOString(),
      });
  }

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    checked,
    matched: matchedTxns.size,
    ignored,
    ledgerEntries,
    payouts,
    mismatches,
  };
}

/** An entry for `ref` posted long before or after the window (a webhook retried for days). */
async function postedOutsideWindow(
  db: CentralDb,
  clinicId: string,
  ref: string,
): Promise<LedgerCardEntry | null> {
  return db.tx(
    { clinicId },
    async (tx) => {
      const r = await tx.query<{ id: string; kind: string; amount: string; posted_at: string }>(
        `SELECT row_id AS id, data->>'kind' AS kind, data->>'amountCents' AS amount, data->>'postedAt' AS posted_at
           FROM replica_rows
          WHERE clinic_id = $1 AND table_name = 'ledger_entries' AND data->>'externalRef' = $2`,
        [clinicId, ref],
      );
      const x = r.rows[0];
      return x
        ? {
            id: x.id,
            kind: x.kind as 'payment' | 'refund',
            amountCents: Number(x.amount),
            externalRef: ref,
            postedAt: x.posted_at,
          }
        : null;
    },
    { readOnly: true },
  );
}

/** A payout's transactions: what it is made of, and whether their net adds up to the payout. */
async function payoutSummary(
  port: PaymentsPort,
  p: PayoutInfo,
  matched: Set<string>,
): Promise<{ summary: PayoutSummary; netCents: number }> {
  const txns = (await port.listBalanceMovements({ payoutId: p.id })).filter((t) => t.kind !== 'payout');
  let paymentsCents = 0;
  let refundsCents = 0;
  let feesCents = 0;
  let netCents = 0;
  for (const t of txns) {
    if (t.kind === 'charge') paymentsCents += t.amountCents;
    if (t.kind === 'refund') refundsCents -= t.amountCents;
    feesCents += t.feeCents;
    netCents += t.netCents;
  }
  return {
    netCents,
    summary: {
      id: p.id,
      status: p.status,
      amountCents: p.amountCents,
      arrivalDate: p.arrivalDate.toISOString().slice(0, 10),
      paymentsCents,
      refundsCents,
      feesCents,
      transactions: txns.length,
      matched: txns.filter((t) => matched.has(t.id)).length,
    },
  };
}

/** One line per mismatch for logs and the CLI: kinds, Stripe and ledger ids and amounts, never a patient. */
export function describeMismatch(m: Mismatch): string {
  const cents = (n: number) => `${n} cents`;
  switch (m.kind) {
    case 'missing_ledger_entry':
      return `missing ledger entry: clinic ${m.clinicId}, ${m.side} ${m.externalRef} (${m.balanceTransactionId}) of ${cents(m.stripeAmountCents)} at Stripe, no entry`;
    case 'amount_differs':
      return `amount differs: clinic ${m.clinicId}, ${m.side} ${m.externalRef}: Stripe ${cents(m.stripeAmountCents)}, ledger entry ${m.ledgerEntryId} ${cents(m.ledgerAmountCents)}`;
    case 'not_in_stripe_balance':
      return `not in Stripe's balance: clinic ${m.clinicId}, ledger entry ${m.ledgerEntryId} (${m.side} ${m.externalRef}, ${cents(m.ledgerAmountCents)})`;
    case 'payout_differs':
      return `payout differs: ${m.payoutId} paid ${cents(m.payoutAmountCents)}, its transactions net ${cents(m.transactionsNetCents)}`;
  }
}
