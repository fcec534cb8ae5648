import type { AllocationLine } from '../../contracts/billing/ledger';
import { assertCents, minCents } from './money';

/**
 * Applying money to charges. Pure: callers pass what is open and get the lines to write. The amounts always
 * add up exactly (integer cents): what cannot be applied comes back as `unappliedCents`.
 */

export interface OpenChargeRef {
  entryId: string;
  /** What is still open on the charge (> 0 to take part). */
  openCents: number;
  serviceDate: string | null;
  postedAt: string;
}

export interface AllocationPlan {
  lines: AllocationLine[];
  /** What is left over (stays as unapplied credit). */
  unappliedCents: number;
}

/** Oldest first: by date of service (charges without one by their posting date), then posting order, then id. */
export function oldestFirst<T extends OpenChargeRef>(charges: readonly T[]): T[] {
  const day = (c: OpenChargeRef) => c.serviceDate ?? c.postedAt.slice(0, 10);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...charges].sort(
    (a, b) => cmp(day(a), day(b)) || cmp(a.postedAt, b.postedAt) || cmp(a.entryId, b.entryId),
  );
}

/** Applies `amountCents` to the open charges, oldest first, each up to what is open on it. */
export function allocateOldestFirst(
  amountCents: number,
  openCharges: readonly OpenChargeRef[],
): AllocationPlan {
  let left = assertCents(amountCents);
  if (left < 0) throw new Error('Cannot allocate a negative amount.');
  const lines: AllocationLine[] = [];
  for (const c of oldestFirst(openCharges)) {
    if (left === 0) break;
    if (c.openCents <= 0) continue;
    const take = minCents(left, assertCents(c.openCents));
    lines.push({ chargeEntryId: c.entryId, amountCents: take });
    left -= take;
  }
  return { lines, unappliedCents: left };
}

/**
 * Splits `totalCents` into integer parts proportional to `weights` (non-negative integers) that add up to
 * exactly `totalCents`: each part gets the floor of its exact share, and the cents left over go one each to
 * the largest remainders (ties: the earlier weight). Deterministic; computed with BigInt so large amounts
 * times large weights cannot lose precision.
 */
export function splitLargestRemainder(totalCents: number, weights: readonly number[]): number[] {
  assertCents(totalCents, 'total');
  if (totalCents < 0) throw new Error('Cannot split a negative amount.');
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new Error('Weights must be non-negative integers.');
  }
  if (!weights.length) {
    if (totalCents === 0) return [];
    throw new Error('Nothing to split the amount across.');
  }
  const sum = weights.reduce((a, b) => a + BigInt(b), 0n);
  if (sum === 0n) {
    if (totalCents === 0) return weights.map(() => 0);
    throw new Error('Cannot split an amount across weights that are all zero.');
  }
  const total = BigInt(totalCents);
  const parts = weights.map((w) => (total * BigInt(w)) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (total * BigInt(w)) % sum }));
  let left = Number(total - parts.reduce((a, b) => a + b, 0n));
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0) break;
    parts[i]! += 1n;
    left--;
  }
  return parts.map(Number);
}

/**
 * Applies `amountCents` across all open charges in proportion to what is open on each (largest remainder),
 * never more than is open on a charge; an amount above the total open leaves the rest unapplied.
 */
export function allocateProportional(
  amountCents: number,
  openCharges: readonly OpenChargeRef[],
): AllocationPlan {
  assertCents(amountCents);
  const open = oldestFirst(openCharges).filter((c) => c.openCents > 0);
  const totalOpen = open.reduce((a, c) => a + c.openCents, 0);
  const applied = minCents(amountCents, totalOpen);
  const parts = splitLargestRemainder(
    applied,
    open.map((c) => c.openCents),
  );
  const lines = open
    .map((c, i) => ({ chargeEntryId: c.entryId, amountCents: parts[i]! }))
    .filter((l) => l.amountCents > 0);
  return { lines, unappliedCents: amountCents - applied };
}

/**
 * Checks explicit lines against what is open: returns a sentence for the first problem, or null. The total
 * must not exceed `availableCents` (the payment's unapplied amount).
 */
export function checkExplicitLines(
  lines: readonly AllocationLine[],
  openCharges: readonly OpenChargeRef[],
  availableCents: number,
): string | null {
  const open = new Map(openCharges.map((c) => [c.entryId, c.openCents]));
  let total = 0;
  for (const l of lines) {
    const o = open.get(l.chargeEntryId);
    if (o === undefined || o <= 0) return 'One of the charges chosen is not open on this account.';
    if (l.amountCents > o) return 'An amount applied to a charge is more than is open on it.';
    total += l.amountCents;
  }
  if (total > availableCents) return 'The amounts applied add up to more than the payment has left to apply.';
  return null;
}
