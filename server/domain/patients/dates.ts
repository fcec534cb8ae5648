/**
 * Dates of birth as front-desk staff type them: 3/4/1985, 03/04/1985, 3-4-85, 03041985, 1985-03-04,
 * 19850304. Month comes first (US practice) unless the first number cannot be a month (25/03/1985).
 * Two-digit years mean the most recent such year that is not in the future.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** A real calendar date as YYYY-MM-DD, or null (31 February, month 13). */
export function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

/** A two-digit year as the latest matching year not after `today`'s. */
export function expandYear(twoDigits: number, today: string): number {
  const thisYear = Number(today.slice(0, 4));
  const century = Math.floor(thisYear / 100) * 100;
  const candidate = century + twoDigits;
  return candidate > thisYear ? candidate - 100 : candidate;
}

/** Plausible for a date of birth: not in the future, not before 1900. */
const plausible = (iso: string | null, today: string): iso is string =>
  iso !== null && iso <= today && iso >= '1900-01-01';

/**
 * Every date of birth the text could mean (usually one; "03041985" could also be read as nothing else,
 * "19850304" only as 1985-03-04). Empty when the text is not a date.
 */
export function parseDateOfBirth(text: string, today: string): string[] {
  const t = text.trim();
  const out = new Set<string>();
  const add = (iso: string | null) => {
    if (plausible(iso, today)) out.add(iso);
  };
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (m) add(isoDate(Number(m[1]), Number(m[2]), Number(m[3])));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(t);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = m[3]!.length === 2 ? expandYear(Number(m[3]), today) : Number(m[3]);
    // Month first; day first only when the first number cannot be a month.
    add(a <= 12 ? isoDate(y, a, b) : isoDate(y, b, a));
  }
  m = /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (m) add(isoDate(Number(m[3]), Number(m[1]), Number(m[2])));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) add(isoDate(Number(m[1]), Number(m[2]), Number(m[3])));
  m = /^(\d{2})(\d{2})(\d{2})$/.exec(t);
  if (m) add(isoDate(expandYear(Number(m[3]), today), Number(m[1]), Number(m[2])));
  return [...out];
}

