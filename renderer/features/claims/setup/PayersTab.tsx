import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { claimFilingIndicators, enrollmentStatusLabels } from '../../../../server/contracts/claims/setup';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { EmptyState, Loading } from '../../../ui/Page';
import { claimsSetupKeys } from './keys';
import { PayerDialog, type Payer } from './PayerDialog';

/** Payers claims go to: their id at each clearinghouse, the kind of plan, and enrollment for claims and ERAs. */
export function PayersTab({ canManage }: { canManage: boolean }) {
  const payers = useQuery({ queryKey: claimsSetupKeys.payers, queryFn: () => call('listClaimPayers') });
  const [editing, setEditing] = useState<Payer | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section className="bs-section" aria-labelledby="cs-payers-title">
      <div className="cs-heading">
        <h2 id="cs-payers-title" className="section-title">
          Payers
        </h2>
        {canManage ? (
          <Button variant="primary" size="small" onClick={() => setEditing('new')}>
            Add payer
          </Button>
        ) : null}
      </div>
      <p className="muted small">
        A patient’s coverage finds its payer by payer id, else by name. Claims go only to payers enrolled for
        claims; a pending enrollment is a scrubber warning.
      </p>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {editing ? (
        <PayerDialog
          payer={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(text) => {
            setEditing(null);
            setNotice(text);
          }}
        />
      ) : null}
      {payers.isPending ? <Loading label="Loading payers…" /> : null}
      {payers.isError ? <Alert tone="error">{errorMessage(payers.error)}</Alert> : null}
      {payers.data && payers.data.payers.length === 0 ? <EmptyState>No payers yet. Add the payers your patients’ coverages name.</EmptyState> : null}
      {payers.data && payers.data.payers.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-dense" aria-label="Payers" data-testid="claim-payers">
            <thead>
              <tr>
                <th scope="col">Payer</th>
                <th scope="col">Payer ids</th>
                <th scope="col">Kind of plan</th>
                <th scope="col">Claims</th>
                <th scope="col">ERAs</th>
                <th scope="col">Timely filing</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {payers.data.payers.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>
                    {p.clearinghouseIds.map((c) => (
                      <div key={c.clearinghouse}>
                        <span className="bs-code">{c.payerId}</span> <span className="bs-sub">{c.clearinghouse}</span>
                      </div>
                    ))}
                  </td>
                  <td>{claimFilingIndicators[p.claimFilingIndicator as keyof typeof claimFilingIndicators] ?? p.claimFilingIndicator}</td>
                  <td>{enrollmentStatusLabels[p.claimEnrollment]}</td>
                  <td>{enrollmentStatusLabels[p.eraEnrollment]}</td>
                  <td>{p.timelyFilingDays ? `${p.timelyFilingDays} days` : '—'}</td>
                  <td className="nowrap">
                    {canManage ? (
                      <Button size="small" onClick={() => setEditing(p)} aria-label={`Change ${p.name}`}>
                        Change
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
