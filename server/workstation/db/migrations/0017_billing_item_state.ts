/**
 * What is applied to each charge, payment and refund, kept beside the ledger so a patient's account opens
 * without folding every entry (docs/billing.md, Speed): an account of 5,000 entries must open in under
 * 20 ms, and reading its 5,000 rows alone took longer.
 *
 * `ledger_item_state`, one row per charge, payment and refund:
 * - `applied_cents`: allocated to the charge / from the payment, net of un-allocations (an un-allocation
 *   counts once the allocation it undoes is on the same account, as the domain's fold counts it);
 * - `reduced_cents`: a charge's live adjustments and write-offs; a payment's live refunds;
 * - `reversed`: a reversal of it is on the same account;
 * - `linked`: a refund drawn on a payment of the same account (an unlinked refund draws on the credit);
 * - and the entry's own fields the account screen lists credits with (posted, method, check number).
 * What is open on a charge, unapplied or refundable on a payment, and the account's unapplied credit follow
 * by subtraction (services/billing/account-page.ts). These are plain sums, so the order rows arrive in
 * does not matter; the patient/insurance split of a charge does depend on order and is still folded from
 * the few rows of the open charges.
 *
 * Kept by triggers, like the aging summary (0012), so every way a row arrives keeps it in the same
 * transaction: Store.write postings, replicated rows (sync's plain INSERTs, in any order) and a merge
 * re-filing an account. Each trigger recomputes the items a row touches from the ledger itself (a few
 * index lookups each), rather than adding deltas, so an out-of-order arrival cannot leave it wrong.
 * `ledger verify` compares it with its own fold of the entries. Local: never replicated. Lookups name the
 * account with `+patient_id` so SQLite never walks the patient's index (every row of a large account).
 */

/** Net allocations to (`col` charge_entry_id) or from (payment_entry_id) the entry `e`, on its account. */
const allocated = (col: string) => /* sql */ `(
  SELECT COALESCE(SUM(CASE
           WHEN a.reverses_allocation_id IS NULL THEN a.amount_cents
           WHEN EXISTS (SELECT 1 FROM ledger_allocations o
                         WHERE o.id = a.reverses_allocation_id AND +o.patient_id = a.patient_id) THEN -a.amount_cents
           ELSE 0 END), 0)
    FROM ledger_allocations a WHERE a.${col} = e.id AND +a.patient_id = e.patient_id)`;

/** Live (not reversed) entries of `kinds` applied to the entry `e`, on its account. */
const liveApplied = (kinds: string) => /* sql */ `(
  SELECT COALESCE(SUM(x.amount_cents), 0) FROM ledger_entries x
   WHERE x.applies_to_entry_id = e.id AND +x.patient_id = e.patient_id AND x.kind IN (${kinds})
     AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_entry_id = x.id AND +r.patient_id = x.patient_id))`;

/** One item's row recomputed from the ledger, for the entries whose id is in `ids` (a SELECT of ids). */
const recompute = (ids: string) => /* sql */ `
  DELETE FROM ledger_item_state WHERE entry_id IN (${ids});
  INSERT INTO ledger_item_state (clinic_id, patient_id, entry_id, kind, amount_cents, applied_cents, reduced_cents,
    reversed, linked, posted_at, created_at, method, check_number)
  SELECT e.clinic_id, e.patient_id, e.id, e.kind, e.amount_cents,
    CASE e.kind WHEN 'charge' THEN ${allocated('charge_entry_id')} WHEN 'payment' THEN ${allocated('payment_entry_id')} ELSE 0 END,
    CASE e.kind WHEN 'charge' THEN ${liveApplied("'adjustment', 'write_off'")} WHEN 'payment' THEN ${liveApplied("'refund'")} ELSE 0 END,
    EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_entry_id = e.id AND +r.patient_id = e.patient_id),
    e.kind = 'refund' AND EXISTS (SELECT 1 FROM ledger_entries p
                                   WHERE p.id = e.applies_to_entry_id AND p.kind = 'payment' AND +p.patient_id = e.patient_id),
    e.posted_at, e.created_at, e.method, e.check_number
    FROM ledger_entries e
   WHERE e.id IN (${ids}) AND e.kind IN ('charge', 'payment', 'refund');`;

/**
 * The items an entry `row` touches: itself; what it applies to (an adjustment's charge, a refund's
 * payment); what it reverses, and what that applies to; and refunds already here that draw on it.
 */
const touchedBy = (row: string) => /* sql */ `
  SELECT ${row}.id UNION SELECT ${row}.applies_to_entry_id UNION SELECT ${row}.reverses_entry_id
  UNION SELECT t.applies_to_entry_id FROM ledger_entries t WHERE t.id = ${row}.reverses_entry_id
  UNION SELECT f.id FROM ledger_entries f WHERE f.applies_to_entry_id = ${row}.id AND f.kind = 'refund'`;

export const sql = /* sql */ `
CREATE TABLE ledger_item_state (
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  entry_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('charge', 'payment', 'refund')),
  amount_cents INTEGER NOT NULL,
  applied_cents INTEGER NOT NULL,
  reduced_cents INTEGER NOT NULL,
  reversed INTEGER NOT NULL CHECK (reversed IN (0, 1)),
  linked INTEGER NOT NULL CHECK (linked IN (0, 1)),
  posted_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  method TEXT,
  check_number TEXT,
  PRIMARY KEY (clinic_id, patient_id, entry_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX ledger_item_state_entry ON ledger_item_state (entry_id);

-- What applies to an entry (adjustments and write-offs to a charge, refunds to a payment): the triggers
-- above and the account page look these up by the entry they apply to.
CREATE INDEX ledger_entries_applies_to ON ledger_entries (applies_to_entry_id) WHERE applies_to_entry_id IS NOT NULL;

${recompute("SELECT id FROM ledger_entries WHERE kind IN ('charge', 'payment', 'refund')")}

CREATE TRIGGER ledger_item_state_entry AFTER INSERT ON ledger_entries
BEGIN
  ${recompute(touchedBy('NEW'))}
END;

CREATE TRIGGER ledger_item_state_allocation AFTER INSERT ON ledger_allocations
BEGIN
  ${recompute('SELECT NEW.payment_entry_id UNION SELECT NEW.charge_entry_id')}
END;

CREATE TRIGGER ledger_item_state_refile_entry AFTER UPDATE OF patient_id ON ledger_entries
WHEN NEW.patient_id IS NOT OLD.patient_id
BEGIN
  ${recompute(touchedBy('NEW'))}
END;

CREATE TRIGGER ledger_item_state_refile_allocation AFTER UPDATE OF patient_id ON ledger_allocations
WHEN NEW.patient_id IS NOT OLD.patient_id
BEGIN
  ${recompute('SELECT NEW.payment_entry_id UNION SELECT NEW.charge_entry_id')}
END;
`;
