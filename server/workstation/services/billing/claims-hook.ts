import { and, eq, isNull, ne } from 'drizzle-orm';
import { claims } from '../../db/schema';
import type { Store } from '../../db/store';

/**
 * The payment policy counts an insurance-covered visit as cleared once a live claim for it exists (one
 * not closed: a claim closed after a denial was billed to the patient no longer clears it). Synchronous and
 * read-only: the policy check runs inside request handlers before any write.
 */
export function claimExistsForEncounter(store: Store, encounterId: string): boolean {
  return !!store.orm
    .select({ id: claims.id })
    .from(claims)
    .where(and(eq(claims.encounterId, encounterId), ne(claims.status, 'closed'), isNull(claims.deletedAt)))
    .get();
}
