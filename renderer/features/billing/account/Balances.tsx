import type { PatientAccount } from '../../../../server/contracts/billing/ledger';
import { formatCents } from '../billing-format';

/** The account's four balances, each saying whose it is. */
export function Balances({ account }: { account: PatientAccount }) {
  const b = account.balances;
  return (
    <dl className="balances" aria-label="Balances" data-testid="balances">
      <div className={b.patientCents > 0 ? 'balance balance-owed' : 'balance'}>
        <dt>Patient owes</dt>
        <dd className="num" data-testid="balance-patient">
          {formatCents(b.patientCents)}
        </dd>
      </div>
      <div className="balance">
        <dt>Insurance pending</dt>
        <dd className="num" data-testid="balance-insurance">
          {formatCents(b.insuranceCents)}
        </dd>
      </div>
      <div className={b.unappliedCreditCents > 0 ? 'balance balance-credit' : 'balance'}>
        <dt>Unapplied credit</dt>
        <dd className="num" data-testid="balance-credit">
          {formatCents(b.unappliedCreditCents)}
        </dd>
      </div>
      <div className="balance balance-total">
        <dt>Account balance</dt>
        <dd className="num" data-testid="balance-total">
          {formatCents(b.totalCents)}
        </dd>
      </div>
    </dl>
  );
}
