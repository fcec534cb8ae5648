import { useEffect, useId, useRef } from 'react';
import { Button } from '../../../ui/Button';
import { useI18n } from '../../i18n';

const WIDTH = 600;
const HEIGHT = 200;
const STEP = 8;

/**
 * A box to draw a signature in, with a finger, a pen or a mouse (pointer events, no scrolling while
 * drawing), or with the keyboard: arrow keys move the pen and draw while it is down, Space lifts or puts
 * it down. The canvas stays transparent so an empty box is recognisably empty at central.
 */
export function SignaturePad({
  error,
  onChange,
}: {
  error?: string | undefined;
  /** After each stroke: the drawing as a PNG data URL (transparent background); null once cleared. */
  onChange: (image: string | null) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawn = useRef(false);
  const last = useRef<{ x: number; y: number } | null>(null);
  const pen = useRef({ x: 40, y: HEIGHT / 2, down: true });

  const report = () => {
    if (drawn.current && canvas.current) onChange(canvas.current.toDataURL('image/png'));
  };

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#111111';
  }, []);

  const line = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    drawn.current = true;
  };
  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * WIDTH, y: ((e.clientY - r.top) / r.height) * HEIGHT };
  };
  const clear = () => {
    canvas.current?.getContext('2d')?.clearRect(0, 0, WIDTH, HEIGHT);
    drawn.current = false;
    pen.current = { x: 40, y: HEIGHT / 2, down: true };
    onChange(null);
    canvas.current?.focus();
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-STEP, 0],
      ArrowRight: [STEP, 0],
      ArrowUp: [0, -STEP],
      ArrowDown: [0, STEP],
    };
    if (e.key === ' ') {
      e.preventDefault();
      pen.current.down = !pen.current.down;
      return;
    }
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const from = { x: pen.current.x, y: pen.current.y };
    const to = {
      x: Math.min(WIDTH - 4, Math.max(4, from.x + move[0])),
      y: Math.min(HEIGHT - 4, Math.max(4, from.y + move[1])),
    };
    pen.current = { ...to, down: pen.current.down };
    if (pen.current.down) {
      line(from, to);
      report();
    }
  };

  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="field-label">
        {t('f.signature')}
      </label>
      <canvas
        id={id}
        ref={canvas}
        width={WIDTH}
        height={HEIGHT}
        className="portal-signature"
        tabIndex={0}
        role="img"
        aria-label={t('f.signature')}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
        aria-invalid={error ? true : undefined}
        data-testid="signature-pad"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          last.current = point(e);
        }}
        onPointerMove={(e) => {
          if (!last.current) return;
          const p = point(e);
          line(last.current, p);
          last.current = p;
        }}
        onPointerUp={() => {
          last.current = null;
          report();
        }}
        onPointerCancel={() => {
          last.current = null;
        }}
        onKeyDown={onKeyDown}
      />
      <p id={`${id}-help`} className="field-hint">
        {t('f.signatureHelp')}
      </p>
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      <div>
        <Button variant="link" onClick={clear}>
          {t('f.clear')}
        </Button>
      </div>
    </div>
  );
}
