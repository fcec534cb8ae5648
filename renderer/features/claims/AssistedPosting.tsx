import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ResponseOf } from '../../../server/contracts/api';
import { claimStatusLabels } from '../../../server/contracts/claims/records';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { EmptyState, Loading } from '../../ui/Page';
import { formatCents } from '../billing/billing-format';
import { AssistedPostingForm } from './AssistedPostingForm';
import { EraProof } from './EraProof';

type Posted = ResponseOf<'postAssistedEra'>;

/**
 * The assisted-posting worklist (docs/claims.md): remittances that balanced but did not post on their own
 * (a claim or line matched nothing, or something needs a look). Each shows its proof and what did not
 * match; the biller names the claim or the claim line for each, then posts. Posting is exact and all or
 * nothing: the server plans again with the answers and refuses while anything still matches nothing.
 */
export function AssistedPosting() {
  const q = useQuery({ queryKey: ['claims', 'eras', 'assisted'], queryFn: ({ signal }) => call('listEraPayments', { query: { status: 'assisted' }, signal }) });
  const [posted, setPosted] = useState<Posted | null>(null);
  return (
    <section aria-labelledby="assisted-title" className="claims-assisted">
      <h2 id="assisted-title">Assisted posting</h2>
      {posted ? (
        <Alert tone="success" testId="assisted-posted">
          Posted {formatCents(posted.paymentCents)}:{' '}
          {posted.claims.map((c) => `${claimStatusLabels[c.status].toLowerCase()}, paid ${formatCents(c.paidCents)}, patient ${formatCents(c.patientResponsibilityCents)}`).join('; ')}.
        </Alert>
      ) : null}
      {q.isPending ? (
        <Loading label="Loading remittances…" />
      ) : q.isError ? (
        <Alert tone="error">{errorMessage(q.error)}</Alert>
      ) : q.data.payments.length === 0 ? (
        <EmptyState>No remittance is waiting: every ERA received so far posted on its own or was refused.</EmptyState>
      ) : (
        q.data.payments.map((p) => (
          <article key={p.id} className="assisted-payment" data-testid="assisted-payment" aria-label={`Remittance from ${p.payerName}`}>
            <h3>
              {p.payerName} · {formatCents(p.paymentCents)}
              {p.paymentDate ? ` · ${p.paymentDate}` : ''}
            </h3>
            {p.reviewBecause.length ? <Alert tone="warning">{p.reviewBecause.join(' ')}</Alert> : null}
            <EraProof proof={p.proof} />
            {p.providerAdjustments.length ? (
              <ul>
                {p.providerAdjustments.map((a, i) => (
                  <li key={i}>PLB {a.reasonCode} {a.reasonText}: {formatCents(a.amountCents)}</li>
                ))}
              </ul>
            ) : null}
            <AssistedPostingForm payment={p} onPosted={setPosted} />
          </article>
        ))
      )}
    </section>
  );
}
