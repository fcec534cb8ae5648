import type { ReactNode } from 'react';
import type { ClearinghouseAdminView } from '../../../server/contracts/central/claims-endpoints';
import { ago, dateTime } from '../format';

/** A configured connection at a glance: kind and address, where it comes from, the last test and poll. */
export function ConnectionSummary({ view: v, children }: { view: ClearinghouseAdminView; children: ReactNode }) {
  const f = v.folders;
  return (
    <section className="panel clearinghouse-summary" aria-label="Connection" data-testid="clearinghouse-summary">
      <div className="stat-row">
        <div className="stat">
          <div className="stat-label">Connection</div>
          <div className="stat-value">
            <span className="badge badge-ok">Configured</span> {v.transport === 'sftp' ? 'SFTP' : 'HTTPS'}
          </div>
          <div className="muted">{v.source === 'central' ? `Set on central, ${dateTime(v.updatedAt)}` : 'From central’s environment'}</div>
        </div>
        <div className="stat">
          <div className="stat-label">Last test</div>
          {v.lastTest ? (
            <>
              <div className="stat-value">
                <span className={v.lastTest.ok ? 'badge badge-ok' : 'badge badge-danger'}>{v.lastTest.ok ? 'Connected' : 'Failed'}</span>{' '}
                <span className="muted">{ago(v.lastTest.at)}</span>
              </div>
              <div data-testid="clearinghouse-test">{v.lastTest.message}</div>
            </>
          ) : (
            <div className="stat-value muted">Not tested since the last change</div>
          )}
        </div>
        <div className="stat">
          <div className="stat-label">Last poll</div>
          <LastPoll poll={v.lastPoll} />
        </div>
      </div>
      <dl className="clearinghouse-details">
        <dt>{v.transport === 'sftp' ? 'Server' : 'API address'}</dt>
        <dd className="mono">{v.transport === 'sftp' ? `${v.host}:${v.port}` : v.apiUrl}</dd>
        <dt>{v.transport === 'sftp' ? 'User' : 'Client id'}</dt>
        <dd className="mono">{v.user}</dd>
        {v.hostKeySha256 ? (
          <>
            <dt>Host key</dt>
            <dd className="mono">{v.hostKeySha256}</dd>
          </>
        ) : null}
        {f ? (
          <>
            <dt>Folders</dt>
            <dd className="mono">
              upload {f.upload} · 999 {f.x999} · 277CA {f.x277ca} · 835 {f.x835} · 271 {f.x271} · archive {f.archive}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="row-actions">{children}</div>
    </section>
  );
}

function LastPoll({ poll }: { poll: ClearinghouseAdminView['lastPoll'] }) {
  if (!poll) return <div className="stat-value muted">Not polled yet</div>;
  const failedSince = poll.error && poll.attemptAt && (!poll.at || poll.attemptAt > poll.at);
  return (
    <>
      <div className="stat-value">
        {failedSince ? <span className="badge badge-danger">Failed</span> : <span className="badge badge-ok">Completed</span>}{' '}
        <span className="muted">{ago(failedSince ? poll.attemptAt : poll.at)}</span>
      </div>
      <div data-testid="clearinghouse-poll">
        {failedSince ? `${poll.error} ` : null}
        {poll.at
          ? `Last completed ${dateTime(poll.at)}: ${poll.files} ${poll.files === 1 ? 'file' : 'files'} received.`
          : 'No poll has completed yet.'}
      </div>
    </>
  );
}
