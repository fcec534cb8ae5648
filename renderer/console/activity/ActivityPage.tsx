import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { central } from '../api';
import { dateTime } from '../format';
import { useClinics } from '../scope';

const PAGE = 100;

/** What each catalogue entry means to a reader; an entry not listed shows its catalogue name. */
const actionLabels: Record<string, string> = {
  adminSignIn: 'Signed in (API)',
  adminSignOut: 'Signed out (API)',
  consoleSignIn: 'Signed in',
  consoleSignOut: 'Signed out',
  createOrg: 'Created an organization',
  createClinic: 'Created a clinic',
  createEnrollmentCode: 'Made an enrollment code',
  revokeDevice: 'Revoked a workstation',
  createStaff: 'Created a staff account',
  updateStaff: 'Changed a staff account',
  resetStaffPassword: 'Reset a staff password',
  publishCodeSet: 'Imported a code set',
  uploadUpdateFile: 'Uploaded an update file',
  createRelease: 'Published a release',
  setReleaseRollout: 'Changed a rollout',
  setClinicClearinghouse: 'Set a clearinghouse connection',
  removeClinicClearinghouse: 'Removed a clearinghouse connection',
  testClinicClearinghouse: 'Tested a clearinghouse connection',
};

/** Central's administration audit: every change made in the console or with the API, and every sign-in. */
export function ActivityPage() {
  const clinics = useClinics();
  const clinicName = new Map(clinics.data?.map((c) => [c.id, c.name]));
  const log = useInfiniteQuery({
    queryKey: ['console', 'audit'],
    queryFn: ({ pageParam }) =>
      central('listAdminAudit', { query: pageParam ? { limit: PAGE, before: pageParam } : { limit: PAGE } }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.entries.length === PAGE ? last.entries.at(-1)!.seq : undefined),
  });
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div className="page page-wide">
      <PageHeader title="Activity log">
        Every change made here or through the API, and every sign-in attempt, newest first. Entries cannot be
        changed.
      </PageHeader>
      {log.isPending ? <Loading /> : null}
      {log.isError ? <Alert tone="error">{log.error.message}</Alert> : null}
      {log.data && entries.length === 0 ? <EmptyState>Nothing has been done yet.</EmptyState> : null}
      {entries.length ? (
        // Focusable so a keyboard can scroll a long log (the page has no other control until "Load more").
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Activity log entries">
          <table className="table table-dense" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Administrator</th>
                <th scope="col">Action</th>
                <th scope="col">Clinic</th>
                <th scope="col">On</th>
                <th scope="col">Outcome</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq} className={e.outcome === 'ok' ? undefined : 'row-failure'}>
                  <td className="nowrap">{dateTime(e.at)}</td>
                  <td>{e.username ?? '—'}</td>
                  <td title={e.action}>{actionLabels[e.action] ?? e.action}</td>
                  <td>{e.clinicId ? (clinicName.get(e.clinicId) ?? 'Another clinic') : '—'}</td>
                  <td className="mono">{e.target?.replace(/clinicId=\S+ ?/, '') || '—'}</td>
                  <td>
                    {e.outcome === 'ok' ? (
                      <span className="badge badge-ok">Done</span>
                    ) : (
                      <span className="badge badge-danger">{e.outcome}</span>
                    )}
                  </td>
                  <td className="mono nowrap">{e.address ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.hasNextPage ? (
        <Button onClick={() => void log.fetchNextPage()} busy={log.isFetchingNextPage}>
          Show older entries
        </Button>
      ) : null}
    </div>
  );
}
