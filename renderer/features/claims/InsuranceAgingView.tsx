import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { call, endpointUrl, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { TextField } from '../../ui/Field';
import { EmptyState, Loading } from '../../ui/Page';
import { formatCents } from '../billing/billing-format';

const BUCKETS = [
  ['0_30', '0–30'],
  ['31_60', '31–60'],
  ['61_90', '61–90'],
  ['91_120', '91–120'],
  ['120_plus', '120+'],
] as const;

const isDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);

/**
 * Billing > Reports > Insurance by payer: what each payer still owes on live claims (from the ledger), aged
 * from the claim's first date of service; CSV export (audited). A payer's row counts claims with money open.
 */
export function InsuranceAgingView({ today }: { today: string }) {
  const [asOf, setAsOf] = useState(today);
  const q = useQuery({
    queryKey: ['claims-report', 'aging', asOf],
    queryFn: ({ signal }) => call('getInsuranceAging', { query: { asOf }, signal }),
    enabled: isDate(asOf),
  });
  const r = q.data;
  return (
    <div className="report-body">
      <div className="report-filters">
        <TextField label="As of" type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} fieldClassName="field-inline" />
        <a className="btn btn-secondary" href={endpointUrl('exportInsuranceAging', { query: { asOf } })} download>
          Export CSV
        </a>
        <span className="report-note">Open claim balances by payer, aged from the first date of service.</span>
      </div>
      {q.isPending && q.fetchStatus !== 'idle' ? <Loading /> : null}
      {q.isError ? <Alert tone="error">{errorMessage(q.error)}</Alert> : null}
      {r && r.payers.length === 0 ? <EmptyState>No claim has money open with a payer. Claims appear here once made from closed visits.</EmptyState> : null}
      {r && r.payers.length > 0 ? (
        <table className="table table-dense aging-table" data-testid="insurance-aging">
          <caption className="section-title">Insurance A/R by payer (days)</caption>
          <thead>
            <tr>
              <th scope="col">Payer</th>
              <th scope="col" className="num">
                Claims
              </th>
              {BUCKETS.map(([k, label]) => (
                <th key={k} scope="col" className="num">
                  {label}
                </th>
              ))}
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {[...r.payers, r.total].map((p) => (
              <tr key={p.payerId ?? 'total'} className={p.payerId ? undefined : 'strong'}>
                <th scope="row">{p.payerName}</th>
                <td className="num">{p.claimCount}</td>
                {BUCKETS.map(([k]) => (
                  <td key={k} className="num">
                    {p.aging[k] ? formatCents(p.aging[k]) : '—'}
                  </td>
                ))}
                <td className="num strong">{formatCents(p.totalCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
