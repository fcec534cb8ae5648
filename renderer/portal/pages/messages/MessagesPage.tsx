import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { TextAreaField, TextField } from '../../../ui/Field';
import { portal } from '../../api';
import type { PickedFile } from '../uploads/FilePicker';
import { AttachmentPicker, attachmentRefusal } from './Attachments';
import { useI18n, type MessageKey } from '../../i18n';
import { EmergencyNotice, messageBody } from './shared';
import { ThreadView } from './ThreadView';

type Summary = { id: string; subject: string; lastMessageAt: string; unread: number };

const newSchema = z.object({
  subject: z.string().trim().min(1, 'err.subject').max(120, 'err.tooLong'),
  body: messageBody,
});

/**
 * Secure messages: the patient's conversations with the care team (newest first, new replies counted),
 * one conversation at a time, and a new message. Nothing here names a patient: the session does.
 */
export function MessagesPage() {
  const { t, lang, errorText } = useI18n();
  const [threads, setThreads] = useState<Summary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [writing, setWriting] = useState(false);
  const load = useCallback(() => {
    portal('portalThreads')
      .then((r) => setThreads(r.threads))
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });

  if (open)
    return (
      <ThreadView
        threadId={open}
        onBack={() => {
          setOpen(null);
          load();
        }}
      />
    );
  return (
    <section className="portal-card" aria-labelledby="msg-title">
      <h1 id="msg-title" className="portal-title">
        {t('msg.title')}
      </h1>
      <EmergencyNotice />
      <p className="portal-help">{t('msg.intro')}</p>
      {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
      {!threads && !error ? <p role="status">{t('common.loading')}</p> : null}
      {threads && threads.length === 0 && !writing ? <p>{t('msg.none')}</p> : null}
      {threads?.length ? (
        <ul className="portal-list">
          {threads.map((th) => (
            <li key={th.id}>
              <button
                type="button"
                className="portal-thread"
                onClick={() => setOpen(th.id)}
                data-testid="portal-thread"
              >
                <span className="portal-thread-subject">{th.subject}</span>
                <span className="portal-muted">{when.format(new Date(th.lastMessageAt))}</span>
                {th.unread ? <span className="portal-badge">{t('msg.unread', { n: th.unread })}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {/* Under the list, so shown once the list has answered: it must not move down under a finger. */}
      {!threads && !error ? null : writing ? (
        <NewMessage
          onCancel={() => setWriting(false)}
          onSent={(id) => {
            setWriting(false);
            setOpen(id);
          }}
        />
      ) : (
        <div className="portal-actions">
          <Button variant="primary" onClick={() => setWriting(true)}>
            {t('msg.new')}
          </Button>
        </div>
      )}
    </section>
  );
}

function NewMessage({ onCancel, onSent }: { onCancel: () => void; onSent: (threadId: string) => void }) {
  const { t, errorText } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [filesError, setFilesError] = useState<string | undefined>(undefined);
  const form = useForm<z.input<typeof newSchema>>({
    resolver: zodResolver(newSchema),
    defaultValues: { subject: '', body: '' },
  });
  const errors = form.formState.errors;
  const tr = (m: string | undefined) => (m ? t(m as MessageKey) : undefined);
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    setFilesError(undefined);
    try {
      const thread = await portal('portalStartThread', {
        body: { ...v, attachments: files.map((f) => ({ contentBase64: f.base64 })) },
      });
      onSent(thread.id);
    } catch (err) {
      const refusal = attachmentRefusal(err, t);
      if (refusal) setFilesError(refusal);
      else setFailure(errorText(err));
    }
  });
  return (
    <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label={t('msg.new')}>
      <TextField
        label={t('msg.subject')}
        maxLength={120}
        error={tr(errors.subject?.message)}
        {...form.register('subject')}
      />
      <TextAreaField
        label={t('msg.body')}
        rows={6}
        error={tr(errors.body?.message)}
        {...form.register('body')}
      />
      <AttachmentPicker value={files} onChange={setFiles} error={filesError} />
      {failure ? <Alert tone="error">{failure}</Alert> : null}
      <div className="portal-actions">
        <Button
          type="submit"
          variant="primary"
          busy={form.formState.isSubmitting}
          busyLabel={t('msg.sending')}
        >
          {t('msg.send')}
        </Button>
        <Button onClick={onCancel}>{t('msg.cancel')}</Button>
      </div>
    </form>
  );
}
