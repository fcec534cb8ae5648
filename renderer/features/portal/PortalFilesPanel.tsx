import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PortalFileContent, RecordFile } from '../../../server/contracts/portal/files';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatShortDateTime } from '../../ui/format';
import { RecordPanel } from '../patients/RecordPanel';
import './portal-files.css';

export const purposeLabels: Record<RecordFile['purpose'], string> = {
  upload: 'Document',
  insurance_front: 'Insurance card (front)',
  insurance_back: 'Insurance card (back)',
  attachment: 'Message attachment',
};
const typeLabels: Record<RecordFile['contentType'], string> = {
  'image/jpeg': 'JPEG photo',
  'image/png': 'PNG picture',
  'image/heic': 'HEIC photo',
  'application/pdf': 'PDF',
};
export const sizeText = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
/** Pictures the app can draw itself (HEIC and PDF are saved and opened by the system's viewer). */
const drawable = (t: RecordFile['contentType']) => t === 'image/jpeg' || t === 'image/png';

/** Saves a file under central's name (what it is and the day; nothing about the patient). */
export function saveFile(file: PortalFileContent) {
  const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Files the patient sent through the portal, on the record: newest first, what each is, when, from whom,
 * and whether someone reviewed it. The list is this workstation's copy (works offline); **Open** fetches
 * the bytes from central (audited): a photo is shown here, a PDF or HEIC photo is saved. **Mark reviewed**
 * records who looked at it (patients.write), which the patient sees as "Seen by the clinic".
 */
export function PortalFilesPanel({ patientId, canWrite }: { patientId: string; canWrite: boolean }) {
  const zone = useSession().clinic.timeZone;
  const qc = useQueryClient();
  const key = keys.portalFiles(patientId);
  const list = useQuery({
    queryKey: key,
    queryFn: () => call('portalRecordFiles', { params: { patientId }, background: isLiveRefresh(key) }),
  });
  const [shown, setShown] = useState<{ file: RecordFile; url: string } | null>(null);
  const open = useMutation({
    mutationFn: async (file: RecordFile) => ({
      file,
      content: await call('portalRecordFileContent', { params: { patientId, fileId: file.id } }),
    }),
    onSuccess: ({ file, content }) => {
      if (drawable(file.contentType))
        setShown({ file, url: `data:${content.contentType};base64,${content.contentBase64}` });
      else saveFile(content);
    },
  });
  const review = useMutation({
    mutationFn: (id: string) => call('portalRecordFileReview', { params: { patientId, fileId: id } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.portalFilesAll }),
  });
  const files = (list.data?.files ?? []).filter((f) => f.purpose !== 'attachment');
  const failed = list.error ?? open.error ?? review.error;
  return (
    <RecordPanel title="Files from the portal">
      {failed ? <Alert tone="error">{errorMessage(failed)}</Alert> : null}
      {list.data && files.length === 0 ? (
        <p className="muted">
          Nothing yet. Documents and insurance card photos the patient sends through the portal appear here.
        </p>
      ) : null}
      {files.length ? (
        <table className="table table-dense" data-testid="portal-files">
          <thead>
            <tr>
              <th scope="col">Sent</th>
              <th scope="col">What</th>
              <th scope="col">File</th>
              <th scope="col">Review</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.id} data-testid="portal-file">
                <td>
                  {formatShortDateTime(f.uploadedAt, zone)}
                  <br />
                  <span className="muted">by {f.senderName}</span>
                </td>
                <td>
                  <strong>{purposeLabels[f.purpose]}</strong>
                  {f.purpose === 'upload' ? <div>{f.title}</div> : null}
                </td>
                <td>
                  {typeLabels[f.contentType]}, {sizeText(f.sizeBytes)}
                </td>
                <td>
                  {f.reviewedAt ? (
                    `Reviewed ${formatShortDateTime(f.reviewedAt, zone)}${f.reviewedByName ? ` by ${f.reviewedByName}` : ''}`
                  ) : (
                    <span className="badge">New</span>
                  )}
                </td>
                <td className="actions">
                  <Button
                    size="small"
                    busy={open.isPending && open.variables?.id === f.id}
                    busyLabel="Opening…"
                    aria-label={`Open ${purposeLabels[f.purpose]} sent ${formatShortDateTime(f.uploadedAt, zone)}`}
                    onClick={() => open.mutate(f)}
                  >
                    {drawable(f.contentType) ? 'Open' : 'Save'}
                  </Button>{' '}
                  {canWrite && !f.reviewedAt ? (
                    <Button
                      size="small"
                      busy={review.isPending && review.variables === f.id}
                      busyLabel="Saving…"
                      onClick={() => review.mutate(f.id)}
                    >
                      Mark reviewed
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {shown ? (
        <figure className="portal-file-view" data-testid="portal-file-view">
          <img src={shown.url} alt={`${purposeLabels[shown.file.purpose]} the patient sent`} />
          <figcaption>
            {purposeLabels[shown.file.purpose]}
            {shown.file.purpose === 'upload' ? ` · ${shown.file.title}` : ''}{' '}
            <Button size="small" variant="link" onClick={() => setShown(null)}>
              Close
            </Button>
          </figcaption>
        </figure>
      ) : null}
    </RecordPanel>
  );
}
