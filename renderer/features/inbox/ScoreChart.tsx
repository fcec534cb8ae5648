import type { PatientQuestionnaires } from '../../../server/contracts/inbox';
import {
  instruments,
  maxScore,
  type InstrumentId,
} from '../../../server/contracts/questionnaires/instruments';
import { useSession } from '../../app/auth';
import { formatDate } from '../../ui/format';
import { TrendChart } from '../../ui/TrendChart';

type Response = PatientQuestionnaires['responses'][number];

/** The moderate cut-off of PHQ-9 and GAD-7. */
const MODERATE = 10;

/**
 * Scores over time through the shared trend chart: one line per questionnaire (the second dashed, so they
 * differ by more than colour), each as a share of its maximum (PHQ-9 out of 27, GAD-7 out of 21) with the
 * moderate cut-off drawn as a range line. The table beside it gives the exact figures; the chart's text
 * alternative names every score.
 */
export function ScoreChart({ responses }: { responses: Response[] }) {
  const { clinic } = useSession();
  const ids = [...new Set(responses.map((r) => r.instrument))] as InstrumentId[];
  const share = (id: InstrumentId, score: number) => (score / maxScore(instruments[id])) * 100;
  const series = ids.map((id, i) => ({
    name: instruments[id].name,
    dashed: i > 0,
    points: responses
      .filter((r) => r.instrument === id)
      .map((r) => ({ at: r.submittedAt, value: share(id, r.totalScore) })),
  }));
  const summary = ids
    .map((id) => {
      const rs = responses.filter((r) => r.instrument === id);
      return `${instruments[id].name}: ${rs.map((r) => r.totalScore).join(', ')}`;
    })
    .join('; ');
  return (
    <TrendChart
      series={series}
      label={`Scores over time, as a share of each questionnaire's maximum. ${summary}`}
      range={ids.map((id) => ({ low: share(id, MODERATE), high: null }))}
      format={(v) => `${Math.round(v)}%`}
      formatDay={(iso) => formatDate(iso, clinic.timeZone)}
    />
  );
}
