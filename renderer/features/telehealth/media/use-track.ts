import { useEffect, useRef } from 'react';

/** Attach a MediaStreamTrack to a <video>/<audio> element; detaches on change and unmount. */
export function useTrackElement<T extends HTMLMediaElement>(track: MediaStreamTrack | null) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    if (!track) {
      element.srcObject = null;
      return;
    }
    element.srcObject = new MediaStream([track]);
    // Autoplay can be refused until the page had a click; the join button is that click in practice.
    element.play().catch(() => undefined);
    return () => {
      element.srcObject = null;
    };
  }, [track]);
  return ref;
}
