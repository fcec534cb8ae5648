/**
 * Money as people type and read it, for integer cents. Pure string and integer arithmetic: no floating
 * point ever touches an amount (no parseFloat, no division by 100, no toFixed). Lives in contracts so the
 * renderer, the servers and the documents format alike; server/domain/billing/money.ts adds the arithmetic.
 */

const AMOUNT = /^\s*\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{0,2}))?\s*$/;

/**
 * "25" → 2500, "25.5" → 2550, "$1,234.56" → 123456, ".75" → 75. Null when it is not a non-negative amount
 * with at most two decimals, or is larger than `max` cents.
 */
export function parseCents(text: string, max = Number.MAX_SAFE_INTEGER): number | null {
  const m = AMOUNT.exec(text);
  if (!m) return null;
  const whole = (m[1] ?? '').replaceAll(',', '');
  const frac = m[2] ?? '';
  if (!whole && !frac) return null;
  if (whole.length > 13) return null;
  const cents = Number(whole || '0') * 100 + Number(frac.padEnd(2, '0'));
  return Number.isSafeInteger(cents) && cents <= max ? cents : null;
}

/** 123456 → "1,234.56"; -5 → "-0.05" (no currency sign: for inputs and tables). */
export function formatCentsPlain(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error('Money is integer cents.');
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const digits = String(abs).padStart(3, '0');
  const grouped = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}.${digits.slice(-2)}`;
}

/** 123456 → "$1,234.56"; -2500 → "−$25.00" (a true minus sign, as on statements). */
export function formatCents(cents: number): string {
  const plain = formatCentsPlain(Math.abs(cents));
  return cents < 0 ? `−$${plain}` : `$${plain}`;
}

/** For an input field: 2550 → "25.50", no grouping. */
export function centsToInput(cents: number): string {
  return formatCentsPlain(cents).replaceAll(',', '');
}
