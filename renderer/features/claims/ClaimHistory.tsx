import { useState } from 'react';
import type { ClaimDetail } from '../../../server/contracts/claims/api';
import { claimFileKindLabels, claimStatusLabels, type ClaimStatus } from '../../../server/contracts/claims/records';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatShortDateTime } from '../../ui/format';
import { useSession } from '../../app/auth';
import { downloadText, eventLabels, eventSummary, fileOrigin } from './claims-format';

const statusLabel = (s: string | null) => (s ? (claimStatusLabels[s as ClaimStatus] ?? s) : '');

/** Every event on the claim, oldest first, with the file that caused it (downloadable: the 837P we sent, the 999/277CA/835 received). */
export function ClaimHistory({ history }: { history: ClaimDetail['history'] }) {
  const timeZone = useSession().clinic.timeZone;
  const [error, setError] = useState<string | null>(null);
  const download = async (fileId: string) => {
    setError(null);
    try {
      const f = await call('getClaimFile', { params: { id: fileId } });
      downloadText(f.name, f.content);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <table className="table table-dense" data-testid="claim-history">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">What it said</th>
            <th scope="col">File</th>
            <th scope="col">Origin</th>
          </tr>
        </thead>
        <tbody>
          {history.map((e) => (
            <tr key={e.id}>
              <td>{formatShortDateTime(e.at, timeZone)}</td>
              <td>{eventLabels[e.kind]}</td>
              <td>{e.statusFrom === e.statusTo ? statusLabel(e.statusTo) : `${statusLabel(e.statusFrom)} → ${statusLabel(e.statusTo)}`}</td>
              <td>{eventSummary(e)}</td>
              <td>
                {e.file ? (
                  <Button variant="link" size="small" onClick={() => void download(e.file!.id)} aria-label={`Download ${e.file.name}`}>
                    {claimFileKindLabels[e.file.kind]} · {e.file.name}
                  </Button>
                ) : (
                  '—'
                )}
              </td>
              <td>{e.file ? fileOrigin(e.file, (iso) => formatShortDateTime(iso, timeZone)) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
