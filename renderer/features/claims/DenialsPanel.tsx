import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { EmptyState, Loading } from '../../ui/Page';
import { formatCents } from '../billing/billing-format';
import { DenialActions } from './DenialActions';

/**
 * The denials worklist: denied amounts not yet worked, grouped by reason (CARC and its text), largest first;
 * each with its actions (resubmit, appeal, write off, bill the patient) and a link to its claim.
 */
export function DenialsPanel() {
  const q = useQuery({ queryKey: ['claims', 'denials'], queryFn: ({ signal }) => call('listDenials', { signal }) });
  return (
    <section aria-labelledby="denials-title">
      <h2 id="denials-title">Denials to work</h2>
      {q.isPending ? (
        <Loading label="Loading denials…" />
      ) : q.isError ? (
        <Alert tone="error">{errorMessage(q.error)}</Alert>
      ) : q.data.groups.length === 0 ? (
        <EmptyState>No denials waiting.</EmptyState>
      ) : (
        q.data.groups.map((g) => (
          <details key={g.reasonCode} open>
            <summary>
              <strong>{g.reasonCode || '—'}</strong> {g.reasonText} · {g.items.length} · {formatCents(g.totalCents)}
            </summary>
            <table className="table table-dense">
              <thead>
                <tr>
                  <th scope="col">Claim number</th>
                  <th scope="col">Payer</th>
                  <th scope="col">Group</th>
                  <th scope="col" className="num">Amount</th>
                  <th scope="col">Denied</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {g.items.map((i) => (
                  <tr key={i.postingId}>
                    <td><Link to={`/billing/claims/${i.claimId}`}><code>{i.patientControlNumber}</code></Link></td>
                    <td>{i.payerName}</td>
                    <td>{i.group}</td>
                    <td className="num">{formatCents(i.amountCents)}</td>
                    <td>{i.deniedAt.slice(0, 10)}</td>
                    <td><DenialActions postingId={i.postingId} amountCents={i.amountCents} label={`${i.reasonCode ?? ''} on ${i.patientControlNumber}`} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ))
      )}
    </section>
  );
}
