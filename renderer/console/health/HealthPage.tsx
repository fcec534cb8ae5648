import { useQuery } from '@tanstack/react-query';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { central } from '../api';
import { ago, count, dateTime } from '../format';

/** Database, live channel, recent error rates of this central process, and replication per clinic. */
export function HealthPage() {
  const health = useQuery({ queryKey: ['console', 'health'], queryFn: () => central('centralHealthReport'), refetchInterval: 15_000 });
  return (
    <div className="page page-wide">
      <PageHeader
        title="Health"
        actions={
          <Button size="small" onClick={() => void health.refetch()} busy={health.isFetching}>
            Refresh
          </Button>
        }
      >
        Refreshes every 15 seconds. Alerts and history: Prometheus at /metrics (docs/operations.md).
      </PageHeader>
      {health.isPending ? <Loading /> : null}
      {health.isError ? <Alert tone="error">{health.error.message}</Alert> : null}
      {health.data ? (
        <>
          <div className="stat-row" data-testid="health-summary">
            <div className="stat">
              <div className="stat-label">Database</div>
              <div className="stat-value">
                {health.data.database.up ? (
                  <span className="badge badge-ok">Up</span>
                ) : (
                  <span className="badge badge-danger">Unreachable</span>
                )}{' '}
                {health.data.database.latencyMs !== null ? `${health.data.database.latencyMs} ms` : ''}
              </div>
              <div className="small">
                Schema {health.data.database.schemaVersion ?? '—'} of {health.data.database.expectedSchemaVersion}
              </div>
            </div>
            <div className="stat">
              <div className="stat-label">Live channel</div>
              <div className="stat-value">
                {health.data.liveChannel.listening ? (
                  <span className="badge badge-ok">Listening</span>
                ) : (
                  <span className="badge badge-danger">Not listening</span>
                )}
              </div>
              <div className="small">{count(health.data.liveChannel.connections)} workstations connected</div>
            </div>
            <div className="stat">
              <div className="stat-label">Requests, last {health.data.requests.windowMinutes} min (this process)</div>
              <div className="stat-value">{count(health.data.requests.total)}</div>
              <div className="small">
                {count(health.data.requests.serverErrors)} server errors (
                {(health.data.requests.serverErrorRate * 100).toFixed(2)}%), {count(health.data.requests.clientErrors)}{' '}
                refused
              </div>
            </div>
          </div>
          <h2 className="section-title">Replication by clinic</h2>
          {health.data.clinics.length === 0 ? (
            <EmptyState>No clinic yet.</EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table table-dense" data-testid="health-clinics">
                <thead>
                  <tr>
                    <th scope="col">Clinic</th>
                    <th scope="col" className="num">Changes</th>
                    <th scope="col" className="num">Workstations</th>
                    <th scope="col" className="num" title="Not heard from in the last hour">Silent</th>
                    <th scope="col" className="num" title="The most changes any workstation has not pulled">Most behind</th>
                    <th scope="col" className="num">To send</th>
                    <th scope="col" className="num">Conflicts</th>
                    <th scope="col">Oldest contact</th>
                    <th scope="col" title="The last completed poll of the clinic's clearinghouse folders">Clearinghouse poll</th>
                  </tr>
                </thead>
                <tbody>
                  {health.data.clinics.map((c) => (
                    <tr key={c.clinicId}>
                      <th scope="row">{c.name}</th>
                      <td className="num">{count(c.head)}</td>
                      <td className="num">{count(c.activeDevices)}</td>
                      <td className="num">{c.silentDevices ? <span className="badge badge-warning">{c.silentDevices}</span> : 0}</td>
                      <td className="num">{count(c.maxChangesBehind)}</td>
                      <td className="num">{count(c.pendingMutations)}</td>
                      <td className="num">{c.openConflicts ? <span className="badge badge-warning">{c.openConflicts}</span> : 0}</td>
                      <td title={dateTime(c.oldestContactAt)}>{c.activeDevices ? ago(c.oldestContactAt) : '—'}</td>
                      <td title={dateTime(c.clearinghouseLastPollAt)}>{c.clearinghouseLastPollAt ? ago(c.clearinghouseLastPollAt) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="small muted">Checked {dateTime(health.data.checkedAt)}.</p>
        </>
      ) : null}
    </div>
  );
}
