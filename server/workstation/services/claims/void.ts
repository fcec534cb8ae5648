import type { ClaimStatus } from '../../../contracts/claims/records';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { insertClaim, replanFromClaim } from './create';
import { ClaimLedger } from './ledger';
import { claimLineRows, claimRow, moveClaim } from './rows';

/**
 * Voiding a claim the payer holds (docs/claims.md): a new claim with frequency 8 (CLM05-3) and the payer's
 * claim number in REF*F8 goes out in the next batch with the same lines; the original closes and its lines are
 * released, so they can be billed again (to the right payer, or corrected). Nothing moves in the ledger here:
 * money the payer already paid comes back through its 835 reversal, posted like any other.
 */

/** Statuses of a claim the payer has (or may have) on file: only those can be voided. */
export const VOIDABLE_STATUSES: readonly ClaimStatus[] = ['sent', 'accepted', 'paid', 'partially_paid', 'denied', 'appealed'];

export function voidClaim(store: Store, actor: Actor, claimId: string): { claimId: string; status: ClaimStatus; voidClaimId: string } {
  const claim = claimRow(store, claimId);
  if (claim.frequency === 'void') throw new AppError(409, 'already_void', 'This claim is itself a void; it cannot be voided.');
  if (claim.status === 'closed')
    throw new AppError(409, 'claim_closed', 'This claim is closed (replaced, voided or settled); there is nothing to void.');
  if (!VOIDABLE_STATUSES.includes(claim.status))
    throw new AppError(409, 'claim_not_sent', 'This claim has not reached the payer, so there is nothing to void; correct it and scrub it again instead.');
  if (!claim.payerClaimNumber)
    throw new AppError(
      409,
      'no_payer_claim_number',
      'A void needs the payer’s claim number (from the 277CA or the 835), which this claim has not received yet.',
    );
  const lines = claimLineRows(store, claim.id).filter((l) => l.status !== 'replaced');
  const now = store.nowIso();
  return store.write(actor, (w) => {
    const created = insertClaim(w, store, new ClaimLedger(w, store), {
      planned: replanFromClaim(claim, lines),
      patientId: claim.patientId,
      encounterId: claim.encounterId,
      payerId: claim.payerId,
      coverageId: claim.coverageId,
      priority: claim.priority,
      primaryClaimId: claim.primaryClaimId,
      frequency: 'void',
      replacesClaimId: claim.id,
      payerClaimNumber: claim.payerClaimNumber,
      // A void never moves a charge (insertClaim moves only original primaries).
      chargeEntryOf: () => '',
    });
    for (const l of lines) w.update('claim_lines', l.id, { status: 'replaced', updatedAt: now });
    // The event kinds are a database CHECK list; a void is recorded as the resubmission it is (frequency 8).
    moveClaim(w, store, claim, 'resubmitted', 'closed', { detail: { voidClaimId: created.id } });
    w.audit({ action: 'claims.void', patientId: claim.patientId, detail: { claimId: claim.id, voidClaimId: created.id } });
    return { claimId: claim.id, status: 'closed' as const, voidClaimId: created.id };
  });
}
