/**
 * Central schema: Stripe reconciliation findings kept (docs/billing.md, "Reconciliation"), so the clinic's
 * billing staff see them on the workstation (Billing > Reports > Card reconciliation) instead of only in
 * central's log.
 *
 * - stripe_reconciliation_runs: each run (the daily job's, or `tessera-central stripe reconcile`): its
 *   window and when it ran. Counts are over the whole Stripe account, so only operators read them; a
 *   clinic sees when it was last checked.
 * - stripe_reconciliation_findings: one row per mismatch, keyed by what it is about (`finding_key`: kind,
 *   clinic and Stripe id, or the payout), so a mismatch found again by a later run is the same row (its
 *   `last_found_at` moves), and one a later run over its window no longer finds is marked `resolved_at`
 *   (a redelivered webhook posted the entry). Ids and amounts only, never a patient.
 *   `clinic_id` is NULL for a payout that does not add up: a payout is the Stripe account's, shared by the
 *   clinics that take cards through it, so every clinic's billing staff see it.
 *
 * Row-level security as everywhere: a clinic reads its own findings and the payout ones.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE stripe_reconciliation_runs (
  id uuid PRIMARY KEY,
  window_from timestamptz NOT NULL,
  window_to timestamptz NOT NULL,
  ran_at timestamptz NOT NULL DEFAULT now(),
  checked integer NOT NULL,
  matched integer NOT NULL,
  ignored integer NOT NULL,
  ledger_entries integer NOT NULL,
  payouts integer NOT NULL,
  mismatches integer NOT NULL,
  CHECK (window_from < window_to)
);
CREATE INDEX stripe_reconciliation_runs_ran ON stripe_reconciliation_runs (ran_at DESC);

CREATE TABLE stripe_reconciliation_findings (
  id uuid PRIMARY KEY,
  finding_key text NOT NULL UNIQUE,
  clinic_id uuid REFERENCES clinics (id),
  kind text NOT NULL CHECK (kind IN ('missing_ledger_entry', 'amount_differs', 'not_in_stripe_balance', 'payout_differs')),
  side text CHECK (side IN ('payment', 'refund')),
  external_ref text,
  balance_transaction_id text,
  ledger_entry_id uuid,
  payout_id text,
  stripe_amount_cents bigint,
  ledger_amount_cents bigint,
  payout_amount_cents bigint,
  transactions_net_cents bigint,
  occurred_at timestamptz NOT NULL,
  first_found_at timestamptz NOT NULL,
  last_found_at timestamptz NOT NULL,
  last_run_id uuid NOT NULL REFERENCES stripe_reconciliation_runs (id),
  resolved_at timestamptz,
  CHECK ((kind = 'payout_differs') = (clinic_id IS NULL))
);
CREATE INDEX stripe_reconciliation_findings_clinic ON stripe_reconciliation_findings (clinic_id, resolved_at, occurred_at DESC);
CREATE INDEX stripe_reconciliation_findings_window ON stripe_reconciliation_findings (occurred_at) WHERE resolved_at IS NULL;

ALTER TABLE stripe_reconciliation_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_reconciliation_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON stripe_reconciliation_runs TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY operator_all ON stripe_reconciliation_runs TO PUBLIC
  USING (tessera.is_operator()) WITH CHECK (tessera.is_operator());
CREATE POLICY tenant_read ON stripe_reconciliation_runs FOR SELECT TO PUBLIC
  USING (tessera.current_clinic() IS NOT NULL);

ALTER TABLE stripe_reconciliation_findings ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_reconciliation_findings FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON stripe_reconciliation_findings TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY operator_all ON stripe_reconciliation_findings TO PUBLIC
  USING (tessera.is_operator()) WITH CHECK (tessera.is_operator());
CREATE POLICY tenant_read ON stripe_reconciliation_findings FOR SELECT TO PUBLIC
  USING (clinic_id = tessera.current_clinic() OR (clinic_id IS NULL AND tessera.current_clinic() IS NOT NULL));
`;
