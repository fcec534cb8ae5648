/**
 * A fold checkpoint per account (docs/billing.md, Speed): opening a patient's account folds every entry
 * and allocation (`ledgerState`); an account of 5,000 entries spent most of its open reading them. The
 * checkpoint is the fold's result for the entries up to a position in posting order (posted_at,
 * created_at, id) and the allocations up to a position in the order they were made (created_at, id),
 * serialised by services/billing/fold-checkpoint.ts; an open reads it and folds only what came after.
 *
 * It is derived and local (never replicated; each workstation keeps its own, `ledger verify` checks it
 * against the full fold), so it may be dropped at any time. These triggers drop it whenever something
 * arrives that sorts at or before its position (replication delivers rows out of order; a workstation's
 * clock may lag another's) and whenever a ledger row changes or leaves (a merge re-files an account):
 * every arrival path passes them, in the same transaction.
 *
 * An open folds again only the charges and payments the newer rows touch, finding what applies to each
 * (adjustments, transfers, refunds) by `ledger_entries_applies_to`.
 */
export const sql = /* sql */ `
CREATE INDEX ledger_entries_applies_to ON ledger_entries (applies_to_entry_id) WHERE applies_to_entry_id IS NOT NULL;

CREATE TABLE ledger_fold_checkpoints (
  patient_id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  entry_posted_at TEXT NOT NULL,
  entry_created_at TEXT NOT NULL,
  entry_id TEXT NOT NULL,
  allocation_created_at TEXT,
  allocation_id TEXT,
  state TEXT NOT NULL
) STRICT;

CREATE TRIGGER ledger_fold_checkpoint_entry_insert AFTER INSERT ON ledger_entries
BEGIN
  DELETE FROM ledger_fold_checkpoints
   WHERE patient_id = NEW.patient_id
     AND (NEW.posted_at, NEW.created_at, NEW.id) <= (entry_posted_at, entry_created_at, entry_id);
END;
CREATE TRIGGER ledger_fold_checkpoint_entry_update AFTER UPDATE ON ledger_entries
BEGIN
  DELETE FROM ledger_fold_checkpoints WHERE patient_id IN (OLD.patient_id, NEW.patient_id);
END;
CREATE TRIGGER ledger_fold_checkpoint_entry_delete AFTER DELETE ON ledger_entries
BEGIN
  DELETE FROM ledger_fold_checkpoints WHERE patient_id = OLD.patient_id;
END;

CREATE TRIGGER ledger_fold_checkpoint_allocation_insert AFTER INSERT ON ledger_allocations
BEGIN
  DELETE FROM ledger_fold_checkpoints
   WHERE patient_id = NEW.patient_id AND allocation_created_at IS NOT NULL
     AND (NEW.created_at, NEW.id) <= (allocation_created_at, allocation_id);
END;
CREATE TRIGGER ledger_fold_checkpoint_allocation_update AFTER UPDATE ON ledger_allocations
BEGIN
  DELETE FROM ledger_fold_checkpoints WHERE patient_id IN (OLD.patient_id, NEW.patient_id);
END;
CREATE TRIGGER ledger_fold_checkpoint_allocation_delete AFTER DELETE ON ledger_allocations
BEGIN
  DELETE FROM ledger_fold_checkpoints WHERE patient_id = OLD.patient_id;
END;
`;
