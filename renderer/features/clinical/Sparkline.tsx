/**
 * A small trend line for a vital sign: oldest to newest, left to right, with the latest value marked. The
 * numbers sit next to it in text; the line only shows the direction.
 */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  if (values.length < 2) return null;
  const w = 84;
  const h = 22;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const points = values.map(
    (v, i) => [(i / (values.length - 1)) * (w - 4) + 2, h - 2 - ((v - min) / span) * (h - 4)] as const,
  );
  const last = points[points.length - 1]!;
  const first = values[0]!;
  const latest = values[values.length - 1]!;
  const direction = latest > first ? 'up' : latest < first ? 'down' : 'level';
  return (
    <svg
      className="sparkline"
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={`${label}: trend ${direction} over ${values.length} readings`}
    >
      <polyline
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        points={points.map((p) => p.join(',')).join(' ')}
      />
      <circle cx={last[0]} cy={last[1]} r="2.5" fill="currentColor" />
    </svg>
  );
}
