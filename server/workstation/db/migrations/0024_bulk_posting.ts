import { insertTriggerBody } from './0018_billing_aging_packed';

/**
 * Bulk posting (issue 9, an 835 of 10,000 claims; docs/claims.md "Posting speed").
 *
 * - The ledger summary (0012/0018, what the aging report reads) can be paused for one bulk posting: while
 *   `ledger_summary_deferral` holds its row, inserting a ledger entry skips the per-row summary statements,
 *   and the posting then brings the summary up to date in a few set-based statements over every entry
 *   inserted after the rowid the row names (services/billing/ledger-summary.ts), in the same transaction.
 *   The row is written and deleted inside that one transaction, so a committed database never holds it
 *   (`ledger verify` reports one that does). Every other arrival path (sync's plain INSERTs, single
 *   postings) keeps the per-row trigger.
 * - `outbox_seen_seq` (0005) rewrote every outbox row after its insert to stamp the sync cursor, also when
 *   the stamp it wrote was NULL (not enrolled, or the first download not done): then it no longer runs, and
 *   it skips a row already stamped.
 */
export const sql = /* sql */ `
CREATE TABLE ledger_summary_deferral (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  after_rowid INTEGER NOT NULL
) STRICT;

DROP TRIGGER ledger_summary_insert;
CREATE TRIGGER ledger_summary_insert AFTER INSERT ON ledger_entries
WHEN NOT EXISTS (SELECT 1 FROM ledger_summary_deferral)
BEGIN
  ${insertTriggerBody}
END;

DROP TRIGGER outbox_seen_seq;
CREATE TRIGGER outbox_seen_seq AFTER INSERT ON outbox
WHEN NEW.seen_seq IS NULL
 AND (SELECT device_id IS NOT NULL AND initial_done <> 0 FROM sync_state WHERE id = 1)
BEGIN
  UPDATE outbox
     SET seen_seq = (SELECT CASE WHEN device_id IS NULL OR initial_done = 0 THEN NULL ELSE cursor END
                       FROM sync_state WHERE id = 1)
   WHERE mutation_id = NEW.mutation_id;
END;
`;
