/**
 * Medical record numbers: 8 random digits and a Luhn check digit (9 digits). Random rather than sequential
 * so two workstations registering offline do not hand out the same number; the check digit catches most
 * single-digit slips and swaps when an MRN is typed.
 */
export const MRN_PATTERN = /^\d{9}$/;

export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** An MRN built from 8 digits (the caller supplies the randomness). */
export function mrnFromDigits(eightDigits: string): string {
  return eightDigits + luhnCheckDigit(eightDigits);
}

export function isValidMrn(mrn: string): boolean {
  return MRN_PATTERN.test(mrn) && luhnCheckDigit(mrn.slice(0, -1)) === mrn.slice(-1);
}
