import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SyncStatus } from '../../../server/contracts/sync';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useAuth } from '../../app/auth';
import { NotLaunched, Starting } from '../../app/guards';
import { Alert } from '../../ui/Alert';
import { useDocumentTitle } from '../../ui/Page';
import { AuthCard } from '../auth/AuthCard';
import { EnrollForm } from './EnrollForm';
import './sync.css';

/**
 * First run on a workstation for a clinic that already uses Tessera: enroll with a one-time code instead of
 * setting up a new clinic. The clinic's records (staff accounts included) download before sign-in opens.
 */
export function JoinClinicPage() {
  useDocumentTitle('Join a clinic');
  const auth = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const setup = useQuery({ queryKey: keys.setupStatus, queryFn: () => call('setupStatus') });
  const [joined, setJoined] = useState<SyncStatus | null>(null);
  const status = useQuery({
    queryKey: keys.syncStatus,
    queryFn: () => call('syncStatus', { background: true }),
    refetchInterval: joined ? 1_000 : false,
  });
  const current = joined ? (status.data ?? joined) : null;
  const done = current?.initialSync.done ?? false;

  useEffect(() => {
    if (!done) return;
    void queryClient.invalidateQueries({ queryKey: keys.setupStatus });
    void navigate('/login', { replace: true });
  }, [done, navigate, queryClient]);

  if (auth.state.status === 'notLaunched') return <NotLaunched message={auth.state.message} />;
  if (setup.isPending || status.isPending) return <Starting />;
  if (!joined && setup.data && !setup.data.needed) return <Navigate to="/login" replace />;

  if (current) {
    return (
      <AuthCard title="Downloading the clinic’s records">
        {current.state === 'offline' ||
        current.state === 'error' ||
        current.state === 'revoked' ||
        current.state === 'update_required' ? (
          <Alert tone="warning">{current.message}</Alert>
        ) : (
          <p className="progress-line" role="status" data-testid="join-progress">
            {current.initialSync.received.toLocaleString()} records received
            {current.initialSync.total ? ` of about ${current.initialSync.total.toLocaleString()}` : ''}.
            Sign-in opens when the download is complete.
          </p>
        )}
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Join a clinic" wide>
      <p>
        Enroll this workstation with the clinic’s central server. Staff then sign in here with their usual
        accounts, also when the network is down.
      </p>
      {setup.isError ? <Alert tone="error">{errorMessage(setup.error)}</Alert> : null}
      <EnrollForm
        endpoint="syncJoin"
        centralUrl={status.data?.centralUrl ?? null}
        locked={status.data?.centralUrlLocked ?? false}
        submitLabel="Join the clinic"
        onEnrolled={(s) => {
          queryClient.setQueryData(keys.syncStatus, s);
          setJoined(s);
        }}
      />
      <p className="small">
        <Link to="/setup">Set up a new clinic instead</Link>
      </p>
    </AuthCard>
  );
}
