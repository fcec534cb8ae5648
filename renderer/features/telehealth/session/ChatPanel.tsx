import { useEffect, useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Button } from '../../../ui/Button';
import { useVisitText, type VisitTranslate } from '../i18n/visit-text';

export interface ChatLine {
  id: string;
  authorName: string;
  mine: boolean;
  body: string;
  sentAt: string;
}

const chatFormFor = (t: VisitTranslate) =>
  z.object({ body: z.string().trim().min(1, t('chat.typeFirst')).max(2000, t('chat.tooLong')) });
type ChatForm = z.infer<ReturnType<typeof chatFormFor>>;

interface ChatPanelProps {
  messages: readonly ChatLine[];
  onSend(body: string): Promise<void>;
  /** Time of a message, already in the right zone for this screen. */
  formatTime(iso: string): string;
  disabled?: boolean;
}

/**
 * The visit's chat. Messages are stored at central and come back through the session's live channel, so
 * they survive a refresh; this panel only shows them and sends. Enter sends, Shift+Enter is a new line; a
 * failed send keeps the text and says why.
 */
export function ChatPanel({ messages, onSend, formatTime, disabled }: ChatPanelProps) {
  const { t } = useVisitText();
  const listRef = useRef<HTMLOListElement>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const chatForm = useMemo(() => chatFormFor(t), [t]);
  const { register, handleSubmit, reset, formState } = useForm<ChatForm>({ resolver: zodResolver(chatForm), defaultValues: { body: '' } });

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [messages.length]);

  const submit = handleSubmit(async ({ body }) => {
    setSendError(null);
    try {
      await onSend(body);
      reset({ body: '' });
    } catch (err) {
      setSendError(err instanceof Error && err.message ? err.message : t('chat.notSent'));
    }
  });

  const error = formState.errors.body?.message ?? sendError;
  return (
    <section className="chat" aria-label={t('chat.title')} data-testid="chat">
      <h2 className="chat-title">{t('chat.title')}</h2>
      {messages.length === 0 ? (
        <p className="chat-empty muted">{t('chat.empty')}</p>
      ) : null}
      <ol ref={listRef} className="chat-list" aria-live="polite" aria-relevant="additions">
        {messages.map((m) => (
          <li key={m.id} className={m.mine ? 'chat-line chat-mine' : 'chat-line'}>
            <span className="chat-meta">
              <span className="chat-author">{m.mine ? t('chat.you') : m.authorName}</span> <time dateTime={m.sentAt}>{formatTime(m.sentAt)}</time>
            </span>
            <span className="chat-body">{m.body}</span>
          </li>
        ))}
      </ol>
      <form className="chat-form" onSubmit={submit} noValidate>
        <label htmlFor="chat-input" className="visually-hidden">
          {t('chat.label')}
        </label>
        <textarea
          id="chat-input"
          className="input chat-input"
          rows={2}
          placeholder={t('chat.placeholder')}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'chat-error' : undefined}
          {...register('body')}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              void submit();
            }
          }}
        />
        <Button type="submit" variant="primary" busy={formState.isSubmitting} disabled={disabled}>
          {t('chat.send')}
        </Button>
        {error ? (
          <p id="chat-error" className="field-error">
            {error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
