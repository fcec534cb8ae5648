import { Link } from 'react-router';
import { planStatusLabels, type TreatmentPlan } from '../../../../server/contracts/clinical';

/** The plan's title, version, status badge and author, with links to its other versions. */
export function PlanHeader({ plan }: { plan: TreatmentPlan }) {
  return (
    <header className="page-header">
      <div>
        <h1 className="page-title">{plan.title}</h1>
        <p className="page-intro">
          Version {plan.version} · <span className="badge badge-muted">{planStatusLabels[plan.status]}</span>{' '}
          · by {plan.author.name}
        </p>
      </div>
      {plan.versions.length > 1 ? (
        <nav aria-label="Plan versions" className="plan-versions">
          {plan.versions.map((v) =>
            v.id === plan.id ? (
              <span key={v.id} aria-current="page" className="badge badge-ok">
                v{v.version}
              </span>
            ) : (
              <Link key={v.id} to={`/treatment-plans/${v.id}`}>
                v{v.version} ({planStatusLabels[v.status]})
              </Link>
            ),
          )}
        </nav>
      ) : null}
    </header>
  );
}
