import { v7 as uuidv7 } from 'uuid';
import type { ReconciliationFinding, ReconciliationFindings } from '../../../contracts/central/payments';
import type { CentralDb } from '../../db/pool';
import type { Mismatch, ReconciliationReport } from './reconcile';

/**
 * Keeping what Stripe reconciliation finds (central migration `stripe_reconciliation_*`), so the clinic's
 * billing staff see it on the workstation. Every run is recorded; each mismatch is one finding keyed by what
 * it is about, found again by later runs (the same row) until a run over its window no longer finds it,
 * when it is marked resolved. Ids and amounts only.
 */

const RESOLVED_SHOWN_DAYS = 30;

function keyOf(m: Mismatch): string {
  return m.kind === 'payout_differs'
    ? `payout_differs:${m.payoutId}`
    : `${m.kind}:${m.clinicId}:${m.side}:${m.externalRef}`;
}

/** Record a run and its findings; findings of its window that it did not find again are resolved. */
export async function recordReconciliation(db: CentralDb, report: ReconciliationReport): Promise<string> {
  const runId = uuidv7();
  await db.tx({ operator: true }, async (tx) => {
    await tx.query(
      `INSERT INTO stripe_reconciliation_runs
         (id, window_from, window_to, checked, matched, ignored, ledger_entries, payouts, mismatches)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        runId,
        report.from,
        report.to,
        report.checked,
        report.matched,
        report.ignored,
        report.ledgerEntries,
        report.payouts.length,
        report.mismatches.length,
      ],
    );
    for (const m of report.mismatches) {
      const payout = m.kind === 'payout_differs';
      await tx.query(
        `INSERT INTO stripe_reconciliation_findings
           (id, finding_key, clinic_id, kind, side, external_ref, balance_transaction_id, ledger_entry_id,
            payout_id, stripe_amount_cents, ledger_amount_cents, payout_amount_cents, transactions_net_cents,
            occurred_at, first_found_at, last_found_at, last_run_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now(), now(), $15)
         ON CONFLICT (finding_key) DO UPDATE SET
           balance_transaction_id = EXCLUDED.balance_transaction_id,
           ledger_entry_id = EXCLUDED.ledger_entry_id,
           stripe_amount_cents = EXCLUDED.stripe_amount_cents,
           ledger_amount_cents = EXCLUDED.ledger_amount_cents,
           payout_amount_cents = EXCLUDED.payout_amount_cents,
           transactions_net_cents = EXCLUDED.transactions_net_cents,
           last_found_at = now(), last_run_id = EXCLUDED.last_run_id, resolved_at = NULL`,
        [
          uuidv7(),
          keyOf(m),
          payout ? null : m.clinicId,
          m.kind,
          payout ? null : m.side,
          payout ? null : m.externalRef,
          'balanceTransactionId' in m ? m.balanceTransactionId : null,
          'ledgerEntryId' in m ? m.ledgerEntryId : null,
          payout ? m.payoutId : null,
          'stripeAmountCents' in m ? m.stripeAmountCents : null,
          'ledgerAmountCents' in m ? m.ledgerAmountCents : null,
          payout ? m.payoutAmountCents : null,
          payout ? m.transactionsNetCents : null,
          m.at,
          runId,
        ],
      );
    }
    await tx.query(
      `UPDATE stripe_reconciliation_findings SET resolved_at = now()
        WHERE resolved_at IS NULL AND last_run_id <> $1 AND occurred_at >= $2 AND occurred_at < $3`,
      [runId, report.from, report.to],
    );
  });
  return runId;
}

interface FindingRow {
  id: string;
  kind: ReconciliationFinding['kind'];
  side: ReconciliationFinding['side'];
  external_ref: string | null;
  balance_transaction_id: string | null;
  ledger_entry_id: string | null;
  payout_id: string | null;
  stripe_amount_cents: string | null;
  ledger_amount_cents: string | null;
  payout_amount_cents: string | null;
  transactions_net_cents: string | null;
  occurred_at: Date;
  first_found_at: Date;
  last_found_at: Date;
  resolved_at: Date | null;
}

const num = (v: string | null) => (v === null ? null : Number(v));

/** A clinic's findings (its own and the payouts') and when reconciliation last ran, under the clinic's RLS. */
export async function clinicFindings(db: CentralDb, clinicId: string): Promise<ReconciliationFindings> {
  return db.tx(
    { clinicId },
    async (tx) => {
      const run = (
        await tx.query<{ window_from: Date; window_to: Date; ran_at: Date }>(
          'SELECT window_from, window_to, ran_at FROM stripe_reconciliation_runs ORDER BY ran_at DESC, id DESC LIMIT 1',
        )
      ).rows[0];
      const rows = (
        await tx.query<FindingRow>(
          `SELECT id, kind, side, external_ref, balance_transaction_id, ledger_entry_id, payout_id,
                  stripe_amount_cents, ledger_amount_cents, payout_amount_cents, transactions_net_cents,
                  occurred_at, first_found_at, last_found_at, resolved_at
             FROM stripe_reconciliation_findings
            WHERE (clinic_id = $1 OR clinic_id IS NULL)
              AND (resolved_at IS NULL OR resolved_at > now() - make_interval(days => $2))
            ORDER BY resolved_at IS NOT NULL, CASE WHEN resolved_at IS NULL THEN occurred_at END ASC,
                     resolved_at DESC, id
            LIMIT 500`,
          [clinicId, RESOLVED_SHOWN_DAYS],
        )
      ).rows;
      return {
        lastRun: run
          ? {
              from: run.window_from.toISOString(),
              to: run.window_to.toISOString(),
              ranAt: run.ran_at.toISOString(),
            }
          : null,
        findings: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          side: r.side,
          externalRef: r.external_ref,
          balanceTransactionId: r.balance_transaction_id,
          ledgerEntryId: r.ledger_entry_id,
          payoutId: r.payout_id,
          stripeAmountCents: num(r.stripe_amount_cents),
          ledgerAmountCents: num(r.ledger_amount_cents),
          payoutAmountCents: num(r.payout_amount_cents),
          transactionsNetCents: num(r.transactions_net_cents),
          occurredAt: r.occurred_at.toISOString(),
          firstFoundAt: r.first_found_at.toISOString(),
          lastFoundAt: r.last_found_at.toISOString(),
          resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
        })),
      };
    },
    { readOnly: true },
  );
}
