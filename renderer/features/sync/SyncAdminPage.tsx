import { useState } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatDateTime } from '../../ui/format';
import { Loading, PageHeader } from '../../ui/Page';
import { EnrollForm } from './EnrollForm';
import { stateLabels, useSyncStatus } from './SyncStatusPill';
import './sync.css';

function skewText(ms: number | null): string {
  if (ms === null) return 'Not measured yet';
  const abs = Math.abs(ms);
  if (abs < 2_000) return 'In step with the central server';
  const amount =
    abs >= 3_600_000
      ? `${(abs / 3_600_000).toFixed(1)} h`
      : abs >= 60_000
        ? `${Math.round(abs / 60_000)} min`
        : `${Math.round(abs / 1000)} s`;
  return `${amount} ${ms > 0 ? 'behind' : 'ahead of'} the central server`;
}

/** Admin > Sync: this workstation's connection to central, and enrolling it. */
export function SyncAdminPage() {
  const session = useSession();
  const can = useCan();
  const queryClient = useQueryClient();
  const status = useSyncStatus(2_000);
  const [syncing, setSyncing] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [enrolledNow, setEnrolledNow] = useState(false);
  const [showEnroll, setShowEnroll] = useState(false);
  const zone = session.clinic.timeZone;

  const s = status.data;
  const needsEnrollment = s ? s.state === 'not_enrolled' || s.state === 'revoked' : false;

  return (
    <section className="page">
      <PageHeader
        title="Sync"
        actions={
          s && !needsEnrollment ? (
            <Button
              busy={syncing}
              busyLabel="Syncing…"
              onClick={() => {
                setSyncing(true);
                setActionError(null);
                call('syncNow')
                  .then(() => queryClient.invalidateQueries({ queryKey: keys.syncStatus }))
                  .catch((err: unknown) => setActionError(errorMessage(err)))
                  .finally(() => setSyncing(false));
              }}
            >
              Sync now
            </Button>
          ) : null
        }
      >
        <p>
          This workstation’s connection to the clinic’s central server. Work continues here when it is
          offline.
        </p>
      </PageHeader>
      {status.isPending ? <Loading label="Loading sync status…" /> : null}
      {status.isError ? <Alert tone="error">{errorMessage(status.error)}</Alert> : null}
      {actionError ? <Alert tone="error">{actionError}</Alert> : null}
      {enrolledNow ? (
        <Alert tone="success" testId="enrolled">
          Enrolled. This workstation now sends its changes to the central server and receives the others’.
        </Alert>
      ) : null}
      {s?.state === 'not_enrolled' ? <NotEnrolled pending={s.pending} /> : null}
      {s ? (
        <>
          {s.message && s.state !== 'not_enrolled' ? (
            <Alert
              tone={s.state === 'online' || s.state === 'connecting' ? 'info' : 'warning'}
              testId="sync-message"
            >
              {s.message}
            </Alert>
          ) : null}
          {s.state !== 'not_enrolled' ? (
            <dl className="facts" data-testid="sync-facts">
              <div>
                <dt>State</dt>
                <dd>{stateLabels[s.state]}</dd>
              </div>
              <div>
                <dt>Central server</dt>
                <dd>{s.centralUrl ?? 'None'}</dd>
              </div>
              {s.deviceId ? (
                <div>
                  <dt>Workstation id</dt>
                  <dd>
                    <code>{s.deviceId}</code>
                  </dd>
                </div>
              ) : null}
              <div>
                <dt>Enrolled</dt>
                <dd>{formatDateTime(s.enrolledAt, zone)}</dd>
              </div>
              <div>
                <dt>Last successful sync</dt>
                <dd>{formatDateTime(s.lastSuccessAt, zone)}</dd>
              </div>
              {!s.initialSync.done ? (
                <div>
                  <dt>First download</dt>
                  <dd className="progress-line">
                    {s.initialSync.received.toLocaleString()} records
                    {s.initialSync.total ? ` of about ${s.initialSync.total.toLocaleString()}` : ''}
                  </dd>
                </div>
              ) : null}
              <div>
                <dt>Changes waiting to be sent</dt>
                <dd>{s.pending.toLocaleString()}</dd>
              </div>
              <div>
                <dt>Conflicts to resolve</dt>
                <dd>
                  {s.conflicts > 0 && can('sync.resolve') ? (
                    <Link to="/sync/conflicts">{s.conflicts}</Link>
                  ) : (
                    s.conflicts
                  )}
                </dd>
              </div>
              <div>
                <dt>Clock</dt>
                <dd>{skewText(s.clockSkewMs)}</dd>
              </div>
            </dl>
          ) : null}

          {needsEnrollment || showEnroll ? (
            <section aria-labelledby="enroll-title" className="form-section">
              <h2 id="enroll-title" className="section-title">
                {s.state === 'revoked' || showEnroll ? 'Enroll again' : 'Enroll with the central server'}
              </h2>
              <p className="muted">
                Ask the central administrator for a one-time enrollment code for this clinic. This
                workstation’s records are sent to the clinic, and changes from the clinic’s other workstations
                arrive here.
              </p>
              <EnrollForm
                endpoint="syncEnroll"
                centralUrl={s.centralUrl}
                locked={s.centralUrlLocked}
                submitLabel="Enroll this workstation"
                onEnrolled={(next) => {
                  queryClient.setQueryData(keys.syncStatus, next);
                  setEnrolledNow(true);
                  setShowEnroll(false);
                }}
              />
            </section>
          ) : (
            <p>
              <Button variant="link" onClick={() => setShowEnroll(true)}>
                Enroll again with a new code
              </Button>
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}

/**
 * A workstation that was never connected: say what that means, what the count of changes is (its history,
 * kept for the day it joins, not a backlog that is failing), and how to connect it, on this very page.
 */
function NotEnrolled({ pending }: { pending: number }) {
  return (
    <section className="panel" aria-labelledby="not-enrolled-title" data-testid="sync-not-enrolled">
      <h2 id="not-enrolled-title" className="section-title">
        This workstation works on its own
      </h2>
      <p>
        It is not connected to a central server. Everything works here: records stay on this computer,
        encrypted, and in its backups. Nothing leaves this computer until it is enrolled.
      </p>
      <p data-testid="sync-history">
        <strong>{pending.toLocaleString()}</strong> change{pending === 1 ? '' : 's'} made here so far{' '}
        {pending === 1 ? 'is' : 'are'} kept in order, so that when this workstation is enrolled the clinic’s
        central server receives its whole history. The number grows with the work done here; it is not a
        problem waiting to be fixed.
      </p>
      <p>
        To connect it, ask whoever runs your clinic’s central server for a one-time enrollment code and enter
        it in the form below. Working on one computer only? Then there is nothing to do.
      </p>
    </section>
  );
}
