import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { todayIn } from '../../../server/contracts/calendar';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { TextField } from '../../ui/Field';
import { formatShortDateTime } from '../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { PatientFinder } from '../patients/PatientFinder';
import { formatCents, paymentMethodLabels } from './billing-format';
import './billing.css';

/** The Billing area's front page: open a patient's account, and the payments taken on a day. */
export function BillingHomePage() {
  const navigate = useNavigate();
  const session = useSession();
  const timeZone = session.clinic.timeZone;
  const [date, setDate] = useState(todayIn(timeZone));
  const payments = useQuery({
    queryKey: keys.payments(date),
    queryFn: ({ queryKey, signal }) =>
      call('listPayments', { query: { date }, signal, background: isLiveRefresh(queryKey) }),
    enabled: /^\d{4}-\d{2}-\d{2}$/.test(date),
  });
  const p = payments.data;
  return (
    <section className="page page-wide billing-home">
      <PageHeader title="Billing">Patient accounts, payments and checkout.</PageHeader>
      <div className="billing-home-grid">
        <section className="panel" aria-labelledby="find-account">
          <h2 id="find-account" className="section-title">
            Open an account
          </h2>
          <PatientFinder
            label="Patient"
            autoFocus
            limit={8}
            onOpen={(patient) => void navigate(`/billing/accounts/${patient.id}`)}
          />
        </section>
        <section className="panel" aria-labelledby="day-payments">
          <div className="panel-head">
            <h2 id="day-payments" className="section-title">
              Payments taken
            </h2>
            <TextField
              label="Day"
              type="date"
              value={date}
              onChange={(e) => setDate(e.target.value)}
              fieldClassName="field-inline"
            />
          </div>
          {payments.isPending && payments.fetchStatus !== 'idle' ? <Loading /> : null}
          {payments.isError ? <Alert tone="error">{errorMessage(payments.error)}</Alert> : null}
          {p ? (
            p.payments.length ? (
              <>
                <dl className="method-totals" aria-label="Totals by method">
                  {Object.entries(p.totalsByMethod).map(([m, c]) => (
                    <div key={m}>
                      <dt>{paymentMethodLabels[m as keyof typeof paymentMethodLabels] ?? m}</dt>
                      <dd className="num">{formatCents(c)}</dd>
                    </div>
                  ))}
                </dl>
                <table className="table table-dense" data-testid="day-payments">
                  <thead>
                    <tr>
                      <th>Time</th>
                      <th>Patient</th>
                      <th>Method</th>
                      <th className="num">Amount</th>
                      <th>Taken by</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.payments.map((x) => (
                      <tr key={x.id} className={x.reversed ? 'ledger-reversed' : undefined}>
                        <td className="nowrap">{formatShortDateTime(x.postedAt, timeZone)}</td>
                        <td>
                          <Link to={`/billing/accounts/${x.patientId}`}>{x.patientName}</Link>{' '}
                          <span className="muted small">{x.mrn}</span>
                        </td>
                        <td>
                          {x.method ? paymentMethodLabels[x.method] : ''}
                          {x.checkNumber ? ` #${x.checkNumber}` : ''}
                          {x.reversed ? <span className="badge badge-muted">Reversed</span> : null}
                        </td>
                        <td className="num">{formatCents(x.amountCents)}</td>
                        <td className="small">{x.postedByName}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : (
              <EmptyState>
                No payments on this day. Payments taken at check-in, checkout or on an account appear here.
              </EmptyState>
            )
          ) : null}
        </section>
      </div>
    </section>
  );
}
