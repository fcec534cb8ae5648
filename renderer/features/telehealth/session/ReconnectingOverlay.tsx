import { useEffect, useState } from 'react';
import { Button } from '../../../ui/Button';
import { useVisitText } from '../i18n/visit-text';

/**
 * A lost connection covers the whole screen (UI.md: "shown on the whole screen, not in a corner"): the
 * video is frozen, and the person must not keep talking to it. Offers the phone fallback after a while.
 */
export function ReconnectingOverlay({ onAudioOnly, onLeave }: { onAudioOnly?: (() => void) | undefined; onLeave: () => void }) {
  // Counts from when the connection was lost (this overlay appears at that moment).
  const [seconds, setSeconds] = useState(0);
  const { t } = useVisitText();
  useEffect(() => {
    const timer = setInterval(() => setSeconds((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="reconnecting" role="alertdialog" aria-modal="true" aria-labelledby="reconnecting-title" data-testid="reconnecting">
      <div className="reconnecting-box">
        <p id="reconnecting-title" className="reconnecting-title">
          {t('reconnect.title')}
        </p>
        <p>{t('reconnect.body', { seconds })}</p>
        <div className="button-row">
          {onAudioOnly && seconds >= 15 ? (
            <Button variant="primary" onClick={onAudioOnly}>
              {t('reconnect.phone')}
            </Button>
          ) : null}
          <Button onClick={onLeave}>{t('reconnect.leave')}</Button>
        </div>
      </div>
    </div>
  );
}
