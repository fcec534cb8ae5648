import { MAX_MESSAGE_ATTACHMENTS, type PortalFile } from '../../../../server/contracts/portal/files';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { PaperclipIcon } from '../../../ui/PaperclipIcon';
import { portal, PortalError } from '../../api';
import { useI18n, type Translate } from '../../i18n';
import { saveFile } from '../../save-file';
import { useStepUpAction } from '../../signin/useStepUpAction';
import { FilePicker, type PickedFile } from '../uploads/FilePicker';
import { uploadsEn } from '../uploads/messages';

const sizeText = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

/**
 * A message's files with **Download** each. A download needs the second factor in this session (after an
 * e-mailed link the step-up card comes first, then the download goes on); central records it.
 */
export function AttachmentList({ files }: { files: PortalFile[] }) {
  const { t } = useI18n();
  const { run: download, busy, error, stepUp } = useStepUpAction(async (id) => {
    const file = await portal('portalFileDownload', { params: { id } });
    saveFile(file.fileName, file.contentBase64, file.contentType);
  });
  if (files.length === 0) return null;
  if (stepUp) return stepUp;
  return (
    <div className="portal-attachments">
      <ul aria-label={t('att.list')} className="portal-list">
        {files.map((f, i) => {
          const title = t('att.title', { n: String(i + 1) });
          const type = t(f.contentType === 'application/pdf' ? 'att.pdf' : 'att.photo');
          return (
            <li key={f.id} className="portal-row" data-testid="portal-attachment">
              <span>
                <PaperclipIcon /> {title}
                <br />
                <span className="portal-muted">{t('att.item', { type, size: sizeText(f.sizeBytes) })}</span>
              </span>
              <Button
                size="small"
                aria-label={t('att.downloadLabel', { title })}
                busy={busy === f.id}
                busyLabel={t('att.downloading')}
                onClick={() => void download(f.id)}
              >
                {t('att.download')}
              </Button>
            </li>
          );
        })}
      </ul>
      {error ? <Alert tone="error">{error}</Alert> : null}
    </div>
  );
}

/**
 * Up to three photos or PDFs for a message: the upload page's picker (camera or file, checked in the page
 * first), one file at a time; each chosen one listed with **Remove**. Central checks the first bytes again.
 */
export function AttachmentPicker(props: {
  value: PickedFile[];
  onChange: (files: PickedFile[]) => void;
  error?: string | undefined;
}) {
  const { t } = useI18n();
  const { value, onChange } = props;
  return (
    <div className="portal-attach">
      {value.length > 0 ? (
        <ul aria-label={t('att.chosen')} className="portal-list">
          {value.map((f, i) => (
            <li key={i} className="portal-row" data-testid="portal-attach-chosen">
              <span>
                {f.preview ? <img src={f.preview} alt="" className="portal-attach-thumb" /> : null}
                {t('att.item', {
                  type: t(f.kind === 'pdf' ? 'att.pdf' : 'att.photo'),
                  size: sizeText(f.sizeBytes),
                })}
              </span>
              <Button
                variant="link"
                aria-label={t('att.removeLabel', { n: String(i + 1) })}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              >
                {t('att.remove')}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      {value.length < MAX_MESSAGE_ATTACHMENTS ? (
        <FilePicker
          label={value.length ? t('att.more') : t('att.label')}
          value={null}
          onChange={(f) => {
            if (f) onChange([...value, f]);
          }}
          error={props.error}
          testId="portal-attach"
        />
      ) : null}
    </div>
  );
}

/** Central's refusal of one of the files, in the patient's language (null: not about a file). */
export function attachmentRefusal(err: unknown, t: Translate): string | null {
  if (!(err instanceof PortalError)) return null;
  const field = Object.keys(err.fields).find((k) => k.startsWith('attachments'));
  if (!field) return null;
  const sentence = err.fields[field]!;
  const known = (['err.fileSize', 'err.fileType'] as const).find((k) => uploadsEn[k] === sentence);
  return known ? t(known) : sentence;
}
