import { and, eq } from 'drizzle-orm';
import { claims } from '../../db/schema';
import type { Store } from '../../db/store';
import { liveClaim } from '../claims/rows';

/**
 * The payment policy counts an insurance-covered visit as cleared once a live claim for it exists (not
 * closed: a claim closed after a denial was billed to the patient no longer clears it; and not a void,
 * which cancels the visit's claim at the payer and bills nothing). Synchronous and read-only: the policy
 * check runs inside request handlers before any write.
 */
export function claimExistsForEncounter(store: Store, encounterId: string): boolean {
  return !!store.orm
    .select({ id: claims.id })
    .from(claims)
    .where(and(eq(claims.encounterId, encounterId), liveClaim()))
    .get();
}
