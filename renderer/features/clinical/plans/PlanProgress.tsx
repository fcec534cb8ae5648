import { Link } from 'react-router';
import { progressRatingLabels, type TreatmentPlan } from '../../../../server/contracts/clinical';
import { formatShortDateTime } from '../../../ui/format';
import { objectiveText } from './plan-form';

/** Progress on the plan's objectives, as recorded in session notes (newest as the server orders them). */
export function PlanProgress({ plan, timeZone }: { plan: TreatmentPlan; timeZone: string }) {
  return (
    <section className="note-section" aria-labelledby="plan-progress">
      <h2 id="plan-progress" className="section-title">
        Progress from notes
      </h2>
      {plan.progress.length ? (
        <ul className="plain-list">
          {plan.progress.map((p) => (
            <li key={p.id}>
              {formatShortDateTime(p.recordedAt, timeZone)} — {objectiveText(plan.structure, p.objectiveId)}:{' '}
              <span className="badge badge-muted">{progressRatingLabels[p.rating]}</span>
              {p.comment ? ` — ${p.comment}` : ''} <Link to={`/notes/${p.noteId}`}>Open note</Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">
          No progress recorded yet. Clinicians record progress in their session notes.
        </p>
      )}
    </section>
  );
}
