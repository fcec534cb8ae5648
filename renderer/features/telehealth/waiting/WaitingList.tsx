import '../telehealth.css';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { elapsedLabel } from '../session/SessionTimer';
import { playChime } from '../media/tones';

export interface WaitingEntry {
  participantId: string;
  name: string;
  kind: 'patient' | 'guest';
  waitingSince: string;
}

interface WaitingListProps {
  entries: readonly WaitingEntry[];
  onAdmit(participantId: string): Promise<void>;
  onAdmitAll(): Promise<void>;
  onDeny(participantId: string, message: string): Promise<void>;
  now?: () => number;
  /** Chime when someone new starts waiting (the clinician can turn it off). */
  sound?: boolean;
}

const denyForm = z.object({
  message: z.string().trim().max(500, 'Keep the message under 500 characters.'),
});

/**
 * Who is waiting and for how long, with admit one / admit all / deny with a message. A new arrival chimes
 * and shows in the badge; the list is a live region so a screen reader hears it too.
 */
export function WaitingList({ entries, onAdmit, onAdmitAll, onDeny, now = () => Date.now(), sound = true }: WaitingListProps) {
  const [, tick] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [denying, setDenying] = useState<WaitingEntry | null>(null);
  const seen = useRef(new Set<string>());

  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 15_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    const fresh = entries.filter((e) => !seen.current.has(e.participantId));
    for (const e of entries) seen.current.add(e.participantId);
    if (fresh.length > 0 && sound) playChime();
  }, [entries, sound]);

  const run = async (key: string, action: () => Promise<void>) => {
    setBusy(key);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work. Try again.');
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="waiting" aria-labelledby="waiting-title" data-testid="waiting-list">
      <div className="waiting-header">
        <h2 id="waiting-title" className="section-title">
          Waiting room{' '}
          <span className={entries.length ? 'badge badge-warning' : 'badge badge-muted'} data-testid="waiting-count">
            {entries.length}
          </span>
        </h2>
        {entries.length > 1 ? (
          <Button size="small" busy={busy === '*'} onClick={() => void run('*', onAdmitAll)}>
            Admit all
          </Button>
        ) : null}
      </div>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      {entries.length === 0 ? (
        <p className="muted">Nobody is waiting. Patients appear here when they open their link.</p>
      ) : (
        <ul className="waiting-list" aria-live="polite">
          {entries.map((e) => (
            <li key={e.participantId} className="waiting-row" data-testid="waiting-row">
              <span className="waiting-name">
                {e.name}
                {e.kind === 'guest' ? <span className="badge badge-muted">Guest</span> : null}
              </span>
              <span className="waiting-time muted">waiting {elapsedLabel(now() - Date.parse(e.waitingSince)).replace(/^0:/, '')}</span>
              <span className="button-row">
                <Button size="small" variant="primary" busy={busy === e.participantId} onClick={() => void run(e.participantId, () => onAdmit(e.participantId))}>
                  Admit
                </Button>
                <Button size="small" onClick={() => setDenying(e)}>
                  Deny
                </Button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {denying ? (
        <DenyDialog
          entry={denying}
          onClose={() => setDenying(null)}
          onDeny={async (message) => {
            await onDeny(denying.participantId, message);
            setDenying(null);
          }}
        />
      ) : null}
    </section>
  );
}

function DenyDialog({ entry, onClose, onDeny }: { entry: WaitingEntry; onClose(): void; onDeny(message: string): Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<z.infer<typeof denyForm>>({
    resolver: zodResolver(denyForm),
    defaultValues: { message: 'The clinician cannot see you now. Please call the clinic to reschedule.' },
  });
  return (
    <Dialog title={`Deny ${entry.name}?`} onClose={onClose} testId="deny-dialog">
      <form
        onSubmit={handleSubmit(async ({ message }) => {
          try {
            await onDeny(message);
          } catch (err) {
            setError(err instanceof Error ? err.message : 'That did not work. Try again.');
          }
        })}
        noValidate
      >
        <div className={formState.errors.message ? 'field field-invalid' : 'field'}>
          <label className="field-label" htmlFor="deny-message">
            Message they will see
          </label>
          <textarea id="deny-message" className="input" rows={3} data-autofocus {...register('message')} />
          {formState.errors.message ? <p className="field-error">{formState.errors.message.message}</p> : null}
        </div>
        {error ? <p className="field-error" role="alert">{error}</p> : null}
        <div className="button-row dialog-actions">
          <Button type="submit" variant="danger" busy={formState.isSubmitting}>
            Deny
          </Button>
          <Button variant="link" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
