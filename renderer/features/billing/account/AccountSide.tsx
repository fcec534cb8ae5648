import type { PatientAccount } from '../../../../server/contracts/billing/ledger';
import { formatCalendarDate, formatShortDateTime } from '../../../ui/format';
import { formatCents } from '../billing-format';

/** What is still open on each charge, split patient / insurance. */
export function OpenCharges({ account }: { account: PatientAccount }) {
  return (
    <section className="panel side-panel" aria-labelledby="open-charges">
      <h2 id="open-charges" className="section-title">
        Open charges
      </h2>
      {account.openCharges.length ? (
        <table className="table table-dense">
          <thead>
            <tr>
              <th>Service</th>
              <th className="num">Patient</th>
              <th className="num">Insurance</th>
            </tr>
          </thead>
          <tbody>
            {account.openCharges.map((c) => (
              <tr key={c.entryId}>
                <td className="nowrap">{c.serviceDate ? formatCalendarDate(c.serviceDate) : '—'}</td>
                <td className="num">{formatCents(c.patientOpenCents)}</td>
                <td className="num">{formatCents(c.insuranceOpenCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Nothing open.</p>
      )}
    </section>
  );
}

/** Payments with money not yet applied to a charge. */
export function Credits({ account, timeZone }: { account: PatientAccount; timeZone: string }) {
  const open = account.credits.filter((c) => c.unappliedCents > 0);
  return (
    <section className="panel side-panel" aria-labelledby="credits">
      <h2 id="credits" className="section-title">
        Unapplied credit
      </h2>
      {open.length ? (
        <ul className="credit-list">
          {open.map((c) => (
            <li key={c.entryId}>
              <span className="num">{formatCents(c.unappliedCents)}</span> of {formatCents(c.amountCents)} ·{' '}
              {formatShortDateTime(c.postedAt, timeZone)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None.</p>
      )}
    </section>
  );
}
