import type { Store } from '../../db/store';

/**
 * CLAIMS HOOK (for the insurance-claims issue). The payment policy counts an insurance-covered visit as
 * cleared once a claim for it exists. Claims do not exist yet, so this answers false; the claims work
 * replaces the body with a lookup of a live claim that includes the encounter (it must stay a synchronous,
 * read-only query: the policy check runs inside request handlers before any write).
 */
export function claimExistsForEncounter(_store: Store, _encounterId: string): boolean {
  return false;
}
