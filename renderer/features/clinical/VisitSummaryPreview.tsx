import { useQuery } from '@tanstack/react-query';
import { call, endpointUrl, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';

/**
 * What the patient will read, before it is shared: the summary's header and its sections exactly as the
 * PDF has them (the same composition draws both), a link to the PDF itself, and **Share to portal**.
 */
export function VisitSummaryPreview({
  noteId,
  sharing,
  onShare,
  onClose,
  error,
}: {
  noteId: string;
  sharing: boolean;
  onShare: () => void;
  onClose: () => void;
  error: string | null;
}) {
  const preview = useQuery({
    queryKey: ['visit-summary-preview', noteId],
    queryFn: ({ signal }) => call('noteSummaryPreview', { params: { id: noteId }, signal }),
    retry: false,
    gcTime: 0,
  });
  const s = preview.data;
  return (
    <Dialog
      title="Share the visit summary with the patient"
      onClose={onClose}
      className="dialog-wide"
      testId="visit-summary-preview"
      description="The patient sees this in the portal's Documents, as a PDF on the clinic's letterhead. Only the note's patient-facing parts are in it."
    >
      {preview.isPending ? <p role="status">Preparing the summary…</p> : null}
      {preview.isError ? <Alert tone="error">{errorMessage(preview.error)}</Alert> : null}
      {s ? (
        <article className="visit-summary" aria-label="Summary preview">
          <h3>{s.title}</h3>
          <dl className="facts">
            {s.header.map(([label, value]) => (
              <div key={label} className="facts-row">
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {s.sections.map((section) => (
            <section key={section.heading}>
              <h4>{section.heading}</h4>
              {section.items.map((item) => (
                <p key={item.label} className="note-text">
                  {item.label === section.heading ? null : <strong>{item.label}: </strong>}
                  {item.text}
                </p>
              ))}
            </section>
          ))}
        </article>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="button-row">
        <Button variant="primary" disabled={!s} busy={sharing} busyLabel="Sharing…" onClick={onShare}>
          Share to portal
        </Button>
        {s ? (
          <a
            className="btn btn-secondary"
            href={endpointUrl('noteSummaryPdf', { params: { id: noteId } })}
            target="_blank"
            rel="noreferrer"
          >
            Open the PDF
          </a>
        ) : null}
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}
