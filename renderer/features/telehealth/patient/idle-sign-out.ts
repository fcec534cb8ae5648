import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Privacy on a shared screen (UI.md): a join page nobody touches for IDLE_MINUTES closes itself, with a
 * minute's warning first. It counts only while it is enabled — the device check and the waiting room; in the
 * visit itself a still screen is normal (the patient is listening).
 */
export const IDLE_MINUTES = 15;
const IDLE_MS = IDLE_MINUTES * 60_000;
const WARN_MS = 60_000;
const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll'] as const;

export function useIdleSignOut(
  enabled: boolean,
  onIdle: () => void,
): { warning: boolean; secondsLeft: number; stay(): void } {
  const last = useRef(0);
  const onIdleRef = useRef(onIdle);
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    onIdleRef.current = onIdle;
  });

  const stay = useCallback(() => {
    last.current = Date.now();
    setLeft(null);
  }, []);

  useEffect(() => {
    if (!enabled) return;
    last.current = Date.now();
    const touch = () => {
      last.current = Date.now();
    };
    ACTIVITY.forEach((e) => window.addEventListener(e, touch, { passive: true, capture: true }));
    const timer = window.setInterval(() => {
      const remaining = IDLE_MS - (Date.now() - last.current);
      if (remaining <= 0) {
        // Once: the page closes (and tells central) a single time, even if another tick comes before React
        // re-renders with the count disabled.
        window.clearInterval(timer);
        setLeft(null);
        onIdleRef.current();
      } else setLeft(remaining <= WARN_MS ? Math.ceil(remaining / 1000) : null);
    }, 1000);
    return () => {
      setLeft(null);
      ACTIVITY.forEach((e) => window.removeEventListener(e, touch, { capture: true }));
      window.clearInterval(timer);
    };
  }, [enabled]);

  // A warning only shows while the count runs (leaving the waiting room for the visit hides it).
  return { warning: enabled && left !== null, secondsLeft: left ?? 0, stay };
}
