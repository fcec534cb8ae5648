import crypto from 'node:crypto';

/**
 * Comparisons and digests of secrets (launch tokens, cookies, bearer tokens). Both sides are hashed to
 * SHA-256 first, so the comparison takes the same time whatever the inputs, and never throws: a raw
 * timingSafeEqual needs equal byte lengths, which two strings of equal length need not have (non-ASCII).
 */
export function sameSecret(a: string, b: string): boolean {
  return crypto.timingSafeEqual(digest(a), digest(b));
}

const digest = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest();

/** Hex SHA-256, for storing a token's digest instead of the token. */
export const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** A random 256-bit token, URL-safe. */
export const newToken = () => crypto.randomBytes(32).toString('base64url');
