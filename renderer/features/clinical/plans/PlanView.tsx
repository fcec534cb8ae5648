import { planItemStatusLabels, type TreatmentPlan } from '../../../../server/contracts/clinical';
import { formatCalendarDate } from '../../../ui/format';

/** A signed (or read-only) plan as a document: the tree with statuses as badges and target dates. */
export function PlanView({ plan }: { plan: TreatmentPlan }) {
  return (
    <div className="plan-tree">
      <p className="small">
        Effective {formatCalendarDate(plan.effectiveDate)}
        {plan.reviewDate ? ` · review by ${formatCalendarDate(plan.reviewDate)}` : ''}
      </p>
      {plan.structure.problems.map((p, i) => (
        <section key={p.id} className="plan-problem" aria-label={`Problem ${i + 1}`}>
          <h2 className="section-title">
            Problem {i + 1}: {p.text} {p.diagnosis ? <code>{p.diagnosis.code}</code> : null}
          </h2>
          {p.goals.map((g, gi) => (
            <div key={g.id} className="plan-goal">
              <p>
                <strong>Goal {gi + 1}:</strong> {g.text}{' '}
                <span className="badge badge-muted">{planItemStatusLabels[g.status]}</span>
                {g.targetDate ? (
                  <span className="muted small"> target {formatCalendarDate(g.targetDate)}</span>
                ) : null}
              </p>
              <ul className="plan-objectives">
                {g.objectives.map((o) => (
                  <li key={o.id}>
                    <strong>Objective:</strong> {o.text}{' '}
                    <span className="muted small">— measured by {o.measure}</span>{' '}
                    <span className="badge badge-muted">{planItemStatusLabels[o.status]}</span>
                    {o.targetDate ? (
                      <span className="muted small"> target {formatCalendarDate(o.targetDate)}</span>
                    ) : null}
                    {o.interventions.length ? (
                      <ul>
                        {o.interventions.map((iv) => (
                          <li key={iv.id}>
                            Intervention: {iv.text}
                            {iv.frequency ? ` (${iv.frequency})` : ''}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
