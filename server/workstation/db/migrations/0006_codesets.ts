import { codeSetOrigins } from '../../../contracts/clinical/codes';
import { oneOf } from './sql';

/**
 * Code sets (ICD-10-CM) with releases, and diagnoses recorded before they can be coded.
 *
 * - `reference_code_sets` learns the SHA-256 of the installed file (a workstation compares it with the
 *   release central advertises) and where it came from (a file imported here, or central).
 * - `reference_retired_codes`: codes a newer release dropped, with the release they came from, so a code
 *   already used on a problem or a note still resolves (flagged: not valid for new use). Local, like the
 *   code set itself: each workstation derives it from the releases it installed.
 * - `problems` may be uncoded: `code` is '' and the description is the clinician's free text until someone
 *   picks a code; `recorded_as` keeps that text after coding, `source_note_id` the note it came from.
 */
export const sql = /* sql */ `
ALTER TABLE reference_code_sets ADD COLUMN digest TEXT NOT NULL DEFAULT '';
ALTER TABLE reference_code_sets ADD COLUMN origin TEXT NOT NULL DEFAULT 'file' CHECK (origin IN (${oneOf(codeSetOrigins)}));

CREATE TABLE reference_retired_codes (
  code_set TEXT NOT NULL,
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  release TEXT NOT NULL,
  retired_in TEXT NOT NULL,
  retired_at TEXT NOT NULL,
  PRIMARY KEY (code_set, code)
) STRICT;

ALTER TABLE problems ADD COLUMN recorded_as TEXT;
ALTER TABLE problems ADD COLUMN source_note_id TEXT;
`;
