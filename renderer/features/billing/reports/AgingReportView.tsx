import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { AgingRow } from '../../../../server/contracts/billing/reports';
import { call, endpointUrl, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { TextField } from '../../../ui/Field';
import { EmptyState, Loading } from '../../../ui/Page';
import { formatCents } from '../billing-format';
import { isDate } from './report-dates';

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
/** A/R aging as of a date: totals, by provider and location, and the patients largest first. */
export function AgingReportView({ today }: { today: string }) {
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
