import { checkTotp } from '../../../platform/totp';
import { verifyPassword } from '../../../platform/passwords';
import { fieldError } from '../../../platform/errors';
import type { Store } from '../../db/store';
import type { SignedIn } from '../../http/context';
import { lastUsedStep, recordUsedStep } from '../auth/totp-replay';

/**
 * The database key, shown once for escrow (IT keeps it to recover this workstation's data should its key
 * store be lost). The administrator proves again who they are — password, and the authenticator code when
 * they have one (never a code already used) — and both the export and a refused attempt are audited.
 */
export async function exportDatabaseKey(
  store: Store,
  keyHex: string,
  signedIn: SignedIn,
  input: { password: string; code?: string },
): Promise<{ keyHex: string }> {
  const { user, actor } = signedIn;
  const refuse = (field: 'password' | 'code', message: string, reason: string): never => {
    store.audit(actor, { action: 'db.key_export', outcome: 'failure', detail: { reason } });
    throw fieldError(field, message);
  };
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    refuse('password', 'That password is not right.', 'wrong_password');
  }
  let step: number | null = null;
  if (user.mfaSecret) {
    if (!input.code) refuse('code', 'Enter the code from your authenticator app.', 'missing_code');
    const now = store.now().getTime();
    step = checkTotp(user.mfaSecret, input.code!, now);
    if (step === null) refuse('code', 'That code is not right. Use the newest one your app shows.', 'wrong_code');
    const used = lastUsedStep(store, user, now);
    if (used !== null && step! <= used) {
      refuse('code', 'That code was used already. Wait for the next one.', 'reused_code');
    }
  }
  store.write(actor, (w) => {
    if (step !== null) recordUsedStep(w, user.id, step);
    w.audit({ action: 'db.key_export' });
  });
  return { keyHex };
}
