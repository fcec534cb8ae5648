import { useEffect, useState } from 'react';
import { Button } from '../../../ui/Button';

/**
 * A lost connection covers the whole screen (UI.md: "shown on the whole screen, not in a corner"): the
 * video is frozen, and the person must not keep talking to it. Offers the phone fallback after a while.
 */
export function ReconnectingOverlay({
  since,
  onAudioOnly,
  onLeave,
  now = () => Date.now(),
}: {
  since: number;
  onAudioOnly?: () => void;
  onLeave: () => void;
  now?: () => number;
}) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.round((now() - since) / 1000));
  return (
    <div className="reconnecting" role="alertdialog" aria-modal="true" aria-labelledby="reconnecting-title" data-testid="reconnecting">
      <div className="reconnecting-box">
        <p id="reconnecting-title" className="reconnecting-title">
          Connection lost — reconnecting…
        </p>
        <p>
          The others cannot see or hear you right now. Tessera keeps trying ({seconds} s). Check your network cable or
          Wi-Fi.
        </p>
        <div className="button-row">
          {onAudioOnly && seconds >= 15 ? (
            <Button variant="primary" onClick={onAudioOnly}>
              Switch to a phone call
            </Button>
          ) : null}
          <Button onClick={onLeave}>Leave the visit</Button>
        </div>
      </div>
    </div>
  );
}
