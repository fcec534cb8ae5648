import type { Row } from '../../contracts/sync';
import { policyFor } from '../../domain/sync/policies';
import { decodeWrapKey, unwrapRowSecrets } from '../../domain/sync/secret-wrap';
import type { Store } from '../db/store';

/**
 * The clinic's key for the staff secrets central sends wrapped (domain/sync/secret-wrap.ts). It arrives
 * once, with the enrollment, and is kept in the encrypted database next to the device credential.
 */
export const SECRETS_KEY_META = 'sync_secrets_key';

/** Kept in the enrollment's own write (the writer's transaction): enrolled with the key, or not at all. */
export function saveSecretsKey(w: { setMeta(key: string, value: string): void }, encoded: string): void {
  decodeWrapKey(encoded);
  w.setMeta(SECRETS_KEY_META, encoded);
}

/**
 * Unwraps the secret fields of rows from central, for the tables that have any. A row whose secrets this
 * workstation cannot unwrap (no key: enrolled before keys existed; or not wrapped for this clinic and row)
 * throws, and the applier keeps it in the conflict inbox instead of storing it.
 */
export function secretUnwrapper(store: Store): (table: string, rowId: string, row: Row) => Row {
  let key: Buffer | null | undefined;
  return (table, rowId, row) => {
    if (!policyFor(table).encryptedFields.length) return row;
    if (key === undefined) {
      const encoded = store.getMeta(SECRETS_KEY_META);
      key = encoded ? decodeWrapKey(encoded) : null;
    }
    if (!key) throw Object.assign(new Error('no secrets key'), { code: 'secrets_key_missing' });
    return unwrapRowSecrets(key, store.requireClinicId(), table, rowId, row);
  };
}
