import type { CodeCheck } from '../../../domain/claims/scrubber';
import type { Store } from '../../db/store';
import { codeSet, resolveCode } from '../clinical/icd10/code-set';

/**
 * The scrubber's ICD-10-CM question answered by the installed code set. A code the installed release has is
 * valid (or, from CDC's order file, a non-billable category); a code the release dropped is refused, since
 * claims go out for recent services and the release in use is the one for them; with no code set, or only a
 * partial one that lacks the code, the code cannot be judged and the scrubber warns instead of refusing.
 */
export function diagnosisChecker(store: Store): (code: string, dateOfService: string) => CodeCheck {
  const { index, status } = codeSet(store);
  return (code) => {
    if (status.coverage === 'none') return 'no_code_set';
    const entry = index.lookup(code);
    if (entry) return entry.billable ? 'valid' : 'not_billable';
    if (resolveCode(store, code)?.status === 'retired') return 'unknown';
    return status.coverage === 'full' ? 'unknown' : 'no_code_set';
  };
}
