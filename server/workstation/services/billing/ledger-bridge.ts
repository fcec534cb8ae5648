import type { Actor, Store } from '../../db/store';

/**
 * The one place the fee and charge services meet the ledger (server/workstation/services/billing/ledger.ts,
 * owned by the ledger work): posting a closed visit's lines as `charge` entries, reversing one, and the
 * patient's balance for the payment policy.
 */

export interface ChargeToPost {
  chargeLineId: string;
  patientId: string;
  encounterId: string;
  amountCents: number;
  serviceDate: string;
  providerUserId: string;
  locationId: string | null;
  memo: string;
}

/** Post charge entries; answers the ledger entry id of each line, by line id. */
export function postCharges(_store: Store, _actor: Actor, _charges: ChargeToPost[]): Map<string, string> {
  throw new Error('The ledger is not merged yet.');
}

/** Reverse one charge entry; answers the reversal's id. */
export function reverseCharge(
  _store: Store,
  _actor: Actor,
  _input: { patientId: string; entryId: string; memo: string },
): string {
  throw new Error('The ledger is not merged yet.');
}

/** What the patient owes on their account now (patient responsibility, less unapplied credit). */
export function patientBalanceCents(_store: Store, _patientId: string): number {
  return 0;
}

/** Payments already posted for this visit (a copay collected at check-in). */
export function visitPaymentsCents(_store: Store, _encounterId: string | null, _appointmentId: string | null): number {
  return 0;
}
