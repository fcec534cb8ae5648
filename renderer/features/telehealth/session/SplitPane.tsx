import { useVisitText } from '../i18n/visit-text';
import { useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';

interface SplitPaneProps {
  main: ReactNode;
  side: ReactNode | null;
  /** Width of the side panel in px. */
  initialSide?: number;
  minSide?: number;
  maxSide?: number;
  sideLabel: string;
}

/**
 * Video on the left, a side panel (chat, waiting list) on the right with a separator that resizes it by
 * dragging or with the arrow keys (a focusable role="separator" with its value), so the clinician decides
 * how much room the video takes.
 */
export function SplitPane({ main, side, initialSide = 340, minSide = 260, maxSide = 640, sideLabel }: SplitPaneProps) {
  const { t } = useVisitText();
  const [width, setWidth] = useState(initialSide);
  const drag = useRef<{ startX: number; width: number } | null>(null);
  const clamp = (w: number) => Math.min(maxSide, Math.max(minSide, w));

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startX: event.clientX, width };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current) setWidth(clamp(drag.current.width - (event.clientX - drag.current.startX)));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 64 : 16;
    if (event.key === 'ArrowLeft') setWidth((w) => clamp(w + step));
    else if (event.key === 'ArrowRight') setWidth((w) => clamp(w - step));
    else if (event.key === 'Home') setWidth(maxSide);
    else if (event.key === 'End') setWidth(minSide);
    else return;
    event.preventDefault();
  };

  return (
    <div className="split">
      <div className="split-main">{main}</div>
      {side ? (
        <>
          <div
            className="split-handle"
            role="separator"
            aria-orientation="vertical"
            aria-label={t('visit.resize', { panel: sideLabel })}
            aria-valuenow={width}
            aria-valuemin={minSide}
            aria-valuemax={maxSide}
            tabIndex={0}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={() => (drag.current = null)}
            onKeyDown={onKeyDown}
            data-testid="split-handle"
          />
          <aside className="split-side" style={{ width }} aria-label={sideLabel} data-testid="split-side">
            {side}
          </aside>
        </>
      ) : null}
    </div>
  );
}
