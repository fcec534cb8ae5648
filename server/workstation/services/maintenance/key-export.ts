import type { Store } from '../../db/store';
import type { SignedIn } from '../../http/context';
import { reauthenticate } from './reauthenticate';

/**
 * The database key, shown once for escrow (IT keeps it to recover this workstation's data should its key
 * store be lost), only after the administrator signs in again; the export and refused attempts are audited.
 */
export async function exportDatabaseKey(
  store: Store,
  keyHex: string,
  signedIn: SignedIn,
  input: { password: string; code?: string },
): Promise<{ keyHex: string }> {
  await reauthenticate(store, signedIn, input, 'db.key_export', (w) => w.audit({ action: 'db.key_export' }));
  return { keyHex };
}
