import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { signedOutReasonSchema, type SignedOutReason } from '../../../server/contracts/auth';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useAuth } from '../../app/auth';
import { NotLaunched, safeNext, Starting } from '../../app/guards';
import { Alert } from '../../ui/Alert';
import { useDocumentTitle } from '../../ui/Page';
import { SignInSteps } from './SignInSteps';
import { AuthCard } from './AuthCard';

const reasonText: Record<SignedOutReason, string> = {
  expired: 'Your session expired. Sign in again to continue.',
  locked: 'The screen was locked and you were signed out. Sign in again to continue.',
  signed_out: 'You signed out.',
};

export function LoginPage() {
  useDocumentTitle('Sign in');
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const { state, signIn } = useAuth();
  const setup = useQuery({ queryKey: keys.setupStatus, queryFn: () => call('setupStatus') });

  const reason = signedOutReasonSchema.safeParse(params.get('reason'));
  const next = safeNext(params.get('next'));
  const suggestedUsername = (location.state as { username?: string } | null)?.username;

  if (state.status === 'loading' || setup.isPending) return <Starting />;
  if (state.status === 'notLaunched') return <NotLaunched message={state.message} />;
  if (state.status === 'signedIn' && !state.locked) return <Navigate to={next} replace />;
  if (setup.data?.needed) return <Navigate to="/setup" replace />;

  return (
    <AuthCard title="Sign in">
      {reason.success ? (
        <Alert tone={reason.data === 'signed_out' ? 'info' : 'warning'} testId="signin-reason">
          {reasonText[reason.data]}
        </Alert>
      ) : null}
      {setup.isError ? <Alert tone="error">{errorMessage(setup.error)}</Alert> : null}
      <SignInSteps
        initialUsername={suggestedUsername}
        onSignedIn={(session) => {
          signIn(session);
          void navigate(next, { replace: true });
        }}
      />
    </AuthCard>
  );
}
