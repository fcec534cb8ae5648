import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatCents } from '../billing/billing-format';
import { downloadText } from './claims-format';

/**
 * Building an 837P batch from the claims selected on the board (ready, or ready with warnings). The server
 * scrubs each again, builds and validates the file and queues it for central to send; the biller may also
 * download it (for a clearinghouse portal). A claim the scrubber now refuses is left out and said so.
 */
export function BatchBuilder({ selected, onBuilt }: { selected: string[]; onBuilt: () => void }) {
  const queryClient = useQueryClient();
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const build = useMutation({
    mutationFn: () => call('buildClaimBatch', { body: { claimIds: selected } }),
    onSuccess: () => {
      onBuilt();
      void queryClient.invalidateQueries({ queryKey: ['claims'] });
    },
  });
  const download = async (fileId: string) => {
    setDownloadError(null);
    try {
      const f = await call('getClaimFile', { params: { id: fileId } });
      downloadText(f.name, f.content);
    } catch (err) {
      setDownloadError(errorMessage(err));
    }
  };
  const r = build.data;
  return (
    <div className="claims-batch" data-testid="batch-builder">
      <Button variant="primary" disabled={!selected.length} busy={build.isPending} busyLabel="Building…" onClick={() => build.mutate()}>
        Build batch ({selected.length})
      </Button>
      {!selected.length && !r ? <span className="muted">Select ready claims to send them in one 837P batch.</span> : null}
      {build.isError ? <Alert tone="error">{errorMessage(build.error)}</Alert> : null}
      {downloadError ? <Alert tone="error">{downloadError}</Alert> : null}
      {r ? (
        <Alert tone={r.skipped.length ? 'warning' : 'success'} testId="batch-built">
          {r.claimIds.length ? (
            <>
              Batch {r.interchangeControlNumber} queued: {r.claimIds.length} claim{r.claimIds.length > 1 ? 's' : ''},{' '}
              {formatCents(r.totalCents)}. Central sends it to the clearinghouse.{' '}
              <Button variant="link" size="small" onClick={() => void download(r.fileId)}>Download {r.fileName}</Button>
            </>
          ) : (
            'No batch was built.'
          )}
          {r.skipped.length ? ` ${r.skipped.length} claim${r.skipped.length > 1 ? 's' : ''} went back to draft: the scrubber now refuses ${r.skipped.length > 1 ? 'them' : 'it'}.` : ''}
        </Alert>
      ) : null}
    </div>
  );
}
