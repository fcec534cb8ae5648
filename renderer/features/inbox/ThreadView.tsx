import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { inboxReplySchema, type InboxMessage } from '../../../server/contracts/inbox';
import { ApiError, call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextAreaField } from '../../ui/Field';
import { formatShortDateTime } from '../../ui/format';
import { Loading } from '../../ui/Page';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import { MessageAttachments, ReplyAttachmentPicker, type ReplyFile } from './MessageAttachments';

/**
 * One conversation: the messages oldest first with read receipts, who it is assigned to, and the reply
 * box (Ctrl/Cmd+Enter sends) with up to three photos or PDFs. Opening it marks the patient's messages
 * read, which the patient sees. Each message lists its files with Download.
 */
export function ThreadView({
  threadId,
  zone,
  assignees,
}: {
  threadId: string;
  zone: string;
  assignees: { id: string; name: string }[];
}) {
  const can = useCan();
  const queryClient = useQueryClient();
  const key = keys.inboxThread(threadId);
  const thread = useQuery({
    queryKey: key,
    queryFn: async () => {
      const t = await call('inboxThread', { params: { threadId }, background: isLiveRefresh(key) });
      // Opening marked messages read: the list's unread counts change.
      void queryClient.invalidateQueries({ queryKey: ['inbox', 'list'] });
      return t;
    },
  });
  const assign = useMutation({
    mutationFn: (userId: string | null) => call('inboxAssign', { params: { threadId }, body: { userId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.inboxAll }),
  });
  const [files, setFiles] = useState<ReplyFile[]>([]);
  const [filesError, setFilesError] = useState<string | null>(null);
  const { form, server, submit } = useZodForm(inboxReplySchema, {
    defaultValues: { body: '' },
    fields: ['body'],
    onValid: async (values) => {
      setFilesError(null);
      try {
        await call('inboxReply', {
          params: { threadId },
          body: { body: values.body, attachments: files.map((f) => ({ contentBase64: f.contentBase64 })) },
        });
      } catch (err) {
        // A refused file: the sentence under the picker, naming the file (the server knows only its place).
        const bad =
          err instanceof ApiError ? Object.keys(err.fields).find((k) => k.startsWith('attachments.')) : null;
        if (err instanceof ApiError && bad) {
          const name = files[Number(bad.split('.')[1])]?.name;
          setFilesError(`${name ? `${name}: ` : ''}${err.fields[bad]}`);
          return;
        }
        throw err;
      }
      form.reset({ body: '' });
      setFiles([]);
      await queryClient.invalidateQueries({ queryKey: keys.inboxAll });
    },
  });
  const end = useRef<HTMLDivElement>(null);
  // A block body: newer browsers return a promise from scrollIntoView, which React would call as a cleanup.
  useEffect(() => {
    void end.current?.scrollIntoView({ block: 'end' });
  }, [thread.data?.messages.length]);

  if (thread.error) return <Alert tone="error">{errorMessage(thread.error)}</Alert>;
  if (!thread.data) return <Loading />;
  const t = thread.data;
  return (
    <div className="inbox-conversation">
      <header className="inbox-conversation-head">
        <div>
          <h2 className="inbox-subject">{t.subject}</h2>
          <Link to={`/patients/${t.patientId}`}>{t.patientName}</Link>
        </div>
        {can('chart.write') ? (
          <SelectField
            label="Assigned to"
            value={t.assignedUserId ?? ''}
            onChange={(e) => assign.mutate(e.target.value || null)}
            disabled={assign.isPending}
            fieldClassName="inbox-assign"
          >
            <option value="">Unassigned</option>
            {assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </SelectField>
        ) : null}
      </header>
      {assign.error ? <Alert tone="error">{errorMessage(assign.error)}</Alert> : null}
      <ol className="inbox-messages" aria-label="Messages">
        {t.messages.map((m) => (
          <MessageItem key={m.id} message={m} zone={zone} patientId={t.patientId} />
        ))}
      </ol>
      <div ref={end} />
      {can('chart.write') ? (
        <ZodForm form={{ server, submit }} className="form inbox-reply">
          <TextAreaField
            label="Reply to the patient"
            hint="The patient gets it in the portal after the next sync. Do not promise a call-back time you cannot keep."
            rows={4}
            error={form.formState.errors.body?.message}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
            }}
            {...form.register('body')}
          />
          <ReplyAttachmentPicker value={files} onChange={setFiles} error={filesError} />
          <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel="Sending…">
            Send reply
          </Button>
        </ZodForm>
      ) : null}
    </div>
  );
}

function MessageItem({
  message: m,
  zone,
  patientId,
}: {
  message: InboxMessage;
  zone: string;
  patientId: string;
}) {
  const fromPatient = m.sender === 'patient';
  return (
    <li
      className={`inbox-message ${fromPatient ? 'from-patient' : 'from-staff'}`}
      data-testid="inbox-message"
    >
      <div className="inbox-message-head">
        <strong>{m.senderName}</strong>
        <span className="muted">{formatShortDateTime(m.sentAt, zone)}</span>
      </div>
      <p className="inbox-message-body">{m.body}</p>
      <MessageAttachments patientId={patientId} files={m.attachments} />
      {!fromPatient ? (
        <p className="inbox-receipt muted">
          {m.readByPatientAt
            ? `Read by the patient ${formatShortDateTime(m.readByPatientAt, zone)}`
            : 'Not read yet'}
        </p>
      ) : null}
    </li>
  );
}
