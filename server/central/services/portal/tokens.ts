import { newToken, sha256 } from '../../../platform/secrets';

/**
 * Portal tokens (invitation links, session cookies): `<clinicId>.<256 random bits>`. The clinic id says in
 * which tenant to look the token up (it is not secret and not patient data); only the SHA-256 is stored.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newPortalToken(clinicId: string): { token: string; hash: string } {
  const token = `${clinicId}.${newToken()}`;
  return { token, hash: sha256(token) };
}

/** The token's clinic and hash, or null when it is not shaped like one of ours. */
export function readPortalToken(token: string): { clinicId: string; hash: string } | null {
  const dot = token.indexOf('.');
  if (dot !== 36) return null;
  const clinicId = token.slice(0, 36);
  const rest = token.slice(37);
  if (!UUID.test(clinicId) || !/^[A-Za-z0-9_-]{43}$/.test(rest)) return null;
  return { clinicId: clinicId.toLowerCase(), hash: sha256(token) };
}

export const emailHash = (email: string) => sha256(email.trim().normalize('NFC').toLowerCase());
