import { useId, useState, type ChangeEvent } from 'react';
import { MAX_PORTAL_FILE_BYTES } from '../../../../server/contracts/portal/files';
import { Button } from '../../../ui/Button';
import { useI18n, type MessageKey } from '../../i18n';

/** A file the patient picked, read in the page: the bytes as base64 and what to show before sending. */
export interface PickedFile {
  base64: string;
  kind: 'photo' | 'pdf';
  sizeBytes: number;
  /** A `data:` picture of a JPEG or PNG (HEIC cannot be drawn by most browsers; PDFs are not drawn). */
  preview: string | null;
}

const PDF = 'application/pdf';
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'image/heif'];
const HEIC_NAME = /\.(heic|heif)$/i;

/** Reads a chosen file; refuses by the browser's word what central would refuse by the first bytes. */
function readPicked(file: File, photosOnly: boolean): Promise<PickedFile | MessageKey> {
  const heic = HEIC_NAME.test(file.name) || file.type === 'image/heic' || file.type === 'image/heif';
  const photo = PHOTO_TYPES.includes(file.type) || heic;
  if (!photo && (photosOnly || file.type !== PDF)) return Promise.resolve('err.fileType');
  if (file.size > MAX_PORTAL_FILE_BYTES) return Promise.resolve('err.fileSize');
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve({
        base64: url.slice(url.indexOf(',') + 1),
        kind: photo ? 'photo' : 'pdf',
        sizeBytes: file.size,
        preview: photo && !heic ? url : null,
      });
    };
    reader.onerror = () => resolve('err.fileType');
    reader.readAsDataURL(file);
  });
}

const sizeText = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

/**
 * Choosing a photo or a file, phone first: **Take a photo** opens the camera (`capture="environment"`,
 * the back camera), **Choose a file** the phone's files or photos; both are real buttons (labels of
 * visually hidden inputs, so Tab and Enter work). The chosen photo is shown before it is sent, and can be
 * taken again or removed. Errors sit under the field, in the patient's language.
 */
export function FilePicker(props: {
  label: string;
  value: PickedFile | null;
  onChange: (file: PickedFile | null) => void;
  error?: string | undefined;
  /** Insurance card photos: the camera or a photo, no PDFs. */
  photosOnly?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const [readError, setReadError] = useState<string | null>(null);
  const error = readError ?? props.error;
  const onPick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const picked = await readPicked(file, !!props.photosOnly);
    if (typeof picked === 'string') {
      setReadError(t(picked));
      props.onChange(null);
    } else {
      setReadError(null);
      props.onChange(picked);
    }
  };
  const v = props.value;
  return (
    <fieldset
      className={`portal-file${error ? ' field-invalid' : ''}`}
      aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
      data-testid={props.testId}
    >
      <legend className="field-label">{props.label}</legend>
      <p id={`${id}-hint`} className="field-hint">
        {t(props.photosOnly ? 'up.limitsPhoto' : 'up.limits')}
      </p>
      {v ? (
        <div className="portal-file-chosen" role="status">
          {v.preview ? (
            <img src={v.preview} alt={t('up.previewAlt')} className="portal-file-preview" />
          ) : null}
          <span>
            {v.kind === 'photo' && !v.preview
              ? t('up.noPreview')
              : t('up.ready', { type: t(`up.kind.${v.kind}`), size: sizeText(v.sizeBytes) })}
          </span>
        </div>
      ) : null}
      <div className="portal-file-buttons">
        <label className="btn btn-primary portal-file-button">
          <input
            type="file"
            className="visually-hidden"
            accept="image/*"
            capture="environment"
            aria-invalid={error ? true : undefined}
            data-testid={props.testId ? `${props.testId}-camera` : undefined}
            onChange={(e) => void onPick(e)}
          />
          {v ? t('up.replace') : t('up.takePhoto')}
        </label>
        <label className="btn portal-file-button">
          <input
            type="file"
            className="visually-hidden"
            accept={props.photosOnly ? 'image/*,.heic,.heif' : 'image/*,.heic,.heif,application/pdf'}
            data-testid={props.testId ? `${props.testId}-input` : undefined}
            onChange={(e) => void onPick(e)}
          />
          {t('up.choose')}
        </label>
        {v ? (
          <Button variant="link" onClick={() => props.onChange(null)}>
            {t('up.remove')}
          </Button>
        ) : null}
      </div>
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
