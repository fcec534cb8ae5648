import type { ClearanceReason } from '../../contracts/billing/charges';
import type { PaymentPolicy } from '../../contracts/billing/setup';

/**
 * The clinic's payment policy at a visit (pure): may staff start the visit (or sign its note) without
 * asking? A visit is cleared when the policy is off, when what the patient owes is within the tolerance,
 * when insurance is on file and in effect on the visit date (if the policy counts it), when a claim for the
 * visit exists (the claims issue answers that), or when someone acknowledged a warning / a permitted user
 * overrode a block with a reason.
 */

export interface ClearanceFacts {
  dueCents: number;
  insuranceInEffect: boolean;
  claimCreated: boolean;
  /** The strongest answer recorded for this visit, if any. */
  answered: 'acknowledge' | 'override' | null;
}

export interface Clearance {
  cleared: boolean;
  reason: ClearanceReason | null;
  /** 'none' when cleared; else what the screen must do: ask to continue (warn) or refuse (block). */
  outcome: 'none' | 'warn' | 'block';
}

export function visitClearance(policy: PaymentPolicy, facts: ClearanceFacts): Clearance {
  if (policy.mode === 'off') return { cleared: true, reason: 'policy_off', outcome: 'none' };
  if (facts.dueCents <= policy.toleranceCents) return { cleared: true, reason: 'nothing_due', outcome: 'none' };
  if (facts.claimCreated) return { cleared: true, reason: 'claim_created', outcome: 'none' };
  if (policy.insuranceClears && facts.insuranceInEffect)
    return { cleared: true, reason: 'insurance_in_effect', outcome: 'none' };
  if (facts.answered === 'override') return { cleared: true, reason: 'overridden', outcome: 'none' };
  if (policy.mode === 'warn' && facts.answered === 'acknowledge')
    return { cleared: true, reason: 'acknowledged', outcome: 'none' };
  return { cleared: false, reason: null, outcome: policy.mode };
}

/** Amount the patient owes at the visit: their balance plus this visit's copay not yet paid, never below 0. */
export function dueAtVisitCents(patientBalanceCents: number, copayDueCents: number, copayPaidCents: number): number {
  const copayOpen = Math.max(0, copayDueCents - copayPaidCents);
  return Math.max(0, patientBalanceCents + copayOpen);
}

export const defaultPaymentPolicy: PaymentPolicy = {
  mode: 'off',
  atVisitStart: true,
  atNoteSigning: true,
  toleranceCents: 0,
  insuranceClears: true,
};
