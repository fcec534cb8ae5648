import { Secret, TOTP } from 'otpauth';

/**
 * RFC 6238 one-time codes for staff (workstation) and central administrators, with the parameters every
 * authenticator app supports: SHA-1, 6 digits, 30 s. One definition, so a code set up on one server is
 * checked the same way on the other (staff accounts made at central sign in on workstations).
 */
const PERIOD_SECONDS = 30;
/** Steps of clock drift accepted either way. */
const WINDOW = 1;

function totpFor(secretBase32: string, issuer: string, label: string): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new random 160-bit secret, base32 as authenticator apps take it. */
export const newTotpSecret = () => new Secret({ size: 20 }).base32;

/** The otpauth:// URI an authenticator app scans (issuer and account label shown in the app). */
export const totpUri = (secretBase32: string, issuer: string, label: string) =>
  totpFor(secretBase32, issuer, label).toString();

/**
 * Check a code with one step of clock drift either way. Returns the time-step counter the code belongs
 * to, so the caller can refuse a code that was already used (replay), or null when it is wrong.
 */
export function checkTotp(secretBase32: string, code: string, now: number): number | null {
  const totp = totpFor(secretBase32, 'Tessera', 'Tessera');
  const delta = totp.validate({ token: code, timestamp: now, window: WINDOW });
  if (delta === null) return null;
  return totp.counter({ timestamp: now }) + delta;
}

/** The newest time step whose code checkTotp accepts at `now` (by this computer's clock). */
export const newestAcceptedCounter = (now: number) => Math.floor(now / 1000 / PERIOD_SECONDS) + WINDOW;
