import type { AllocationLine } from '../../contracts/billing/ledger';
import { allocateOldestFirst, oldestFirst, splitLargestRemainder, type OpenChargeRef } from './allocation';
import { assertCents } from './money';

/**
 * A guarantor's payment split across the accounts of the family (docs/billing.md, "Family payments"): one
 * payment entry per account that gets a share, each applied to that account's own charges. Pure: given
 * what the patients owe on each account's open charges, it answers each account's share and the charges
 * it is applied to; every share is whole cents, never negative, and the shares add up to the payment.
 *
 * - `oldest_first`: the family's open charges, oldest first across every account (date of service, then
 *   posting), as if they were one account;
 * - `by_balance`: shares in proportion to what each patient owes (largest remainder, so they add up);
 * - `explicit`: the amounts the person at the desk typed per account (checked by the service: they must
 *   add up to the payment), each applied oldest first within its account.
 *
 * Whatever the family does not owe stays as unapplied credit on the first account (the one the payment
 * was taken on), or, for explicit amounts, on the account it was meant for.
 */

export type FamilySplitMode = 'oldest_first' | 'by_balance' | 'explicit';

export interface FamilyAccountOpen {
  patientId: string;
  /** Open charges with `openCents` = what the patient owes on each (not insurance's part). */
  charges: readonly OpenChargeRef[];
}

export interface FamilyShare {
  patientId: string;
  amountCents: number;
  /** The charges of this account the share is applied to; the rest of the share is unapplied credit. */
  lines: AllocationLine[];
}

const owedOn = (a: FamilyAccountOpen) => a.charges.reduce((t, c) => t + Math.max(0, c.openCents), 0);

export function splitFamilyPayment(
  amountCents: number,
  accounts: readonly FamilyAccountOpen[],
  request: { mode: FamilySplitMode; lines?: readonly { patientId: string; amountCents: number }[] },
): FamilyShare[] {
  assertCents(amountCents, 'payment');
  if (amountCents <= 0) throw new Error('A payment is more than nothing.');
  if (!accounts.length) throw new Error('A family payment needs at least one account.');
  const shares = accounts.map((a): FamilyShare => ({ patientId: a.patientId, amountCents: 0, lines: [] }));
  /** An account's part applied oldest first within it; what it does not owe stays as its credit. */
  const applyWithin = (share: FamilyShare, account: FamilyAccountOpen, cents: number) => {
    share.amountCents += cents;
    share.lines.push(...allocateOldestFirst(cents, account.charges).lines);
  };

  if (request.mode === 'explicit') {
    const lines = request.lines ?? [];
    const total = lines.reduce((t, l) => t + assertCents(l.amountCents, 'share'), 0);
    if (total !== amountCents) throw new Error('The amounts per account must add up to the payment.');
    if (new Set(lines.map((l) => l.patientId)).size !== lines.length)
      throw new Error('Each account is named once.');
    for (const l of lines) {
      if (l.amountCents < 0) throw new Error('A share is never negative.');
      const i = accounts.findIndex((a) => a.patientId === l.patientId);
      if (i < 0) throw new Error('An amount names an account outside the family.');
      if (l.amountCents > 0) applyWithin(shares[i]!, accounts[i]!, l.amountCents);
    }
  } else if (request.mode === 'oldest_first') {
    // Every open charge of the family in one list, oldest first; the entry id keeps the order total.
    const owner = new Map<string, number>();
    const all: OpenChargeRef[] = [];
    accounts.forEach((a, i) =>
      a.charges.forEach((c) => {
        owner.set(c.entryId, i);
        all.push(c);
      }),
    );
    const plan = allocateOldestFirst(amountCents, oldestFirst(all));
    for (const line of plan.lines) {
      const share = shares[owner.get(line.chargeEntryId)!]!;
      share.amountCents += line.amountCents;
      share.lines.push(line);
    }
    shares[0]!.amountCents += plan.unappliedCents;
  } else {
    const owed = accounts.map(owedOn);
    const familyOwes = owed.reduce((a, b) => a + b, 0);
    if (familyOwes === 0) {
      shares[0]!.amountCents += amountCents;
    } else {
      const toShare = Math.min(amountCents, familyOwes);
      splitLargestRemainder(toShare, owed).forEach((cents, i) => {
        if (cents > 0) applyWithin(shares[i]!, accounts[i]!, cents);
      });
      shares[0]!.amountCents += amountCents - toShare;
    }
  }
  return shares.filter((s) => s.amountCents > 0);
}
