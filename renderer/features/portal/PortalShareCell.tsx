import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, errorMessage } from '../../api/client';
import { useCan } from '../../app/auth';
import { Button } from '../../ui/Button';

/**
 * Beside a kept document: whether it is shared in the patient's portal (and how often the patient
 * downloaded it), **Share to portal** and **Withdraw** (billing.post). Sharing draws the PDF here and sends
 * it to central; withdrawing takes it out of the portal at once (sharing again puts it back). Without
 * central either says so in a sentence.
 */
export function PortalShareCell({ patientId, documentId }: { patientId: string; documentId: string }) {
  const can = useCan();
  const qc = useQueryClient();
  const key = ['portal-shared-documents', patientId];
  const shared = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => call('portalSharedDocuments', { params: { patientId }, signal }),
    retry: false,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const share = useMutation({
    mutationFn: () => call('portalShareDocument', { params: { patientId }, body: { documentId } }),
    onSuccess: refresh,
  });
  const mine = shared.data?.documents.find((d) => d.sourceId === documentId);
  const withdraw = useMutation({
    mutationFn: (id: string) => call('portalWithdrawDocument', { params: { patientId, documentId: id } }),
    onSuccess: refresh,
  });
  const live = mine && !mine.withdrawnAt;
  const failed = share.isError ? share.error : withdraw.isError ? withdraw.error : null;
  return (
    <span className="portal-share">
      {live ? (
        <span className="muted" data-testid="portal-shared">
          In the portal{mine.downloads ? ` · downloaded ${mine.downloads}×` : ''}
        </span>
      ) : mine ? (
        <span className="muted" data-testid="portal-withdrawn">
          Withdrawn from the portal
        </span>
      ) : null}
      {can('billing.post') ? (
        live ? (
          <Button
            size="small"
            busy={withdraw.isPending}
            busyLabel="Withdrawing…"
            onClick={() => withdraw.mutate(mine.id)}
          >
            Withdraw
          </Button>
        ) : (
          <Button size="small" busy={share.isPending} busyLabel="Sharing…" onClick={() => share.mutate()}>
            {mine ? 'Share again' : 'Share to portal'}
          </Button>
        )
      ) : null}
      {failed ? (
        <span role="alert" className="field-error">
          {errorMessage(failed)}
        </span>
      ) : null}
    </span>
  );
}
