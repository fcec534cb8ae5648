/**
 * National Provider Identifier check digit (pure). An NPI is 10 digits whose last digit is a Luhn check
 * digit computed over the prefix 80840 (the ISO health-industry card issuer prefix) plus the first 9 digits,
 * so a mistyped NPI is caught at set-up instead of as a clearinghouse rejection days later.
 */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A US employer identification number or SSN used as TIN: 9 digits, punctuation ignored. */
export function normaliseTin(tin: string): string | null {
  const digits = tin.replace(/[\s-]/g, '');
  return /^\d{9}$/.test(digits) ? digits : null;
}

/** Health-care provider taxonomy code (NUCC): 10 characters, ending in X. */
export const TAXONOMY = /^[0-9]{3}[0-9A-Z]{6}X$/;
