import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { TotpEnrollment } from '../../../contracts/auth';

const PERIOD_SECONDS = 30;
/** Steps of clock drift accepted either way. */
const WINDOW = 1;

/** RFC 6238 with the parameters every authenticator app supports: SHA-1, 6 digits, 30 s. */
function totpFor(secretBase32: string, label = 'Tessera'): TOTP {
  return new TOTP({
    issuer: 'Tessera',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

export interface PendingEnrollment {
  id: string;
  secret: string;
  expiresAt: number;
}

export async function newEnrollment(
  label: string,
  now: number,
): Promise<{ pending: PendingEnrollment; offer: TotpEnrollment }> {
  const secret = new Secret({ size: 20 }).base32;
  const totp = totpFor(secret, label);
  const otpauthUri = totp.toString();
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const id = crypto.randomBytes(16).toString('base64url');
  return {
    pending: { id, secret, expiresAt: now + 10 * 60_000 },
    offer: { enrollmentId: id, secret, otpauthUri, qrSvg },
  };
}

/**
 * Check a code with one step of clock drift either way. Returns the time-step counter the code belongs
 * to, so the caller can refuse a code that was already used (replay), or null when it is wrong.
 */
export function checkTotp(secretBase32: string, code: string, now: number): number | null {
  const totp = totpFor(secretBase32);
  const delta = totp.validate({ token: code, timestamp: now, window: WINDOW });
  if (delta === null) return null;
  return totp.counter({ timestamp: now }) + delta;
}

/** The newest time step whose code checkTotp accepts at `now` (by this computer's clock). */
export const newestAcceptedCounter = (now: number) => Math.floor(now / 1000 / PERIOD_SECONDS) + WINDOW;
