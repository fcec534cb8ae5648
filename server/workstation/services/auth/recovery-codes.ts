import crypto from 'node:crypto';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function randomChunk(length: number): string {
  let out = '';
  for (const byte of crypto.randomBytes(length)) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/**
 * Ten one-time recovery codes (about 49 bits each). They are random, not chosen by people, so a plain
 * SHA-256 is enough to keep them unusable if the database were read.
 */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: 10 }, () => `${randomChunk(5)}-${randomChunk(5)}`);
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

export const hashRecoveryCode = (code: string) =>
  crypto.createHash('sha256').update(code.trim().toLowerCase()).digest('hex');
