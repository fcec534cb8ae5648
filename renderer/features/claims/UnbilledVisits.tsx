import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { EmptyState, Loading } from '../../ui/Page';
import { formatCents } from '../billing/billing-format';

/**
 * Visits to bill: closed visits of insured patients whose posted charges are not all on a primary claim yet
 * (the server lists the newest 200). Each opens the visit's claim screen, where the biller chooses the lines.
 */
export function UnbilledVisits() {
  const q = useQuery({ queryKey: ['claims', 'unbilled'], queryFn: ({ signal }) => call('listUnbilledVisits', { signal }) });
  return (
    <section aria-labelledby="unbilled-title">
      <h2 id="unbilled-title">Visits to bill</h2>
      {q.isPending ? (
        <Loading label="Loading visits to bill…" />
      ) : q.isError ? (
        <Alert tone="error">{errorMessage(q.error)}</Alert>
      ) : q.data.visits.length === 0 ? (
        <EmptyState>Every closed visit of an insured patient is on a claim.</EmptyState>
      ) : (
        <>
          <table className="table table-dense" data-testid="unbilled-visits">
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Service date</th>
                <th scope="col">Provider</th>
                <th scope="col">Primary payer</th>
                <th scope="col" className="num">Lines</th>
                <th scope="col" className="num">Not billed</th>
              </tr>
            </thead>
            <tbody>
              {q.data.visits.map((v) => (
                <tr key={v.encounterId}>
                  <td>
                    <Link to={`/billing/claims/visits/${v.encounterId}`} aria-label={`Make claims for ${v.patientName}, visit of ${v.dateOfService}`}>
                      {v.patientName}
                    </Link>
                  </td>
                  <td>{v.dateOfService}</td>
                  <td>{v.providerName}</td>
                  <td>{v.payerName}</td>
                  <td className="num">{v.unbilledLines}</td>
                  <td className="num">{formatCents(v.unbilledCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.data.truncated ? <p className="muted">The newest 200 visits are listed; older ones open from the visit’s charges.</p> : null}
        </>
      )}
    </section>
  );
}
