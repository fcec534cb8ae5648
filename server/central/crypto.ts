import crypto from 'node:crypto';

/**
 * Secrets at rest and tokens. Column encryption: AES-256-GCM with a key derived (HKDF-SHA256) from the
 * central secret, the value's place (table, row, field) bound in as associated data so a ciphertext cannot
 * be moved to another row. Enrollment codes are random; only their SHA-256 is stored
 * (server/platform/secrets).
 */

const PREFIX = 'enc:v1:';

export class ColumnCipher {
  readonly #key: Buffer;

  constructor(secret: Buffer) {
    this.#key = Buffer.from(crypto.hkdfSync('sha256', secret, 'tessera-central', 'column-encryption-v1', 32));
  }

  encrypt(plain: string, place: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(place, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(stored: string, place: string): string {
    if (!stored.startsWith(PREFIX)) throw new Error('Value is not encrypted.');
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(place, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /**
   * The clinic's key for secrets sent to its workstations (see domain/sync/secret-wrap.ts): derived, so
   * nothing more is stored, and given to a workstation only in the answer to its enrollment.
   */
  wrapKeyFor(clinicId: string): Buffer {
    return Buffer.from(crypto.hkdfSync('sha256', this.#key, clinicId, 'clinic-secret-wrapping-v1', 32));
  }

  static isEncrypted(value: unknown): boolean {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }
}

/** Crockford base32 without I, L, O, U: easy to read aloud and type. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 16 symbols (80 bits), shown as ABCD-EFGH-JKMN-PQRS; stored as the hash of the 16 symbols. */
export function newEnrollmentCode(): { display: string; normalized: string } {
  const bytes = crypto.randomBytes(16);
  const normalized = Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
  return { display: normalized.match(/.{4}/g)!.join('-'), normalized };
}
