import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { claimStatuses, claimStatusLabels, SENDABLE_STATUSES, type ClaimStatus } from '../../../server/contracts/claims/records';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { SelectField, TextField } from '../../ui/Field';
import { EmptyState, Loading, PageHeader, useDocumentTitle } from '../../ui/Page';
import { ShowWhenSettled } from '../../ui/ShowWhenSettled';
import { formatCents } from '../billing/billing-format';
import { AssistedPosting } from './AssistedPosting';
import { BatchBuilder } from './BatchBuilder';
import { ClaimsTabs } from './ClaimsTabs';
import { DenialsPanel } from './DenialsPanel';
import { FileImport } from './FileImport';
import { UnbilledVisits } from './UnbilledVisits';
import '../billing/reports/reports.css';
import './claims.css';

/**
 * Billing > Claims: the claims board (docs/claims.md). A count per status across the top (each a filter),
 * then the claims of the chosen status filtered by payer, rendering provider and age (days since the
 * earliest date of service); ready claims are selected into an 837P batch (BatchBuilder) and each claim opens
 * its page. Below: the visits still to bill (each opens VisitClaimsPage), importing the clearinghouse's files (999, 277CA, 835), the assisted-posting worklist and
 * the denials worklist grouped by reason, with their actions.
 */
export function ClaimsBoardPage() {
  useDocumentTitle('Claims');
  const [status, setStatus] = useState<ClaimStatus | ''>('');
  const [payerId, setPayerId] = useState('');
  const [providerUserId, setProviderUserId] = useState('');
  const [minAge, setMinAge] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const age = /^\d{1,4}$/.test(minAge) ? Number(minAge) : undefined;

  const payers = useQuery({ queryKey: ['claims', 'payers'], queryFn: ({ signal }) => call('listClaimPayers', { signal }) });
  const providers = useQuery({ queryKey: ['claims', 'providers'], queryFn: ({ signal }) => call('listRenderingProviders', { signal }) });
  const all = useQuery({
    queryKey: ['claims', 'board', payerId, providerUserId, age],
    queryFn: ({ signal }) =>
      call('listClaims', {
        query: { payerId: payerId || undefined, providerUserId: providerUserId || undefined, minAgeDays: age },
        signal,
      }),
  });
  const claims = all.data?.claims ?? [];
  const shown = status ? claims.filter((c) => c.status === status) : claims;
  const counts = new Map<ClaimStatus, number>();
  for (const c of claims) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const sendable = shown.filter((c) => SENDABLE_STATUSES.includes(c.status));
  const picked = selected.filter((id) => sendable.some((c) => c.id === id));
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));

  return (
    <section className="page page-wide claims-board">
      <PageHeader title="Claims">Claims by status, with what the scrubber, the clearinghouse and the payer said.</PageHeader>
      <ClaimsTabs />
      <ShowWhenSettled label="Loading claims…">
      <div role="group" aria-label="Status" className="report-tabs">
        <button type="button" className={`report-tab${status === '' ? ' report-tab-active' : ''}`} aria-pressed={status === ''} onClick={() => setStatus('')}>
          All <span className="muted">{claims.length}</span>
        </button>
        {claimStatuses.map((s) => (
          <button key={s} type="button" className={`report-tab${status === s ? ' report-tab-active' : ''}`} aria-pressed={status === s} onClick={() => setStatus(s)}>
            {claimStatusLabels[s]} <span className="muted">{counts.get(s) ?? 0}</span>
          </button>
        ))}
      </div>
      <div className="claims-filters">
        <SelectField label="Payer" value={payerId} onChange={(e) => setPayerId(e.target.value)}>
          <option value="">All payers</option>
          {(payers.data?.payers ?? []).map((p) => (
            <option key={p.id} value={p.id}>{p.name}</option>
          ))}
        </SelectField>
        <SelectField label="Rendering provider" value={providerUserId} onChange={(e) => setProviderUserId(e.target.value)}>
          <option value="">All providers</option>
          {(providers.data?.providers ?? []).map((p) => (
            <option key={p.userId} value={p.userId}>{p.fullName}</option>
          ))}
        </SelectField>
        <TextField
          label="At least this many days old"
          inputMode="numeric"
          value={minAge}
          onChange={(e) => setMinAge(e.target.value)}
          error={minAge && age === undefined ? 'Enter a whole number of days.' : undefined}
        />
      </div>
      <BatchBuilder selected={picked} onBuilt={() => setSelected([])} />
      {all.isPending ? (
        <Loading label="Loading claims…" />
      ) : all.isError ? (
        <Alert tone="error">{errorMessage(all.error)}</Alert>
      ) : shown.length === 0 ? (
        <EmptyState>{claims.length ? 'No claim has this status.' : 'No claims yet. Make them from a visit under Visits to bill.'}</EmptyState>
      ) : (
        <table className="table table-dense" data-testid="claims-table">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select every ready claim shown"
                  disabled={!sendable.length}
                  checked={sendable.length > 0 && picked.length === sendable.length}
                  onChange={(e) => setSelected(e.target.checked ? sendable.map((c) => c.id) : [])}
                />
              </th>
              <th scope="col">Patient</th>
              <th scope="col">Payer</th>
              <th scope="col">Provider</th>
              <th scope="col">Service date</th>
              <th scope="col">Age</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">Billed</th>
              <th scope="col" className="num">Paid</th>
              <th scope="col">Claim number</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id}>
                <td>
                  {SENDABLE_STATUSES.includes(c.status) ? (
                    <input
                      type="checkbox"
                      aria-label={`Select the claim of ${c.patientName}, ${c.dateOfService}`}
                      checked={picked.includes(c.id)}
                      onChange={(e) => toggle(c.id, e.target.checked)}
                    />
                  ) : null}
                </td>
                <td><Link to={`/billing/claims/${c.id}`}>{c.patientName}</Link></td>
                <td>{c.payerName}{c.priority !== 'primary' ? ` (${c.priority})` : ''}</td>
                <td>{c.providerName}</td>
                <td>{c.dateOfService}</td>
                <td>{c.ageDays} d</td>
                <td title={c.statusDetail || undefined}>
                  {claimStatusLabels[c.status]}
                  {c.refusals ? ` · ${c.refusals} to fix` : c.warnings ? ` · ${c.warnings} warning${c.warnings > 1 ? 's' : ''}` : ''}
                </td>
                <td className="num">{formatCents(c.totalCents)}</td>
                <td className="num">{formatCents(c.paidCents)}</td>
                <td><code>{c.patientControlNumber}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <UnbilledVisits />
      <FileImport />
      <AssistedPosting />
      <DenialsPanel />
      </ShowWhenSettled>
    </section>
  );
}
