import type { ReactNode } from 'react';
import {
  coveragePriorityLabels,
  subscriberRelationshipOptions,
  type Coverage,
} from '../../../server/contracts/patients';
import { Button } from '../../ui/Button';
import { formatCalendarDate } from '../../ui/format';
import { formatMoney } from './patient-format';
import { RecordPanel } from './RecordPanel';

const standingBadge: Record<Coverage['standing'], { label: string; tone: string }> = {
  active: { label: 'Active', tone: 'ok' },
  expired: { label: 'Expired', tone: 'danger' },
  future: { label: 'Not started', tone: 'muted' },
};

/**
 * The patient's insurance coverages in priority order, with their standing as a badge and, when given, each
 * coverage's newest eligibility (271) answer.
 */
export function CoveragePanel({
  coverages,
  canWrite,
  onEdit,
  onRemove,
  eligibilityOf,
}: {
  coverages: Coverage[];
  canWrite: boolean;
  onEdit: (coverage: Coverage | null) => void;
  onRemove: (coverage: Coverage) => void;
  eligibilityOf?: (coverageId: string) => ReactNode;
}) {
  return (
    <RecordPanel
      title="Insurance"
      action={
        canWrite ? (
          <Button size="small" onClick={() => onEdit(null)}>
            Add coverage
          </Button>
        ) : null
      }
    >
      {coverages.length ? (
        <div className="table-wrap">
          <table className="table table-dense" data-testid="coverages">
            <thead>
              <tr>
                <th scope="col">Priority</th>
                <th scope="col">Payer and plan</th>
                <th scope="col">Member id</th>
                <th scope="col">Group</th>
                <th scope="col">Subscriber</th>
                <th scope="col">Effective</th>
                <th scope="col" className="num">
                  Copay
                </th>
                <th scope="col">Status</th>
                {eligibilityOf ? <th scope="col">Eligibility</th> : null}
                {canWrite ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {coverages.map((c) => (
                <tr key={c.id}>
                  <td>{coveragePriorityLabels[c.priority]}</td>
                  <td>
                    {c.payerName}
                    {c.planName ? <span className="patient-result-sub">{c.planName}</span> : null}
                  </td>
                  <td>
                    <code>{c.memberId}</code>
                  </td>
                  <td>{c.groupNumber ?? ''}</td>
                  <td>
                    {c.subscriberRelationship === 'self'
                      ? 'Self'
                      : `${c.subscriberFirstName ?? ''} ${c.subscriberLastName ?? ''} (${subscriberRelationshipOptions[c.subscriberRelationship].label})`}
                  </td>
                  <td className="nowrap">{effectiveText(c)}</td>
                  <td className="num">{formatMoney(c.copayCents)}</td>
                  <td>
                    <span className={`badge badge-${standingBadge[c.standing].tone}`}>
                      {standingBadge[c.standing].label}
                    </span>
                  </td>
                  {eligibilityOf ? <td>{eligibilityOf(c.id)}</td> : null}
                  {canWrite ? (
                    <td className="row-actions">
                      <Button
                        size="small"
                        variant="link"
                        onClick={() => onEdit(c)}
                        aria-label={`Change ${c.priority} coverage`}
                      >
                        Change coverage
                      </Button>
                      <Button
                        size="small"
                        variant="link"
                        onClick={() => onRemove(c)}
                        aria-label={`Remove ${c.priority} coverage (entered in error)`}
                      >
                        Remove coverage
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">
          No insurance on file{canWrite ? ' — add a coverage, or leave empty for self-pay.' : '.'}
        </p>
      )}
    </RecordPanel>
  );
}

/** "From Mar 1, 2026", "Mar 1, 2026 – Dec 31, 2026", "Until …", or "No dates" for an open coverage. */
function effectiveText(c: Coverage): string {
  if (c.effectiveFrom && c.effectiveTo)
    return `${formatCalendarDate(c.effectiveFrom)} – ${formatCalendarDate(c.effectiveTo)}`;
  if (c.effectiveFrom) return `From ${formatCalendarDate(c.effectiveFrom)}`;
  if (c.effectiveTo) return `Until ${formatCalendarDate(c.effectiveTo)}`;
  return 'No dates';
}
