/**
 * Money as text, without floating point: amounts are integer cents, and turning them into "$1,234.56" or
 * reading "1234.56" back is done on digits (strings and integers), never by dividing or multiplying a
 * float. Shared by the servers and the screens (tests/unit/billing/no-float-money.test.ts keeps it so).
 */

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** 123456 -> "1,234.56" (no currency sign); negative amounts get a leading minus. */
export function centsToDecimal(cents: number, opts: { grouping?: boolean } = {}): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError('An amount is a whole number of cents.');
  const negative = cents < 0;
  const digits = String(negative ? -cents : cents).padStart(3, '0');
  const whole = digits.slice(0, -2);
  const text = `${opts.grouping === false ? whole : group(whole)}.${digits.slice(-2)}`;
  return negative ? `-${text}` : text;
}

/** 123456 -> "$1,234.56"; -500 -> "-$5.00". */
export function formatCents(cents: number): string {
  const text = centsToDecimal(cents);
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

/**
 * "25", "$25.5", "1,234.50" -> cents; null when the text is not an amount of at most two decimals
 * (or is above `maxCents`). Negative amounts are not read: the form says which way money moves.
 */
export function parseCents(text: string, maxCents = 100_000_000): number | null {
  const m = /^\s*\$?\s*(\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const whole = m[1]!.replaceAll(',', '');
  const cents = Number(`${whole}${(m[2] ?? '').padEnd(2, '0')}`);
  return Number.isSafeInteger(cents) && cents <= maxCents ? cents : null;
}
