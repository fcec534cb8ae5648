import type { ClaimDetail } from '../../../server/contracts/claims/api';
import { formatCents } from '../billing/billing-format';
import { EmptyState } from '../../ui/Page';

/**
 * What each 835 said about the claim, as posted: billed, allowed, paid, every adjustment by CAS group and
 * reason with its text, and the patient's responsibility; "balanced" when billed = paid + adjustments +
 * patient share to the cent. A reversal shows negated amounts.
 */
export function ClaimProof({ remittances }: { remittances: ClaimDetail['remittances'] }) {
  return (
    <section aria-labelledby="proof-title">
      <h2 id="proof-title">Remittances</h2>
      {!remittances.length ? <EmptyState>No remittance has reached this claim yet.</EmptyState> : null}
      {remittances.map((r) => (
        <div key={`${r.eraPaymentId}-${r.reversal}`} className="claim-proof" data-testid="claim-proof">
          <p>
            <strong>{r.reversal ? 'Reversal' : 'Remittance'}</strong> from {r.payerName} · {r.fileName}
            {r.paymentDate ? ` · paid ${r.paymentDate}` : ''} · {r.balanced ? 'balanced' : 'does not balance'}
          </p>
          <table className="table table-dense claim-proof-table">
            <tbody>
              <tr><th scope="row">Billed</th><td className="num">{formatCents(r.billedCents)}</td></tr>
              <tr><th scope="row">Allowed</th><td className="num">{formatCents(r.allowedCents)}</td></tr>
              <tr><th scope="row">Paid</th><td className="num">{formatCents(r.paidCents)}</td></tr>
              {r.adjustments.map((a) => (
                <tr key={`${a.group}-${a.reasonCode}`}>
                  <th scope="row">
                    {a.group}-{a.reasonCode} <span className="muted">{a.reasonText} ({a.groupText})</span>
                  </th>
                  <td className="num">{formatCents(a.amountCents)}</td>
                </tr>
              ))}
              <tr><th scope="row">Patient responsibility</th><td className="num">{formatCents(r.patientResponsibilityCents)}</td></tr>
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
