import { useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { Button } from '../ui/Button';
import { Alert } from '../ui/Alert';
import { SignInSteps } from '../features/auth/SignInSteps';
import { useAuth, useSession } from './auth';

/**
 * Full-screen modal over the app after the idle time-out (or when the server session was found gone).
 * The same user signs in again and the screen beneath comes back as it was; anyone else signs out, which
 * discards unsaved work on purpose. The backdrop is opaque so patient data is not visible while locked.
 */
export function LockScreen() {
  const { state, unlock, signOut } = useAuth();
  const session = useSession();
  const reason = state.status === 'signedIn' ? state.lockReason : undefined;
  const why =
    reason === 'manual'
      ? 'You locked the screen.'
      : reason === 'session_lost'
        ? 'Your session ended, for example while the computer was asleep.'
        : `Tessera locked the screen after ${session.idleTimeoutMinutes} minutes without activity.`;
  const [error, setError] = useState<string | null>(null);

  return (
    <Dialog title="Screen locked" opaque className="lock-dialog" testId="lock-screen">
      <p>
        Signed in as <strong>{session.user.fullName}</strong>. {why} Your work is kept: sign in again to
        continue where you left off.
      </p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <SignInSteps
        fixedUsername={session.user.username}
        submitLabel="Unlock screen"
        onSignedIn={(next) => {
          if (next.user.id !== session.user.id) {
            // Cannot happen with the username fixed, but never show one person's screen to another.
            setError('That is a different account. Sign out instead.');
            return;
          }
          unlock(next);
        }}
      />
      <div className="lock-footer">
        <span>Not {session.user.fullName}?</span>
        <Button onClick={() => void signOut('locked')}>Sign out</Button>
      </div>
    </Dialog>
  );
}
