import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import type { PortalFile } from '../../../../server/contracts/portal/files';
import { Alert } from '../../../ui/Alert';
import { TextField } from '../../../ui/Field';
import { portal, PortalError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { useDates } from '../billing/dates';
import { SendBar } from '../SendBar';
import { FilePicker, type PickedFile } from './FilePicker';

const uploadSchema = z.object({
  title: z.string().trim().min(1, 'err.fileTitle').max(120, 'err.tooLong'),
  file: z.custom<PickedFile | null>().refine((f) => f !== null, 'err.fileMissing'),
});
type UploadValues = z.input<typeof uploadSchema>;

/**
 * Send a document to the clinic: what it is, then a photo from the camera or a file; the photo is shown
 * before sending. Central checks the type from the file's first bytes and the size again and keeps it
 * encrypted; the care team sees it on the record. Below, what the patient sent and whether the clinic has
 * seen it. Nothing in the page's address or the file's name says who the patient is.
 */
export function UploadsPage() {
  const { t, errorText } = useI18n();
  const { dateTime } = useDates();
  const [files, setFiles] = useState<PortalFile[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const load = useCallback(() => {
    portal('portalUploads')
      .then((r) => setFiles(r.files))
      .catch((e: unknown) => setLoadError(errorText(e)));
  }, [errorText]);
  useEffect(load, [load]);

  const form = useForm<UploadValues>({
    resolver: zodResolver(uploadSchema),
    defaultValues: { title: '', file: null },
  });
  const errors = form.formState.errors;
  const tr = (m: string | undefined) => (m ? t(m as MessageKey) : undefined);
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    setSent(false);
    try {
      await portal('portalUpload', { body: { title: v.title, contentBase64: v.file!.base64 } });
      form.reset({ title: '', file: null });
      setSent(true);
      load();
    } catch (err) {
      // Central's sentences for a field go under that field; anything else above the button.
      if (err instanceof PortalError && (err.fields.contentBase64 || err.fields.title)) {
        if (err.fields.contentBase64) form.setError('file', { message: err.fields.contentBase64 });
        if (err.fields.title) form.setError('title', { message: err.fields.title });
      } else setFailure(errorText(err));
    }
  });

  return (
    <>
      <section className="portal-card" aria-labelledby="up-title">
        <h1 id="up-title" className="portal-title">
          {t('up.title')}
        </h1>
        <p className="portal-help">{t('up.intro')}</p>
        {sent ? <Alert tone="success">{t('up.sent')}</Alert> : null}
        <form
          className="portal-form"
          noValidate
          onSubmit={(e) => void onSubmit(e)}
          aria-labelledby="up-title"
        >
          <TextField
            label={t('up.what')}
            hint={t('up.whatHint')}
            maxLength={120}
            error={tr(errors.title?.message)}
            {...form.register('title')}
          />
          <Controller
            control={form.control}
            name="file"
            render={({ field, fieldState }) => (
              <FilePicker
                label={t('up.file')}
                value={field.value ?? null}
                onChange={(f) => {
                  field.onChange(f);
                  if (f) form.clearErrors('file');
                }}
                error={tr(fieldState.error?.message)}
                testId="upload-file"
              />
            )}
          />
          <SendBar
            failure={failure}
            busy={form.formState.isSubmitting}
            label={t('up.send')}
            busyLabel={t('up.sending')}
          />
        </form>
      </section>
      <section className="portal-card" aria-labelledby="up-history">
        <h2 id="up-history" className="portal-subtitle">
          {t('up.history')}
        </h2>
        {loadError ? <Alert tone="error">{loadError}</Alert> : null}
        {!files && !loadError ? <p role="status">{t('common.loading')}</p> : null}
        {files && files.length === 0 ? <p>{t('up.none')}</p> : null}
        {files?.length ? (
          <ul className="portal-list">
            {files.map((f) => (
              <li key={f.id} className="portal-row" data-testid="portal-upload">
                <span>
                  <strong>{f.title}</strong>
                  <br />
                  <span className="portal-muted">
                    {t(`up.purpose.${f.purpose}`)} · {t('up.sentAt', { date: dateTime(f.uploadedAt) })}
                  </span>
                </span>
                <span className={f.reviewed ? 'portal-badge' : 'portal-muted'}>
                  {f.reviewed ? t('up.reviewed') : t('up.waiting')}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </>
  );
}
