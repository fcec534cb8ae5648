import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { call, endpointUrl, errorMessage } from '../../../api/client';
import { useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { TextField } from '../../../ui/Field';
import { formatShortDateTime } from '../../../ui/format';
import { EmptyState, Loading } from '../../../ui/Page';
import { formatCents } from '../billing-format';
import { isDate } from './report-dates';

/** The day's takings per user and for the clinic, what to deposit, and the checks for the slip. */
export function DailyCloseView({ today }: { today: string }) {
  const session = useSession();
  const [date, setDate] = useState(today);
  const q = useQuery({
    queryKey: ['billing-report', 'close', date],
    queryFn: ({ signal }) => call('getDailyClose', { query: { date }, signal }),
    enabled: isDate(date),
  });
  const r = q.data;
  const rows = r ? [...r.byUser, r.clinic] : [];
  return (
    <div className="report-body">
      <div className="report-filters">
        <TextField
          label="Day"
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          fieldClassName="field-inline"
        />
        <a
          className="btn btn-secondary"
          href={endpointUrl('exportBillingReport', { params: { report: 'daily-close' }, query: { date } })}
          download
        >
          Export CSV
        </a>
      </div>
      {q.isPending && q.fetchStatus !== 'idle' ? <Loading /> : null}
      {q.isError ? <Alert tone="error">{errorMessage(q.error)}</Alert> : null}
      {r ? (
        r.byUser.length === 0 ? (
          <EmptyState>No payments or refunds were posted on this day.</EmptyState>
        ) : (
          <>
            <table className="table table-dense">
              <thead>
                <tr>
                  <th>Who</th>
                  <th className="num">Cash</th>
                  <th className="num">Checks</th>
                  <th className="num">Cards</th>
                  <th className="num">Other</th>
                  <th className="num">Payments</th>
                  <th className="num">Refunds</th>
                  <th className="num">Net</th>
                  <th className="num">To deposit</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c, i) => {
                  const refunds = c.refunds.cash + c.refunds.check + c.refunds.card + c.refunds.other;
                  const clinicRow = i === rows.length - 1;
                  return (
                    <tr
                      key={c.userId ?? (clinicRow ? 'clinic' : `central-${i}`)}
                      className={clinicRow ? 'total-row' : ''}
                    >
                      <td>{clinicRow ? `All of ${c.name}` : c.name}</td>
                      <td className="num">{formatCents(c.payments.cash)}</td>
                      <td className="num">{formatCents(c.payments.check)}</td>
                      <td className="num">{formatCents(c.payments.card)}</td>
                      <td className="num">{formatCents(c.payments.other)}</td>
                      <td className="num">{c.paymentCount}</td>
                      <td className="num">{refunds ? formatCents(-refunds) : '—'}</td>
                      <td className="num">{formatCents(c.netCents)}</td>
                      <td className="num strong">{formatCents(c.toDepositCents)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p className="report-note">
              To deposit: cash and checks taken, less cash and check refunds. Card payments are paid out by
              Stripe.
            </p>
            {r.checks.length ? (
              <table className="table table-dense checks-table">
                <caption className="section-title">Checks for the deposit slip</caption>
                <thead>
                  <tr>
                    <th>Check #</th>
                    <th>Taken by</th>
                    <th>Time</th>
                    <th className="num">Amount</th>
                  </tr>
                </thead>
                <tbody>
                  {r.checks.map((c) => (
                    <tr key={c.entryId}>
                      <td>{c.checkNumber ?? '—'}</td>
                      <td>{c.userName}</td>
                      <td>{formatShortDateTime(c.postedAt, session.clinic.timeZone)}</td>
                      <td className="num">{formatCents(c.amountCents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        )
      ) : null}
    </div>
  );
}
