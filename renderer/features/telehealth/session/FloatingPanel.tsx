import { useVisitText } from '../i18n/visit-text';
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { clampPosition } from './layout';

interface FloatingPanelProps {
  label: string;
  initial: { corner: 'bottom-right' | 'top-right'; width: number; height: number };
  children: ReactNode;
}

const MIN = { width: 120, height: 68 };
const STEP = 16;

/**
 * A panel over the video that can be dragged (pointer on the panel, or arrow keys when focused) and resized
 * (the corner grip, or Shift+arrows). It stays inside the stage when the window shrinks.
 */
export function FloatingPanel({ label, initial, children }: FloatingPanelProps) {
  const { t } = useVisitText();
  const [size, setSize] = useState({ width: initial.width, height: initial.height });
  const [pos, setPos] = useState<{ x: number; y: number } | null>(null);
  const drag = useRef<{ mode: 'move' | 'resize'; startX: number; startY: number; origin: { x: number; y: number }; size: typeof size } | null>(null);

  const panelRef = useRef<HTMLDivElement>(null);
  // The stage the panel floats in is its parent element (read at event time: refs of parents are set after
  // a child's layout effect runs).
  const bounds = () => {
    const el = panelRef.current?.parentElement;
    return { width: el?.clientWidth ?? 800, height: el?.clientHeight ?? 450 };
  };

  useLayoutEffect(() => {
    const el = panelRef.current?.parentElement;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const margin = 12;
    // The first observation places the panel in its corner; later ones keep it inside a shrinking stage.
    const observer = new ResizeObserver(() =>
      setPos((p) => {
        const b = bounds();
        if (p) return clampPosition(p, size, b);
        return { x: b.width - initial.width - margin, y: initial.corner === 'top-right' ? margin : b.height - initial.height - margin };
      }),
    );
    observer.observe(el);
    return () => observer.disconnect();
    // Position once from the corner; later moves are the user's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const begin = (mode: 'move' | 'resize', event: PointerEvent<HTMLElement>) => {
    if (!pos || event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    drag.current = { mode, startX: event.clientX, startY: event.clientY, origin: pos, size };
  };
  const onPointerMove = (event: PointerEvent<HTMLElement>) => {
    const d = drag.current;
    if (!d) return;
    const dx = event.clientX - d.startX;
    const dy = event.clientY - d.startY;
    const b = bounds();
    if (d.mode === 'move') setPos(clampPosition({ x: d.origin.x + dx, y: d.origin.y + dy }, size, b));
    else {
      const next = {
        width: Math.min(Math.max(MIN.width, d.size.width + dx), b.width - d.origin.x),
        height: Math.min(Math.max(MIN.height, d.size.height + dy), b.height - d.origin.y),
      };
      setSize(next);
    }
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!pos) return;
    const delta = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] }[event.key];
    if (!delta) return;
    event.preventDefault();
    const b = bounds();
    if (event.shiftKey) {
      setSize((s) => ({
        width: Math.min(Math.max(MIN.width, s.width + delta[0]!), b.width - pos.x),
        height: Math.min(Math.max(MIN.height, s.height + delta[1]!), b.height - pos.y),
      }));
    } else setPos(clampPosition({ x: pos.x + delta[0]!, y: pos.y + delta[1]! }, size, b));
  };

  return (
    <div
      ref={panelRef}
      className="floating"
      style={{ left: pos?.x ?? 0, top: pos?.y ?? 0, width: size.width, height: size.height, visibility: pos ? 'visible' : 'hidden' }}
      role="group"
      aria-label={t('panel.moveHelp', { label })}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={(event) => begin('move', event)}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      data-testid="floating-panel"
    >
      {children}
      <span
        className="floating-grip"
        aria-hidden="true"
        onPointerDown={(event) => begin('resize', event)}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        data-testid="floating-grip"
      />
    </div>
  );
}
