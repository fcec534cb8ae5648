import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { call, errorMessage } from '../../../api/client';
import { keys } from '../../../api/keys';
import { isLiveRefresh } from '../../../api/live';
import { useCan } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { GuarantorPanel as GuarantorFacts } from '../../patients/ContactsPanel';
import { GuarantorDialog } from '../../patients/RecordDialogs';
import { formatCents } from '../billing-format';
import { FamilyStatementForm } from './FamilyStatementForm';
import { FamilyPaymentDialog } from './dialogs/FamilyPaymentDialog';
import type { FamilyPaymentResult } from '../../../../server/contracts/billing/family-payment';
import { Button } from '../../../ui/Button';

/**
 * The account's guarantor (responsible party): who it is (the patient record's guarantor panel and
 * dialog, so it is edited one way everywhere), whom statements are addressed to, and the family account —
 * every account the same guarantor answers for, with what each patient owes and the total, and their
 * combined statement.
 */
export function AccountGuarantorPanel({ patientId }: { patientId: string }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [paying, setPaying] = useState(false);
  const [paid, setPaid] = useState<FamilyPaymentResult | null>(null);
  const view = useQuery({
    queryKey: [...keys.billingAll, 'guarantor', patientId],
    queryFn: ({ queryKey, signal }) =>
      call('getAccountGuarantor', { params: { patientId }, signal, background: isLiveRefresh(queryKey) }),
  });
  if (view.isError) return <Alert tone="error">{errorMessage(view.error)}</Alert>;
  if (!view.data) return null;
  const g = view.data;
  const family = g.accounts.length > 1;
  return (
    <div className="account-guarantor" data-testid="account-guarantor">
      <GuarantorFacts
        guarantor={g.guarantor}
        canWrite={can('patients.write')}
        onEdit={() => setEditing(true)}
      />
      <p className="guarantor-billto">
        Statements go to <strong>{g.billTo ? g.billTo.name : 'the patient'}</strong>
        {g.billTo?.addressLines.length ? `, ${g.billTo.addressLines.join(', ')}` : ''}.
      </p>
      {family ? (
        <section className="panel side-panel" aria-labelledby="family-account">
          <h2 id="family-account" className="section-title">
            Family account
          </h2>
          <table className="table table-dense" data-testid="family-account">
            <thead>
              <tr>
                <th>Patient</th>
                <th className="num">Owes</th>
              </tr>
            </thead>
            <tbody>
              {g.accounts.map((a) => (
                <tr key={a.patientId}>
                  <td>
                    {a.patientId === patientId ? (
                      <strong>{a.name}</strong>
                    ) : (
                      <Link to={`/billing/accounts/${a.patientId}`}>{a.name}</Link>
                    )}
                    {a.relationship === 'self' ? <span className="muted"> (guarantor)</span> : null}
                  </td>
                  <td className="num">{formatCents(a.patientCents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Together</th>
                <td className="num">
                  <strong>{formatCents(g.totalPatientCents)}</strong>
                </td>
              </tr>
            </tfoot>
          </table>
          {can('billing.post') ? (
            <>
              <div className="button-row">
                <Button onClick={() => setPaying(true)}>Family payment…</Button>
              </div>
              {paid ? (
                <p className="family-payment-made" role="status" data-testid="family-payment-made">
                  Family payment of {formatCents(paid.totalCents)} posted:{' '}
                  {paid.payments.map((p) => `${p.name} ${formatCents(p.amountCents)}`).join(', ')}.
                </p>
              ) : null}
              <FamilyStatementForm patientId={patientId} accounts={g.accounts.length} />
            </>
          ) : null}
        </section>
      ) : null}
      {paying ? (
        <FamilyPaymentDialog
          patientId={patientId}
          accounts={g.accounts}
          onClose={() => setPaying(false)}
          onPosted={(r) => {
            setPaying(false);
            setPaid(r);
            // Every account of the family changed: their ledgers, balances and this family view.
            void queryClient.invalidateQueries({ queryKey: keys.billingAll });
          }}
        />
      ) : null}
      {editing ? (
        <GuarantorDialog
          patientId={patientId}
          existing={g.guarantor}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            void queryClient.invalidateQueries({ queryKey: [...keys.billingAll, 'guarantor', patientId] });
          }}
        />
      ) : null}
    </div>
  );
}
