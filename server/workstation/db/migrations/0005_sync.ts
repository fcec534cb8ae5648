import { conflictKinds, syncBlockedReasons } from '../../../contracts/sync';
import { oneOf } from './sql';

/**
 * Replication state (see docs/sync.md). The outbox learns which properties each update changed (so central
 * can merge per field) and which change sequence the workstation had pulled when the change was made (so
 * central can tell an overwrite the writer never saw, which it keeps as a conflict record). Sent mutations
 * stay in the outbox for a while after central acknowledges them: a central restored from an older backup
 * gets them again.
 */
export const sql = /* sql */ `
ALTER TABLE outbox ADD COLUMN changed_fields TEXT;
ALTER TABLE outbox ADD COLUMN seen_seq INTEGER;
CREATE INDEX outbox_unsent ON outbox (mutation_id) WHERE pushed_at IS NULL;
CREATE INDEX outbox_unsent_row ON outbox (table_name, row_id) WHERE pushed_at IS NULL;
CREATE INDEX outbox_sent ON outbox (pushed_at) WHERE pushed_at IS NOT NULL;

-- One row: this workstation's enrollment and progress. The credential is as secret as the data; it lives
-- in the encrypted database with it.
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  central_url TEXT,
  device_id TEXT,
  credential TEXT,
  enrolled_at TEXT,
  epoch TEXT,
  cursor INTEGER NOT NULL DEFAULT 0,
  initial_done INTEGER NOT NULL DEFAULT 0,
  last_success_at TEXT,
  clock_skew_ms INTEGER,
  blocked TEXT CHECK (blocked IN (${oneOf(syncBlockedReasons)})),
  blocked_message TEXT
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

-- Unsent changes remember how far this workstation had pulled when they were made. NULL before enrolling
-- and until a full download has finished: such changes are not edits over something the workstation could
-- have seen, so they merge by plain last-writer-wins without conflict records.
CREATE TRIGGER outbox_seen_seq AFTER INSERT ON outbox
BEGIN
  UPDATE outbox
     SET seen_seq = (SELECT CASE WHEN device_id IS NULL OR initial_done = 0 THEN NULL ELSE cursor END
                       FROM sync_state WHERE id = 1)
   WHERE mutation_id = NEW.mutation_id;
END;

-- The conflict inbox. Central writes most entries (an overwritten value, a refused edit, a double booking);
-- a workstation writes one when it cannot store a row from central. Resolving one replicates like any edit.
CREATE TABLE sync_conflicts (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(conflictKinds)})),
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  field TEXT,
  value_kept TEXT,
  value_lost TEXT,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  device_id TEXT,
  other_device_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  resolved_at TEXT,
  resolved_by TEXT,
  resolution TEXT,
  deleted_at TEXT
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts (resolved_at, created_at);
`;
