import { parseDateOfBirth } from './dates';
import { compactName, nameWords } from './names';

/**
 * What a search box entry means. Staff type one thing into one box: part of a name (any order), a date of
 * birth, phone digits or an MRN, or a mix ("smith 3/4/85"). Every part must match.
 */
export type SearchPart =
  | { kind: 'name'; word: string }
  | { kind: 'dateOfBirth'; dates: string[] }
  /** Four digits: a birth year or the last four digits of a phone number. */
  | { kind: 'yearOrPhoneEnd'; digits: string }
  | { kind: 'phone'; digits: string }
  /** Seven digits: a local number without its area code. */
  | { kind: 'phoneLocal'; digits: string }
  | { kind: 'mrn'; mrn: string };

export interface ParsedSearch {
  parts: SearchPart[];
  /** Parts that were not understood (e.g. "12"); the search matches nothing when there are any. */
  unmatched: string[];
}

const MRN_LENGTH = 9;

function numericPart(text: string, today: string): SearchPart | null {
  const dates = parseDateOfBirth(text, today);
  // Separators make it a date for certain ("3/4/1985"); bare digits are a date only at 6 or 8 digits.
  if (dates.length && /\D/.test(text)) return { kind: 'dateOfBirth', dates };
  const plus = text.trim().startsWith('+');
  const digits = text.replace(/\D/g, '');
  if (plus && digits.length >= 8)
    return {
      kind: 'phone',
      digits: digits.startsWith('1') && digits.length === 11 ? digits.slice(1) : digits,
    };
  switch (digits.length) {
    case 4:
      return { kind: 'yearOrPhoneEnd', digits };
    case 6:
    case 8:
      return dates.length ? { kind: 'dateOfBirth', dates } : null;
    case 7:
      return { kind: 'phoneLocal', digits };
    case MRN_LENGTH:
      return { kind: 'mrn', mrn: digits };
    case 10:
      return { kind: 'phone', digits };
    case 11:
      return digits.startsWith('1') ? { kind: 'phone', digits: digits.slice(1) } : null;
    default:
      return digits.length >= 12 && digits.length <= 15 ? { kind: 'phone', digits } : null;
  }
}

/** Split a search into parts. `today` (YYYY-MM-DD, the clinic's) resolves two-digit years. */
export function parseSearch(query: string, today: string): ParsedSearch {
  const text = query.normalize('NFKC').trim();
  const parts: SearchPart[] = [];
  const unmatched: string[] = [];
  // No letters at all: one number, however it is punctuated ("(555) 123-4567", "03 04 1985").
  if (!/\p{L}/u.test(text)) {
    const whole = numericPart(text, today) ?? numericPart(text.replace(/\s+/g, ''), today);
    if (whole) return { parts: [whole], unmatched };
  }
  for (const token of text.split(/[\s,;]+/).filter(Boolean)) {
    if (/\p{L}/u.test(token)) {
      // "O'Brien" and "Smith-Jones" are searched run together, as the index also holds them.
      const compact = compactName(token);
      const words = /['’‘`.-]/.test(token) && compact ? [compact] : nameWords(token);
      for (const word of words) parts.push({ kind: 'name', word });
    } else {
      const part = numericPart(token, today);
      if (part) parts.push(part);
      else if (/\d/.test(token)) unmatched.push(token);
    }
  }
  return { parts, unmatched };
}
