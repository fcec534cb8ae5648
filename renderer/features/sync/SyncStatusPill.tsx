import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { SyncStatus } from '../../../server/contracts/sync';
import { call } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { formatShortDateTime } from '../../ui/format';
import './sync.css';

/** How often the frame asks; the request is a background one (not activity, not audited). */
const REFRESH_MS = 3_000;

export function useSyncStatus(refetchInterval: number | false = REFRESH_MS) {
  return useQuery({
    queryKey: keys.syncStatus,
    queryFn: () => call('syncStatus', { background: true }),
    refetchInterval,
    staleTime: 1_000,
  });
}

const tone: Record<SyncStatus['state'], 'ok' | 'neutral' | 'warning' | 'danger'> = {
  online: 'ok',
  connecting: 'neutral',
  not_enrolled: 'neutral',
  offline: 'warning',
  error: 'warning',
  update_required: 'danger',
  revoked: 'danger',
};

export const stateLabels: Record<SyncStatus['state'], string> = {
  online: 'Online',
  connecting: 'Connecting…',
  not_enrolled: 'Local workstation',
  offline: 'Offline',
  error: 'Sync problem',
  update_required: 'Update required',
  revoked: 'Enrollment revoked',
};

const SKEW_WARNING_MS = 5 * 60_000;

/** The sync state in the app frame: online or not, last sync, changes waiting, conflicts to resolve. */
export function SyncStatusPill() {
  const session = useSession();
  const can = useCan();
  const status = useSyncStatus();
  if (!status.data) {
    return (
      <span className="status-pill status-local" data-testid="sync-status">
        Sync status…
      </span>
    );
  }
  const s = status.data;
  const parts = [stateLabels[s.state]];
  if (s.state !== 'not_enrolled' && !s.initialSync.done) {
    parts.push(
      s.initialSync.total
        ? `downloading ${s.initialSync.received.toLocaleString()} of ~${s.initialSync.total.toLocaleString()}`
        : 'downloading the clinic’s records',
    );
  } else if (s.lastSuccessAt && s.state !== 'not_enrolled') {
    parts.push(`synced ${formatShortDateTime(s.lastSuccessAt, session.clinic.timeZone)}`);
  }
  if (s.pending > 0 && s.state !== 'not_enrolled') parts.push(`${s.pending.toLocaleString()} to send`);
  const text = parts.join(' · ');
  const className = `status-pill sync-pill sync-pill-${tone[s.state]}`;
  const skewed =
    s.state !== 'not_enrolled' && s.clockSkewMs !== null && Math.abs(s.clockSkewMs) > SKEW_WARNING_MS;
  return (
    <>
      {can('sync.manage') ? (
        <Link to="/admin/sync" className={className} title={s.message ?? undefined} data-testid="sync-status">
          {text}
        </Link>
      ) : (
        <span className={className} title={s.message ?? undefined} data-testid="sync-status">
          {text}
        </span>
      )}
      {skewed ? (
        <span
          className="status-pill status-warning"
          title={s.message ?? undefined}
          data-testid="sync-clock-warning"
        >
          Clock is off
        </span>
      ) : null}
      {s.conflicts > 0 ? (
        can('sync.resolve') ? (
          <Link to="/sync/conflicts" className="status-pill status-warning" data-testid="sync-conflicts">
            {s.conflicts} conflict{s.conflicts === 1 ? '' : 's'} to resolve
          </Link>
        ) : (
          <span className="status-pill status-warning" data-testid="sync-conflicts">
            {s.conflicts} sync conflict{s.conflicts === 1 ? '' : 's'}
          </span>
        )
      ) : null}
    </>
  );
}
