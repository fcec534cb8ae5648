import { useEffect, useRef, useState } from 'react';
import { call } from '../api/client';
import { useAuth } from './auth';
import { IdleTimer, idleConfig } from './idle-timer';

/** Input that counts as "the user is here". Captured on window so no component can swallow it. */
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
const TICK_MS = 1000;

/**
 * Runs the idle time-out while signed in and unlocked: pings the server about activity (at most once a
 * minute), counts down the last minute, and locks at the time-out. Returns the seconds left while the
 * warning is due, else null.
 */
export function useIdleLock(): number | null {
  const { state, lock, updateSession } = useAuth();
  const running = state.status === 'signedIn' && !state.locked;
  const timeoutMinutes = state.status === 'signedIn' ? state.session.idleTimeoutMinutes : 0;
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  // Whether a countdown is on screen; a ref so pointer moves do not re-render unless it must go away.
  const warningShown = useRef(false);

  useEffect(() => {
    if (!running) return;
    const timer = new IdleTimer(idleConfig(timeoutMinutes), Date.now());
    let pingInFlight = false;

    const ping = () => {
      if (pingInFlight) return;
      pingInFlight = true;
      // The answer carries the session (a changed time-out policy arrives this way). A 401 locks the
      // screen through the client's session-lost handler.
      call('activity')
        .then(updateSession, () => undefined)
        .finally(() => {
          pingInFlight = false;
        });
    };

    const show = (seconds: number | null) => {
      if (seconds === null && !warningShown.current) return;
      warningShown.current = seconds !== null;
      setSecondsLeft(seconds);
    };

    const onActivity = () => {
      if (timer.activity(Date.now())) ping();
      if (warningShown.current && timer.phaseAt(Date.now()).phase === 'active') show(null);
    };

    const tick = () => {
      const { phase, ping: due } = timer.tick(Date.now());
      if (due) ping();
      if (phase.phase === 'expired') {
        show(null);
        lock('idle');
      } else if (phase.phase === 'warning') {
        show(Math.ceil(phase.remainingMs / 1000));
      } else {
        show(null);
      }
    };

    for (const type of ACTIVITY_EVENTS) {
      window.addEventListener(type, onActivity, { passive: true, capture: true });
    }
    const interval = window.setInterval(tick, TICK_MS);
    return () => {
      window.clearInterval(interval);
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, [running, timeoutMinutes, lock, updateSession]);

  return running ? secondsLeft : null;
}
