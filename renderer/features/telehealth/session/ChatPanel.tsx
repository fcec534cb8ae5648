import { useEffect, useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Button } from '../../../ui/Button';

export interface ChatLine {
  id: string;
  authorName: string;
  mine: boolean;
  body: string;
  sentAt: string;
}

/** The panel's words; the patient's page passes its own language (the clinician's screen keeps English). */
export interface ChatText {
  title: string;
  empty: string;
  you: string;
  label: string;
  placeholder: string;
  send: string;
  notSent: string;
  typeFirst: string;
  tooLong: string;
}

export const CHAT_TEXT_EN: ChatText = {
  title: 'Chat',
  empty: 'No messages yet. Messages stay with the visit.',
  you: 'You',
  label: 'Message',
  placeholder: 'Write a message',
  send: 'Send',
  notSent: 'The message was not sent. Try again.',
  typeFirst: 'Type a message first.',
  tooLong: 'Keep a message under 2,000 characters.',
};

const chatFormFor = (text: ChatText) =>
  z.object({ body: z.string().trim().min(1, text.typeFirst).max(2000, text.tooLong) });
type ChatForm = z.infer<ReturnType<typeof chatFormFor>>;

interface ChatPanelProps {
  messages: readonly ChatLine[];
  onSend(body: string): Promise<void>;
  /** Time of a message, already in the right zone for this screen. */
  formatTime(iso: string): string;
  disabled?: boolean;
  text?: ChatText;
}

/**
 * The visit's chat. Messages are stored at central and come back through the session's live channel, so
 * they survive a refresh; this panel only shows them and sends. Enter sends, Shift+Enter is a new line; a
 * failed send keeps the text and says why.
 */
export function ChatPanel({ messages, onSend, formatTime, disabled, text = CHAT_TEXT_EN }: ChatPanelProps) {
  const listRef = useRef<HTMLOListElement>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const chatForm = useMemo(() => chatFormFor(text), [text]);
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
      setSendError(err instanceof Error && err.message ? err.message : text.notSent);
    }
  });

  const error = formState.errors.body?.message ?? sendError;
  return (
    <section className="chat" aria-label={text.title} data-testid="chat">
      <h2 className="chat-title">{text.title}</h2>
      {messages.length === 0 ? (
        <p className="chat-empty muted">{text.empty}</p>
      ) : null}
      <ol ref={listRef} className="chat-list" aria-live="polite" aria-relevant="additions">
        {messages.map((m) => (
          <li key={m.id} className={m.mine ? 'chat-line chat-mine' : 'chat-line'}>
            <span className="chat-meta">
              <span className="chat-author">{m.mine ? text.you : m.authorName}</span> <time dateTime={m.sentAt}>{formatTime(m.sentAt)}</time>
            </span>
            <span className="chat-body">{m.body}</span>
          </li>
        ))}
      </ol>
      <form className="chat-form" onSubmit={submit} noValidate>
        <label htmlFor="chat-input" className="visually-hidden">
          {text.label}
        </label>
        <textarea
          id="chat-input"
          className="input chat-input"
          rows={2}
          placeholder={text.placeholder}
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
          {text.send}
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
