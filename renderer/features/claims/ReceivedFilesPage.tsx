import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ReceivedFile } from '../../../server/contracts/claims/api';
import { call, errorMessage } from '../../api/client';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatShortDateTime } from '../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { ClaimsTabs } from './ClaimsTabs';
import { downloadText } from './claims-format';
import '../billing/reports/reports.css';
import './claims.css';

const KIND: Record<ReceivedFile['kind'], string> = {
  x999: '999 acknowledgment',
  x277ca: '277CA claim acknowledgment',
  x835: '835 remittance',
  x271: '271 eligibility',
};
const RESULT: Record<ReceivedFile['result'], { label: string; tone: string }> = {
  imported: { label: 'Imported', tone: 'ok' },
  failed: { label: 'Import failed', tone: 'danger' },
  waiting: { label: 'Waiting', tone: 'warning' },
};

/**
 * Billing > Claims > Files received (docs/claims-inbound.md, "Files received"): every 999, 277CA, 835 and
 * 271 that reached the clinic, from the clearinghouse through central or imported by hand, with the import's
 * result or the reader's sentence when it failed; each file downloads (audited on the workstation).
 */
export function ReceivedFilesPage() {
  const timeZone = useSession().clinic.timeZone;
  const [error, setError] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['claims', 'received-files'], queryFn: ({ signal }) => call('listReceivedClaimFiles', { signal }) });
  const download = async (f: ReceivedFile) => {
    setError(null);
    try {
      const got = f.fileId
        ? await call('getClaimFile', { params: { id: f.fileId } })
        : await call('getInboundClaimFile', { params: { id: f.id } });
      downloadText(got.name, got.content);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const data = list.data;
  return (
    <section className="page page-wide claims-board">
      <PageHeader title="Claim files received">What the clearinghouse sent back and what was imported by hand, with what each import did.</PageHeader>
      <ClaimsTabs />
      {error ? <Alert tone="error">{error}</Alert> : null}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <Alert tone="error">{errorMessage(list.error)}</Alert>
      ) : !data!.files.length ? (
        <EmptyState>No 999, 277CA, 835 or 271 file has been received yet.</EmptyState>
      ) : (
        <>
          <p className="claims-files-summary" data-testid="received-files-summary">
            {data!.files.length} {data!.files.length === 1 ? 'file' : 'files'}
            {data!.failed ? `, ${data!.failed} failed to import` : ''}
            {data!.waiting ? `, ${data!.waiting} waiting` : ''}.{data!.more ? ' Only the newest 500 are listed.' : ''}
          </p>
          <table className="table table-dense" data-testid="received-files">
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Kind</th>
                <th scope="col">File</th>
                <th scope="col">Origin</th>
                <th scope="col">Import</th>
                <th scope="col">What it did</th>
              </tr>
            </thead>
            <tbody>
              {data!.files.map((f) => (
                <tr key={`${f.source}-${f.id}`} className={f.result === 'failed' ? 'row-failed' : undefined}>
                  <td>{formatShortDateTime(f.receivedAt, timeZone)}</td>
                  <td>{KIND[f.kind]}</td>
                  <td>
                    <Button variant="link" size="small" onClick={() => void download(f)} aria-label={`Download ${f.name}`}>
                      {f.name}
                    </Button>
                  </td>
                  <td>{f.source === 'clearinghouse' ? `Clearinghouse (${(f.transport ?? '').toUpperCase()})` : 'Imported from a file'}</td>
                  <td>
                    <span className={`badge badge-${RESULT[f.result].tone}`}>{RESULT[f.result].label}</span>
                  </td>
                  <td>{f.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
