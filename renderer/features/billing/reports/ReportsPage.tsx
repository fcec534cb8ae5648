import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { todayIn } from '../../../../server/contracts/calendar';
import type { AgingRow } from '../../../../server/contracts/billing/reports';
import { call, endpointUrl, errorMessage } from '../../../api/client';
import { useCan, useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { TextField } from '../../../ui/Field';
import { formatShortDateTime } from '../../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../../ui/Page';
import { formatCents } from '../billing-format';
import { InsuranceAgingView } from '../../claims/InsuranceAgingView';
import '../billing.css';
import './reports.css';

/**
 * Billing > Reports: A/R aging (by who owes it, by provider, by location, by patient), the daily close per
 * user and for the clinic, payments by method for a range, and insurance A/R by payer (claims.work). Each
 * exports as CSV (the export is audited). Keys 1 to 4 switch reports when no field has focus.
 */

type Tab = 'aging' | 'close' | 'payments' | 'insurance';
const allTabs: { id: Tab; label: string }[] = [
  { id: 'aging', label: 'A/R aging' },
  { id: 'close', label: 'Daily close' },
  { id: 'payments', label: 'Payments by method' },
  { id: 'insurance', label: 'Insurance by payer' },
];

const isDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);
const monthStart = (d: string) => `${d.slice(0, 8)}01`;

export function ReportsPage() {
  const session = useSession();
  const today = todayIn(session.clinic.timeZone);
  const [tab, setTab] = useState<Tab>('aging');
  // Insurance by payer reads claims (claims.work).
  const canWorkClaims = useCan()('claims.work');
  const tabs = useMemo(() => (canWorkClaims ? allTabs : allTabs.filter((t) => t.id !== 'insurance')), [canWorkClaims]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.altKey || e.ctrlKey || e.metaKey || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
      const i = ['1', '2', '3', '4'].indexOf(e.key);
      if (i >= 0 && i < tabs.length) setTab(tabs[i]!.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tabs]);

  return (
    <section className="page page-wide billing-reports">
      <PageHeader title="Billing reports">
        What is owed and how old it is, the day’s takings, payments by method.
      </PageHeader>
      <div className="report-tabs" role="tablist" aria-label="Report">
        {tabs.map((t, i) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={`report-tab${tab === t.id ? ' report-tab-active' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label} <kbd>{i + 1}</kbd>
          </button>
        ))}
      </div>
      {tab === 'aging' ? <AgingReportView today={today} /> : null}
      {tab === 'close' ? <DailyCloseView today={today} /> : null}
      {tab === 'payments' ? <PaymentsView today={today} /> : null}
      {tab === 'insurance' ? <InsuranceAgingView today={today} /> : null}
    </section>
  );
}

const bucketHeads = ['0–30', '31–60', '61–90', '91–120', '120+'];
const bucketKeys = ['0_30', '31_60', '61_90', '91_120', '120_plus'] as const;

function AgingTable({
  rows,
  caption,
  withMrn = false,
}: {
  rows: (AgingRow & { mrn?: string })[];
  caption: string;
  withMrn?: boolean;
}) {
  return (
    <table className="table table-dense aging-table">
      <caption className="section-title">{caption}</caption>
      <thead>
        <tr>
          <th rowSpan={2}>{withMrn ? 'Patient' : 'Group'}</th>
          {withMrn ? <th rowSpan={2}>MRN</th> : null}
          <th colSpan={5} className="num group-head">
            Patient responsibility (days)
          </th>
          <th colSpan={5} className="num group-head">
            Insurance (days)
          </th>
          <th rowSpan={2} className="num">
            Credit
          </th>
          <th rowSpan={2} className="num">
            Total
          </th>
        </tr>
        <tr>
          {bucketHeads.map((h) => (
            <th key={`p${h}`} className="num">
              {h}
            </th>
          ))}
          {bucketHeads.map((h) => (
            <th key={`i${h}`} className="num">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key ?? r.label}>
            <td>{r.label}</td>
            {withMrn ? <td>{r.mrn}</td> : null}
            {bucketKeys.map((b) => (
              <td key={`p${b}`} className="num">
                {r.patient[b] ? formatCents(r.patient[b]) : '—'}
              </td>
            ))}
            {bucketKeys.map((b) => (
              <td key={`i${b}`} className="num">
                {r.insurance[b] ? formatCents(r.insurance[b]) : '—'}
              </td>
            ))}
            <td className="num">{r.creditCents ? formatCents(r.creditCents) : '—'}</td>
            <td className="num strong">{formatCents(r.totalCents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AgingReportView({ today }: { today: string }) {
  const [asOf, setAsOf] = useState(today);
  const q = useQuery({
    queryKey: ['billing-report', 'aging', asOf],
    queryFn: ({ signal }) => call('getAgingReport', { query: { asOf, limit: 200 }, signal }),
    enabled: isDate(asOf),
  });
  const r = q.data;
  return (
    <div className="report-body">
      <div className="report-filters">
        <TextField
          label="As of"
          type="date"
          value={asOf}
          onChange={(e) => setAsOf(e.target.value)}
          fieldClassName="field-inline"
        />
        <a
          className="btn btn-secondary"
          href={endpointUrl('exportBillingReport', { params: { report: 'aging' }, query: { asOf } })}
          download
        >
          Export CSV
        </a>
        {r ? (
          <span className="report-note">
            {r.patientCount.toLocaleString('en-US')} patients with a balance ·{' '}
            {r.entryCount.toLocaleString('en-US')} ledger entries
          </span>
        ) : null}
      </div>
      {q.isPending && q.fetchStatus !== 'idle' ? <Loading /> : null}
      {q.isError ? <Alert tone="error">{errorMessage(q.error)}</Alert> : null}
      {r ? (
        r.total.totalCents === 0 && r.total.creditCents === 0 ? (
          <EmptyState>
            Nothing is owed as of this date. Charges appear here once visits are closed and posted.
          </EmptyState>
        ) : (
          <>
            <dl className="aging-summary" aria-label="Totals">
              <div>
                <dt>Total A/R</dt>
                <dd className="num">{formatCents(r.total.totalCents)}</dd>
              </div>
              <div>
                <dt>Patients owe</dt>
                <dd className="num">{formatCents(r.total.patientCents)}</dd>
              </div>
              <div>
                <dt>Insurance pending</dt>
                <dd className="num">{formatCents(r.total.insuranceCents)}</dd>
              </div>
              <div>
                <dt>Over 90 days</dt>
                <dd className="num">
                  {formatCents(
                    r.total.patient['91_120'] +
                      r.total.patient['120_plus'] +
                      r.total.insurance['91_120'] +
                      r.total.insurance['120_plus'],
                  )}
                </dd>
              </div>
              <div>
                <dt>Credits</dt>
                <dd className="num">{formatCents(r.total.creditCents)}</dd>
              </div>
            </dl>
            <div className="report-grid">
              <AgingTable rows={r.byProvider} caption="By provider" />
              <AgingTable rows={r.byLocation} caption="By location" />
            </div>
            <div className="report-scroll">
              <AgingTable
                rows={r.patients}
                withMrn
                caption={`Patients, largest balance first${r.patientCount > r.patients.length ? ` (first ${r.patients.length} of ${r.patientCount.toLocaleString('en-US')}; the CSV has all)` : ''}`}
              />
            </div>
          </>
        )
      ) : null}
    </div>
  );
}

function DailyCloseView({ today }: { today: string }) {
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

const methodLabels = { cash: 'Cash', check: 'Check', card: 'Card', other: 'Other' } as const;

function PaymentsView({ today }: { today: string }) {
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
