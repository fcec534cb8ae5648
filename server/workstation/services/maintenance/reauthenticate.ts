import { checkTotp } from '../../../platform/totp';
import { verifyPassword } from '../../../platform/passwords';
import { fieldError } from '../../../platform/errors';
import type { AuditAction } from '../../../contracts/audit';
import type { Store, Writer } from '../../db/store';
import type { SignedIn } from '../../http/context';
import { lastUsedStep, recordUsedStep } from '../auth/totp-replay';

/**
 * For the actions that hand over or replace the whole database (key export, restore): the administrator
 * proves again who they are — password, and the authenticator code when they have one (never a code
 * already used). A refusal is audited under `action` and thrown as a sentence next to its field; on
 * success `done` runs in the same write as the used code is recorded (so it audits the action itself).
 */
export async function reauthenticate(
  store: Store,
  signedIn: SignedIn,
  input: { password: string; code?: string },
  action: AuditAction,
  done: (w: Writer) => void,
): Promise<void> {
  const { user, actor } = signedIn;
  const refuse = (field: 'password' | 'code', message: string, reason: string): never => {
    store.audit(actor, { action, outcome: 'failure', detail: { reason } });
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
    if (step === null)
      refuse('code', 'That code is not right. Use the newest one your app shows.', 'wrong_code');
    const used = lastUsedStep(store, user, now);
    if (used !== null && step! <= used) {
      refuse('code', 'That code was used already. Wait for the next one.', 'reused_code');
    }
  }
  store.write(actor, (w) => {
    if (step !== null) recordUsedStep(w, user.id, step);
    done(w);
  });
}
