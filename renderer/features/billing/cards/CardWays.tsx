import { useEffect } from 'react';

export type CardWay = 'reader' | 'link' | 'saved';

const ways: { way: CardWay; label: string; key: string }[] = [
  { way: 'reader', label: 'Card reader', key: 'r' },
  { way: 'link', label: 'Payment link', key: 'l' },
  { way: 'saved', label: 'Saved card', key: 's' },
];

/**
 * How the card is taken: the reader, a payment link or a saved card, as toggle buttons and as single keys
 * (R, L, S; not while typing in a field). Locked to the current way while a payment is under way.
 */
export function CardWays({
  way,
  locked,
  onChange,
}: {
  way: CardWay;
  locked: boolean;
  onChange: (w: CardWay) => void;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (locked || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
      const w = ways.find((x) => x.key === e.key.toLowerCase());
      if (w) {
        e.preventDefault();
        onChange(w.way);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [locked, onChange]);

  return (
    <div className="card-ways" role="group" aria-label="How the card is taken">
      {ways.map((w) => (
        <button
          key={w.way}
          type="button"
          className={`card-way${way === w.way ? ' card-way-on' : ''}`}
          aria-pressed={way === w.way}
          disabled={locked && way !== w.way}
          onClick={() => onChange(w.way)}
        >
          {w.label} <kbd aria-hidden="true">{w.key.toUpperCase()}</kbd>
        </button>
      ))}
    </div>
  );
}
