import crypto from 'node:crypto';
import QRCode from 'qrcode';
import type { TotpEnrollment } from '../../../contracts/auth';
import { newTotpSecret, totpUri } from '../../../platform/totp';

export interface PendingEnrollment {
  id: string;
  secret: string;
  expiresAt: number;
}

/** A staff member's authenticator set-up: the secret, its URI and QR code, held pending for ten minutes. */
export async function newEnrollment(
  label: string,
  now: number,
): Promise<{ pending: PendingEnrollment; offer: TotpEnrollment }> {
  const secret = newTotpSecret();
  const otpauthUri = totpUri(secret, 'Tessera', label);
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const id = crypto.randomBytes(16).toString('base64url');
  return {
    pending: { id, secret, expiresAt: now + 10 * 60_000 },
    offer: { enrollmentId: id, secret, otpauthUri, qrSvg },
  };
}
