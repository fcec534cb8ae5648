import crypto from 'node:crypto';
import { policyFor, type Row } from './policies';

/**
 * Secrets on the wire. Staff password hashes, MFA secrets and recovery-code hashes (a table policy's
 * `encryptedFields`) must reach every workstation, since sign-in works offline, but a pull is answered to
 * anyone holding a device credential. Central therefore sends them wrapped: AES-256-GCM under the clinic's
 * wrapping key, which a workstation receives once, in the answer to its enrollment (with the credential,
 * stored in its encrypted database), and never in a pull. Each value is bound to its clinic, table, row
 * and field, so a wrapped value cannot be moved to another account. Workstations send their own changes
 * unwrapped (over TLS, to central, which encrypts them at rest).
 */

export const WRAP_PREFIX = 'wrap:v1:';
const KEY_BYTES = 32;

const place = (clinicId: string, table: string, rowId: string, field: string) =>
  `${clinicId}/${table}/${rowId}/${field}`;

export function wrapSecret(key: Buffer, plain: string, where: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(where, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return WRAP_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Throws when the value was not wrapped with this key for this place (another clinic, another account). */
export function unwrapSecret(key: Buffer, wrapped: string, where: string): string {
  if (!wrapped.startsWith(WRAP_PREFIX)) throw new Error('The value is not wrapped.');
  const raw = Buffer.from(wrapped.slice(WRAP_PREFIX.length), 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(where, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** The wrapping key as it travels in the enrollment answer, and back. */
export const encodeWrapKey = (key: Buffer) => key.toString('base64url');
export function decodeWrapKey(text: string): Buffer {
  const key = Buffer.from(text, 'base64url');
  if (key.length !== KEY_BYTES) throw new Error('The wrapping key has the wrong length.');
  return key;
}

/** The row with its secret fields wrapped (strings only; null stays null). */
export function wrapRowSecrets(key: Buffer, clinicId: string, table: string, rowId: string, row: Row): Row {
  const fields = policyFor(table).encryptedFields;
  if (!fields.length) return row;
  const out = { ...row };
  for (const f of fields) {
    const v = out[f];
    if (typeof v === 'string') out[f] = wrapSecret(key, v, place(clinicId, table, rowId, f));
  }
  return out;
}

/** The row with its secret fields unwrapped; throws if one is not wrapped for this clinic and row. */
export function unwrapRowSecrets(key: Buffer, clinicId: string, table: string, rowId: string, row: Row): Row {
  const fields = policyFor(table).encryptedFields;
  if (!fields.length) return row;
  const out = { ...row };
  for (const f of fields) {
    const v = out[f];
    if (typeof v === 'string') out[f] = unwrapSecret(key, v, place(clinicId, table, rowId, f));
  }
  return out;
}
