import crypto from 'node:crypto';

/**
 * Secrets at rest and tokens. Column encryption: AES-256-GCM with a key derived (HKDF-SHA256) from the
 * central secret, the value's place (table, row, field) bound in as associated data so a ciphertext cannot
 * be moved to another row. Enrollment codes are random; only their SHA-256 is stored
 * (server/platform/secrets).
 */

const PREFIX = 'enc:v1:';

/** Where the wrap root is kept in central_meta, encrypted under the column key (see `wrapRoot`). */
export const WRAP_ROOT_PLACE = 'central_meta/wrap_root';

export class ColumnCipher {
  readonly #key: Buffer;
  readonly #wrapRoot: Buffer;
  /** Wrapping keys already derived, by clinic: every pull and push needs its clinic's, HKDF is not free. */
  readonly #wrapKeys = new Map<string, Buffer>();

  /**
   * `wrapRoot`: what clinic wrapping keys derive from. Until the central secret is first rotated it is the
   * column key itself; rotation stores it (encrypted) in central_meta so that the keys workstations received
   * at enrollment stay valid under the new secret (see services/secret-rotation.ts).
   */
  constructor(secret: Buffer, wrapRoot?: Buffer) {
    this.#key = Buffer.from(crypto.hkdfSync('sha256', secret, 'tessera-central', 'column-encryption-v1', 32));
    this.#wrapRoot = wrapRoot ? Buffer.from(wrapRoot) : this.#key;
  }

  /** The root of the clinics' wrapping keys, for rotation to carry over to the next secret. */
  get wrapRoot(): Buffer {
    return Buffer.from(this.#wrapRoot);
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
    let key = this.#wrapKeys.get(clinicId);
    if (!key) {
      key = Buffer.from(crypto.hkdfSync('sha256', this.#wrapRoot, clinicId, 'clinic-secret-wrapping-v1', 32));
      // Bounded (a clinic id comes from an authenticated device, but the map must not grow without end).
      if (this.#wrapKeys.size >= 10_000) this.#wrapKeys.clear();
      this.#wrapKeys.set(clinicId, key);
    }
    // A copy: a caller that zeroes or changes its key must not change the next caller's.
    return Buffer.from(key);
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

/**
 * The cipher for a database: with the wrap root central_meta holds once the secret has been rotated. A
 * secret that cannot open it is not this database's secret, and central must not run with it.
 */
export function columnCipherFor(secret: Buffer, storedWrapRoot: string | null): ColumnCipher {
  const plain = new ColumnCipher(secret);
  if (storedWrapRoot === null) return plain;
  let hex: string;
  try {
    hex = plain.decrypt(storedWrapRoot, WRAP_ROOT_PLACE);
  } catch {
    throw new WrongSecretError();
  }
  return new ColumnCipher(secret, Buffer.from(hex, 'hex'));
}

export class WrongSecretError extends Error {
  constructor() {
    super(
      'TESSERA_CENTRAL_SECRET is not the secret this database is encrypted with (after `tessera-central secret rotate`, give central the new one).',
    );
  }
}
