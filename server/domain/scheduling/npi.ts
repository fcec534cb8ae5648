/**
 * National Provider Identifier check: 10 digits whose last is a Luhn check digit computed over the
 * 9-digit base prefixed with 80840 (the ISO card-issuer prefix for US health), per CMS's NPI standard.
 */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  return npiCheckDigit(npi.slice(0, 9)) === Number(npi[9]);
}

export function npiCheckDigit(base9: string): number {
  const digits = `80840${base9}`;
  let sum = 0;
  // Luhn: double every second digit from the right of the payload (the check digit is not there yet).
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}
