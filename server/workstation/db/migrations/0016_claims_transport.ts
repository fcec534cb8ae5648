import { inboundFileKinds } from '../../../contracts/claims/records';
import { oneOf } from './sql';

/**
 * Claims transport (issue 9; docs/claims-inbound.md, "Transport"): central sends the batches workstations
 * queue and hands back what the clearinghouse returns.
 *
 * - `claim_batches` gains what central writes back about sending a queued batch: when it was sent, how many
 *   attempts it took, the last failure as a sentence and when central tries again. The status moves from
 *   `queued` to `sent` only at central.
 * - `claim_inbound_files`: a 999, 277CA, 835 or 271 central fetched from the clearinghouse (written at
 *   central, replicated to every workstation). One workstation imports it (central grants the import to
 *   the first that asks) and records the result here, so it replicates back: imported (with the
 *   `claim_files` row the import stored) or failed with the reason.
 */
export const sql = /* sql */ `
ALTER TABLE claim_batches ADD COLUMN sent_at TEXT;
ALTER TABLE claim_batches ADD COLUMN send_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claim_batches ADD COLUMN send_error TEXT;
ALTER TABLE claim_batches ADD COLUMN next_send_at TEXT;

CREATE TABLE claim_inbound_files (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(inboundFileKinds)})),
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  content TEXT NOT NULL,
  transport TEXT NOT NULL,
  received_at TEXT NOT NULL,
  imported_at TEXT,
  imported_by_device TEXT,
  file_id TEXT,
  import_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX claim_inbound_files_waiting ON claim_inbound_files (received_at) WHERE imported_at IS NULL;
`;
