import { MAX_AMOUNT_CENTS } from '../../contracts/billing/ledger';

/**
 * Money arithmetic for the ledger. Every amount is an integer number of cents; these helpers refuse
 * anything else instead of rounding it away. Formatting and parsing for people live in
 * server/contracts/billing/money.ts (shared with the renderer) and are re-exported here.
 */
export { centsToInput, formatCents, formatCentsPlain, parseCents } from '../../contracts/billing/money';

export function isCents(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/** Throws unless `n` is a safe integer (a programming error, never user input: that is validated by zod). */
export function assertCents(n: number, what = 'amount'): number {
  if (!isCents(n)) throw new Error(`The ${what} must be a whole number of cents.`);
  return n;
}

/** A posted amount: whole cents, above zero, at most the ledger's maximum. */
export function isPostableAmount(n: number): boolean {
  return isCents(n) && n > 0 && n <= MAX_AMOUNT_CENTS;
}

export function sumCents(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += assertCents(v);
  return assertCents(total, 'total');
}

export const minCents = (a: number, b: number) => (a < b ? a : b);
