import { useId, useState, type ChangeEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import {
  MAX_MESSAGE_ATTACHMENTS,
  MAX_PORTAL_FILE_BYTES,
  type RecordFile,
} from '../../../server/contracts/portal/files';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { PaperclipIcon } from '../../ui/PaperclipIcon';
import { saveFile, sizeText } from '../portal/PortalFilesPanel';

const typeLabel = (t: RecordFile['contentType']) => (t === 'application/pdf' ? 'PDF' : 'Photo');

/**
 * A message's files in the inbox: each with **Download**, which fetches the bytes from central as the
 * signed-in staff member (audited with the patient as `portal.file_read`) and saves them under a name that
 * says only what it is and the day.
 */
export function MessageAttachments({ patientId, files }: { patientId: string; files: RecordFile[] }) {
  const download = useMutation({
    mutationFn: (fileId: string) => call('portalRecordFileContent', { params: { patientId, fileId } }),
    onSuccess: saveFile,
  });
  if (files.length === 0) return null;
  return (
    <div className="inbox-attachments">
      <ul aria-label="Attachments">
        {files.map((f) => (
          <li key={f.id} data-testid="inbox-attachment">
            <span>
              <PaperclipIcon /> {f.title}{' '}
              <span className="muted">
                ({typeLabel(f.contentType)}, {sizeText(f.sizeBytes)})
              </span>
            </span>
            <Button
              size="small"
              aria-label={`Download ${f.title}`}
              busy={download.isPending && download.variables === f.id}
              busyLabel="Downloading…"
              onClick={() => download.mutate(f.id)}
            >
              Download
            </Button>
          </li>
        ))}
      </ul>
      {download.error ? <Alert tone="error">{errorMessage(download.error)}</Alert> : null}
    </div>
  );
}

/** A file chosen for a reply: its name (shown here only, never sent) and its bytes as base64. */
export interface ReplyFile {
  name: string;
  sizeBytes: number;
  contentBase64: string;
}

const ACCEPTED = ['image/jpeg', 'image/png', 'image/heic', 'image/heif', 'application/pdf'];

function read(file: File): Promise<ReplyFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ name: file.name, sizeBytes: file.size, contentBase64: url.slice(url.indexOf(',') + 1) });
    };
    reader.onerror = () => reject(new Error('This file could not be read. Choose it again.'));
    reader.readAsDataURL(file);
  });
}

/**
 * Choosing up to three photos or PDFs for a reply. The type and size are checked here by the system's word
 * so staff hear it at once; the workstation and central check the first bytes before storing anything.
 */
export function ReplyAttachmentPicker(props: {
  value: ReplyFile[];
  onChange: (files: ReplyFile[]) => void;
  error?: string | null;
}) {
  const id = useId();
  const [pickError, setPickError] = useState<string | null>(null);
  const error = pickError ?? props.error ?? null;
  const onPick = async (e: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(e.target.files ?? []);
    e.target.value = '';
    setPickError(null);
    if (props.value.length + chosen.length > MAX_MESSAGE_ATTACHMENTS)
      return setPickError(`At most ${MAX_MESSAGE_ATTACHMENTS} files on one message.`);
    for (const f of chosen) {
      if (!ACCEPTED.includes(f.type) && !/\.(heic|heif)$/i.test(f.name))
        return setPickError(`${f.name}: only photos (JPEG, PNG, HEIC) and PDF documents can be sent.`);
      if (f.size > MAX_PORTAL_FILE_BYTES) return setPickError(`${f.name} is larger than 10 MB.`);
    }
    try {
      props.onChange([...props.value, ...(await Promise.all(chosen.map(read)))]);
    } catch (err) {
      setPickError((err as Error).message);
    }
  };
  return (
    <div className={`field inbox-attach${error ? ' field-invalid' : ''}`}>
      <label className="btn btn-secondary btn-small" htmlFor={id}>
        Attach a photo or PDF
      </label>
      <input
        id={id}
        type="file"
        multiple
        className="visually-hidden"
        accept="image/jpeg,image/png,.heic,.heif,application/pdf"
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        aria-invalid={error ? true : undefined}
        data-testid="inbox-attach-input"
        onChange={(e) => void onPick(e)}
      />
      <p id={`${id}-hint`} className="field-hint">
        Up to {MAX_MESSAGE_ATTACHMENTS} files, JPEG, PNG, HEIC or PDF, at most 10 MB each. Attachments need
        the central server.
      </p>
      {props.value.length > 0 ? (
        <ul className="inbox-attach-chosen" aria-label="Files to send">
          {props.value.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              {f.name} <span className="muted">({sizeText(f.sizeBytes)})</span>{' '}
              <Button
                variant="link"
                aria-label={`Remove ${f.name}`}
                onClick={() => props.onChange(props.value.filter((_, j) => j !== i))}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
