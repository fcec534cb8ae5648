import type { PatientQuestionnaires } from '../../../server/contracts/inbox';
import {
  instruments,
  maxScore,
  type InstrumentId,
} from '../../../server/contracts/questionnaires/instruments';

type Response = PatientQuestionnaires['responses'][number];

const W = 520;
const H = 160;
const PAD = { left: 32, right: 12, top: 10, bottom: 24 };

/**
 * Scores over time, one line per questionnaire, each on its own scale as a share of its maximum (PHQ-9 out of
 * 27, GAD-7 out of 21) with the moderate cut-off (10) drawn as a dashed line. A table below gives the exact
 * figures; the chart is a picture of the trend, with a text alternative.
 */
export function ScoreChart({ responses }: { responses: Response[] }) {
  if (responses.length < 2) return null;
  const times = responses.map((r) => Date.parse(r.submittedAt));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (share: number) => PAD.top + (1 - share) * (H - PAD.top - PAD.bottom);
  const ids = [...new Set(responses.map((r) => r.instrument))] as InstrumentId[];
  const summary = ids
    .map((id) => {
      const rs = responses.filter((r) => r.instrument === id);
      return `${instruments[id].name}: ${rs.map((r) => r.totalScore).join(', ')}`;
    })
    .join('; ');
  return (
    <svg className="q-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Scores over time. ${summary}`}>
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
      <text x={4} y={PAD.top + 8} fontSize={10}>
        max
      </text>
      <text x={4} y={H - PAD.bottom} fontSize={10}>
        0
      </text>
      {ids.map((id) => {
        const inst = instruments[id];
        const rs = responses.filter((r) => r.instrument === id);
        const pts = rs.map((r) => [x(Date.parse(r.submittedAt)), y(r.totalScore / maxScore(inst))] as const);
        return (
          <g key={id}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(10 / maxScore(inst))}
              y2={y(10 / maxScore(inst))}
              className={`q-line-${id}`}
              strokeDasharray="3 3"
              strokeWidth={0.75}
            />
            <polyline
              points={pts.map((p) => p.join(',')).join(' ')}
              fill="none"
              className={`q-line-${id}`}
              strokeWidth={2}
            />
            {pts.map(([px, py], i) => (
              <circle key={rs[i]!.id} cx={px} cy={py} r={3} className={`q-line-${id}`} fill="currentColor" />
            ))}
            <text x={pts.at(-1)![0] - 30} y={pts.at(-1)![1] - 6} fontSize={10}>
              {inst.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
