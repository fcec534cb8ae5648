import {
  adherencePercent,
  lastDays,
  type AdherenceReport,
  type AdherenceStatus,
} from '../../../../server/contracts/portal/adherence';

const MARK: Record<AdherenceStatus, string> = { taken: '✓', partial: '◐', missed: '✕' };
const WORD: Record<AdherenceStatus, string> = { taken: 'taken', partial: 'partly taken', missed: 'missed' };

/**
 * One medication's last 14 days as the patient reported them in the portal: a row of small cells (a mark
 * and a colour per answer, the day and the answer in each cell's title and in the text alternative) and
 * "% taken" over the days answered. Nothing reported: a sentence, not zeros.
 */
export function AdherenceStrip({
  name,
  today,
  reports,
}: {
  name: string;
  today: string;
  reports: AdherenceReport[];
}) {
  const days = lastDays(today, 14);
  const inWindow = reports.filter((r) => r.day >= days[0]! && r.day <= today);
  const percent = adherencePercent(inWindow);
  if (percent === null)
    return (
      <p className="muted small adherence-empty">
        No answers from the patient in the portal in the last 14 days.
      </p>
    );
  const byDay = new Map(inWindow.map((r) => [r.day, r]));
  const counts = (s: AdherenceStatus) => inWindow.filter((r) => r.status === s).length;
  return (
    <div className="adherence" data-testid="adherence-strip">
      <ol
        className="adherence-strip"
        aria-label={`${name}, last 14 days from the portal: ${counts('taken')} taken, ${counts('partial')} partly taken, ${counts('missed')} missed, ${14 - inWindow.length} not answered`}
      >
        {days.map((d) => {
          const r = byDay.get(d);
          return (
            <li
              key={d}
              className={`adherence-cell${r ? ` is-${r.status}` : ''}`}
              title={`${d}: ${r ? WORD[r.status] : 'no answer'}${r?.note ? ` — “${r.note}”` : ''}`}
              aria-hidden="true"
            >
              {r ? MARK[r.status] : ''}
            </li>
          );
        })}
      </ol>
      <span className="small">
        <strong>{percent}% taken</strong>{' '}
        <span className="muted">({inWindow.length} of 14 days answered)</span>
      </span>
    </div>
  );
}
