import type { ClaimPreview, VisitForClaims } from '../../../server/contracts/claims/api';
import { claimStatusLabels } from '../../../server/contracts/claims/records';
import { formatCents } from '../billing/billing-format';

/**
 * The claims the chosen lines would become, before anything is written: one per rendering provider (and per
 * 50 lines or 12 diagnoses), each with its lines, diagnoses, total and what the scrubber says — a refusal
 * means the claim is created as a draft that no batch takes until it is fixed.
 */
export function ClaimPreviewList({ preview, lines }: { preview: ClaimPreview; lines: VisitForClaims['lines'] }) {
  const codeOf = (id: string) => {
    const l = lines.find((x) => x.id === id);
    return l ? [l.code, ...l.modifiers].join('-') : '';
  };
  if (!preview.claims.length)
    return <p className="muted">These lines are already on a claim to {preview.payerName}; nothing new would be created.</p>;
  return (
    <ol className="claim-preview" data-testid="claim-preview">
      {preview.claims.map((c, i) => (
        <li key={i}>
          <p>
            <strong>
              {preview.payerName} ({preview.priority}) · {c.providerName} · {c.chargeLineIds.map(codeOf).join(', ')} · {formatCents(c.totalCents)}
            </strong>{' '}
            — diagnoses {c.diagnoses.join(', ') || 'none'} · <span className={`claim-preview-status-${c.status}`}>{claimStatusLabels[c.status]}</span>
          </p>
          {c.findings.length ? (
            <ul className="claim-findings">
              {c.findings.map((f, n) => (
                <li key={n} className={f.severity === 'refuse' ? 'finding-refuse' : 'finding-warn'}>
                  <strong>{f.severity === 'refuse' ? 'Must fix' : 'Warning'}</strong>
                  {f.line ? ` (line ${f.line})` : ''}: {f.message}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">The scrubber found nothing to fix.</p>
          )}
        </li>
      ))}
      {preview.alreadyClaimed.length ? (
        <li className="muted">{preview.alreadyClaimed.length} chosen line(s) already on a claim to this payer are left out.</li>
      ) : null}
    </ol>
  );
}
