import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { call, endpointUrl, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { TextField } from '../../../ui/Field';
import { EmptyState, Loading } from '../../../ui/Page';
import { formatCents } from '../billing-format';
import { isDate, monthStart } from './report-dates';

const methodLabels = { cash: 'Cash', check: 'Check', card: 'Card', other: 'Other' } as const;

/** Payments and refunds by method and payer for a date range. */
export function PaymentsView({ today }: { today: string }) {
  const [from, setFrom] = useState(monthStart(today));
  const [to, setTo] = useState(today);
  const valid = isDate(from) && isDate(to) && from <= to;
  const q = useQuery({
    queryKey: ['billing-report', 'payments', from, to],
    queryFn: ({ signal }) => call('getPaymentsReport', { query: { from, to }, signal }),
    enabled: valid,
  });
  const r = q.data;
  return (
    <div className="report-body">
      <div className="report-filters">
        <TextField
          label="From"
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          fieldClassName="field-inline"
        />
        <TextField
          label="To"
          type="date"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          fieldClassName="field-inline"
        />
        {valid ? (
          <a
            className="btn btn-secondary"
            href={endpointUrl('exportBillingReport', { params: { report: 'payments' }, query: { from, to } })}
            download
          >
            Export CSV
          </a>
        ) : (
          <span className="field-error">Choose a first day on or before the last day.</span>
        )}
      </div>
      {q.isPending && q.fetchStatus !== 'idle' ? <Loading /> : null}
      {q.isError ? <Alert tone="error">{errorMessage(q.error)}</Alert> : null}
      {r ? (
        r.methods.length === 0 ? (
          <EmptyState>No payments in these dates.</EmptyState>
        ) : (
          <table className="table table-dense payments-table">
            <thead>
              <tr>
                <th>Method</th>
                <th>Paid by</th>
                <th className="num">Count</th>
                <th className="num">Payments</th>
                <th className="num">Refunds</th>
                <th className="num">Net</th>
              </tr>
            </thead>
            <tbody>
              {r.methods.map((m) => (
                <tr key={`${m.method}-${m.responsibility}`}>
                  <td>{methodLabels[m.method]}</td>
                  <td>{m.responsibility === 'patient' ? 'Patients' : 'Insurance'}</td>
                  <td className="num">{m.count}</td>
                  <td className="num">{formatCents(m.paymentsCents)}</td>
                  <td className="num">{m.refundsCents ? formatCents(-m.refundsCents) : '—'}</td>
                  <td className="num">{formatCents(m.netCents)}</td>
                </tr>
              ))}
              <tr className="total-row">
                <td colSpan={3}>Total</td>
                <td className="num">{formatCents(r.totalPaymentsCents)}</td>
                <td className="num">{r.totalRefundsCents ? formatCents(-r.totalRefundsCents) : '—'}</td>
                <td className="num strong">{formatCents(r.totalPaymentsCents - r.totalRefundsCents)}</td>
              </tr>
            </tbody>
          </table>
        )
      ) : null}
    </div>
  );
}
