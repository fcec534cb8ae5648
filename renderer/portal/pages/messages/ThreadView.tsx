import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { PortalThread } from '../../../../server/contracts/portal/messaging';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { TextAreaField } from '../../../ui/Field';
import { portal } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { EmergencyNotice, messageBody } from './shared';
import { useRefreshUnread } from '../../unread';
import type { PickedFile } from '../uploads/FilePicker';
import { AttachmentList, AttachmentPicker, attachmentRefusal } from './Attachments';

const replySchema = z.object({ body: messageBody });

/**
 * One conversation, oldest first: the care team's messages and the patient's own with a read receipt
 * ("Read by the care team …"), and the reply box. Opening it tells the care team the patient read theirs.
 */
export function ThreadView({ threadId, onBack }: { threadId: string; onBack: () => void }) {
  const { t, lang, errorText } = useI18n();
  const [thread, setThread] = useState<PortalThread | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refreshUnread = useRefreshUnread();
  // Opening the conversation marks the care team's messages read: the navigation's badge follows.
  const load = useCallback(() => {
    portal('portalThread', { params: { threadId } })
      .then((t) => {
        setThread(t);
        refreshUnread();
      })
      .catch(setError);
  }, [threadId, refreshUnread]);
  useEffect(load, [load]);
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const form = useForm<z.input<typeof replySchema>>({
    resolver: zodResolver(replySchema),
    defaultValues: { body: '' },
  });
  const [failure, setFailure] = useState<string | null>(null);
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [filesError, setFilesError] = useState<string | undefined>(undefined);
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    setFilesError(undefined);
    try {
      await portal('portalReply', {
        params: { threadId },
        body: { ...v, attachments: files.map((f) => ({ contentBase64: f.base64 })) },
      });
      form.reset({ body: '' });
      setFiles([]);
      load();
    } catch (err) {
      const refusal = attachmentRefusal(err, t);
      if (refusal) setFilesError(refusal);
      else setFailure(errorText(err));
    }
  });
  const bodyError = form.formState.errors.body?.message;
  return (
    <section className="portal-card" aria-labelledby="thread-title">
      <div>
        <Button variant="link" onClick={onBack}>
          ← {t('msg.back')}
        </Button>
      </div>
      <h1 id="thread-title" className="portal-title">
        {thread?.subject ?? t('msg.title')}
      </h1>
      <EmergencyNotice />
      {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
      {!thread && !error ? <p role="status">{t('common.loading')}</p> : null}
      {thread ? (
        <ol className="portal-messages">
          {thread.messages.map((m) => (
            <li
              key={m.id}
              className={`portal-message ${m.sender === 'patient' ? 'mine' : 'theirs'}`}
              data-testid="portal-message"
            >
              <p className="portal-message-head">
                <strong>{m.sender === 'patient' ? t('msg.you') : m.senderName}</strong>{' '}
                <span className="portal-muted">{when.format(new Date(m.sentAt))}</span>
              </p>
              <p className="portal-message-body">{m.body}</p>
              <AttachmentList files={m.attachments} />
              {m.sender === 'patient' ? (
                <p className="portal-muted portal-receipt">
                  {m.readAt ? t('msg.readAt', { time: when.format(new Date(m.readAt)) }) : t('msg.notRead')}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {thread ? (
        <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)}>
          <TextAreaField
            label={t('msg.reply')}
            rows={4}
            error={bodyError ? t(bodyError as MessageKey) : undefined}
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
          </div>
        </form>
      ) : null}
    </section>
  );
}
