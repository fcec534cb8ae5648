import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, errorMessage } from '../../api/client';
import { useCan } from '../../app/auth';
import { Button } from '../../ui/Button';

/**
 * Beside a kept document: whether it is shared in the patient's portal (and how often the patient
 * downloaded it), and **Share to portal** (billing.post). Sharing draws the PDF here and sends it to central;
 * without central it says so in a sentence.
 */
export function PortalShareCell({ patientId, documentId }: { patientId: string; documentId: string }) {
  const can = useCan();
  const qc = useQueryClient();
  const shared = useQuery({
    queryKey: ['portal-shared-documents', patientId],
    queryFn: ({ signal }) => call('portalSharedDocuments', { params: { patientId }, signal }),
    retry: false,
  });
  const share = useMutation({
    mutationFn: () => call('portalShareDocument', { params: { patientId }, body: { documentId } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['portal-shared-documents', patientId] }),
  });
  const mine = shared.data?.documents.find((d) => d.sourceId === documentId);
  return (
    <span className="portal-share">
      {mine ? (
        <span className="muted" data-testid="portal-shared">
          In the portal{mine.downloads ? ` · downloaded ${mine.downloads}×` : ''}
        </span>
      ) : can('billing.post') ? (
        <Button size="small" busy={share.isPending} busyLabel="Sharing…" onClick={() => share.mutate()}>
          Share to portal
        </Button>
      ) : null}
      {share.isError ? (
        <span role="alert" className="field-error">
          {errorMessage(share.error)}
        </span>
      ) : null}
    </span>
  );
}
