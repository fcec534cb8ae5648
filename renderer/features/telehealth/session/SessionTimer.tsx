import { useEffect, useState } from 'react';
import { useVisitText } from '../i18n/visit-text';

export function elapsedLabel(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Time since the visit started (admission of the first patient), updated every second. */
export function SessionTimer({ startedAt, now = () => Date.now() }: { startedAt: string | null; now?: () => number }) {
  const [, tick] = useState(0);
  const { t } = useVisitText();
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!startedAt) return <span className="session-timer muted">{t('visit.notStarted')}</span>;
  const text = elapsedLabel(now() - Date.parse(startedAt));
  return (
    <span className="session-timer" role="timer" aria-label={t('visit.timer', { time: text })} data-testid="session-timer">
      {text}
    </span>
  );
}
