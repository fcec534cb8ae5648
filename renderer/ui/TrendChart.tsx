/**
 * A small line chart of measurements over time (SVG, no library), shared by the portal's health tracking
 * and the chart's tracking panel. One or two series (blood pressure: systolic solid, diastolic dashed, so
 * the lines differ by more than colour); an optional range drawn as two dotted lines; the lowest and
 * highest values and the first and last days written on the axes. The picture is a summary: `label` is its
 * text alternative and the callers list the exact figures beside it.
 */
export interface TrendSeries {
  name: string;
  points: { at: string; value: number }[];
  dashed?: boolean;
}

const W = 340;
const H = 150;
const PAD = { left: 44, right: 10, top: 10, bottom: 24 };

export function TrendChart({
  series,
  label,
  range,
  format,
  formatDay,
}: {
  series: TrendSeries[];
  label: string;
  /** Lines at the low and high ends the clinician set (in the series' units). */
  range?: { low: number | null; high: number | null }[];
  /** A value as written on the axis. */
  format: (v: number) => string;
  formatDay: (iso: string) => string;
}) {
  const all = series.flatMap((s) => s.points);
  if (all.length < 2) return null;
  const ends = (range ?? []).flatMap((r) => [r.low, r.high]).filter((v): v is number => v !== null);
  const values = [...all.map((p) => p.value), ...ends];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const times = all.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (iso: string) =>
    PAD.left + ((Date.parse(iso) - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const first = all.reduce((a, b) => (Date.parse(a.at) <= Date.parse(b.at) ? a : b));
  const last = all.reduce((a, b) => (Date.parse(a.at) >= Date.parse(b.at) ? a : b));
  return (
    <svg className="trend-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <line
        x1={PAD.left}
        x2={PAD.left}
        y1={PAD.top}
        y2={H - PAD.bottom}
        stroke="currentColor"
        strokeWidth={0.5}
      />
      <line
        x1={PAD.left}
        x2={W - PAD.right}
        y1={H - PAD.bottom}
        y2={H - PAD.bottom}
        stroke="currentColor"
        strokeWidth={0.5}
      />
      <text x={PAD.left - 4} y={PAD.top + 8} fontSize={10} textAnchor="end">
        {format(hi)}
      </text>
      <text x={PAD.left - 4} y={H - PAD.bottom} fontSize={10} textAnchor="end">
        {format(lo)}
      </text>
      <text x={PAD.left} y={H - 8} fontSize={10}>
        {formatDay(first.at)}
      </text>
      <text x={W - PAD.right} y={H - 8} fontSize={10} textAnchor="end">
        {formatDay(last.at)}
      </text>
      {ends.map((v, i) => (
        <line
          key={`range-${i}`}
          className="trend-range"
          x1={PAD.left}
          x2={W - PAD.right}
          y1={y(v)}
          y2={y(v)}
          strokeDasharray="1 3"
          strokeWidth={1}
        />
      ))}
      {series.map((s) => {
        const pts = [...s.points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
        return (
          <g key={s.name} className="trend-line">
            <polyline
              points={pts.map((p) => `${x(p.at)},${y(p.value)}`).join(' ')}
              fill="none"
              stroke="currentColor"
              strokeWidth={2}
              strokeDasharray={s.dashed ? '6 4' : undefined}
            />
            {pts.map((p, i) => (
              <circle key={i} cx={x(p.at)} cy={y(p.value)} r={s.dashed ? 2.5 : 3} fill="currentColor" />
            ))}
          </g>
        );
      })}
    </svg>
  );
}
