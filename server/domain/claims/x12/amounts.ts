import { parseCents } from '../../../contracts/billing/money';

/**
 * X12 decimal amounts (type R) and integer cents, with no floating point: "123.45" ↔ 12345, "-5" ↔ -500.
 * Both the 837P builder and the validator go through here, so the money scan has one place to look.
 */

/** Cents as an X12 decimal: 12345 → "123.45", 50000 → "500", 12340 → "123.4", -500 → "-5". */
export function x12Amount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error('An amount is not a whole number of cents.');
  const sign = cents < 0 ? '-' : '';
  const digits = String(Math.abs(cents)).padStart(3, '0');
  const fraction = digits.slice(-2).replace(/0+$/, '');
  return `${sign}${digits.slice(0, -2)}${fraction ? `.${fraction}` : ''}`;
}

/** An X12 decimal as cents, or null when it is not an amount with at most two decimals. */
export function centsOfX12Amount(text: string): number | null {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(body)) return null;
  const cents = parseCents(body);
  return cents === null ? null : negative ? -cents : cents;
}
