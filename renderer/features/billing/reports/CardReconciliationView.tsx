import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { CardReconciliationFinding } from '../../../../server/contracts/billing/cards';
import { call, errorMessage } from '../../../api/client';
import { useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { formatShortDateTime } from '../../../ui/format';
import { EmptyState, Loading } from '../../../ui/Page';
import { formatCents } from '../billing-format';
import { findingKinds } from './reconciliation-kinds';

const money = (cents: number | null) => (cents === null ? '—' : formatCents(cents));

/** The amounts a finding compares: Stripe's against the ledger's, or a payout against its transactions. */
function amounts(f: CardReconciliationFinding): [string, string] {
  if (f.kind === 'payout_differs') return [money(f.payoutAmountCents), money(f.transactionsNetCents)];
  return [money(f.stripeAmountCents), money(f.ledgerAmountCents)];
}

function FindingsTable({
  findings,
  caption,
  resolved = false,
}: {
  findings: CardReconciliationFinding[];
  caption: string;
  resolved?: boolean;
}) {
  const session = useSession();
  const at = (iso: string) => formatShortDateTime(iso, session.clinic.timeZone);
  return (
    <table className="table table-dense reconciliation-table">
      <caption className="section-title">{caption}</caption>
      <thead>
        <tr>
          <th>When</th>
          <th>Finding</th>
          <th>Stripe id</th>
          <th className="num">Stripe / payout</th>
          <th className="num">Ledger / transactions</th>
          <th>{resolved ? 'Resolved' : 'What to do'}</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f) => {
          const kind = findingKinds[f.kind];
          const [stripe, ledger] = amounts(f);
          return (
            <tr key={f.id} data-testid="reconciliation-finding">
              <td>{at(f.occurredAt)}</td>
              <td>
                <strong>{kind.label}</strong>
                {f.side ? ` (${f.side})` : ''}
                <div className="finding-means">{kind.means}</div>
              </td>
              <td className="mono">{f.externalRef ?? f.payoutId}</td>
              <td className="num">{stripe}</td>
              <td className="num">{ledger}</td>
              <td className="finding-todo">
                {resolved ? (
                  `${at(f.resolvedAt!)}: no longer found.`
                ) : (
                  <>
                    {kind.todo}{' '}
                    {f.patientId ? (
                      <Link to={`/billing/accounts/${f.patientId}`}>Open the account</Link>
                    ) : null}
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * Billing > Reports > Card reconciliation: what central's daily check of Stripe's balance against the
 * card entries on the ledger found, what each finding means and what to do; the findings a later check no
 * longer found are listed as resolved for 30 days. Read through central (without it, a sentence says so).
 */
export function CardReconciliationView() {
  const session = useSession();
  const q = useQuery({
    queryKey: ['billing-report', 'card-reconciliation'],
    queryFn: ({ signal }) => call('cardReconciliation', { signal }),
    retry: false,
  });
  const r = q.data;
  const open = r?.findings.filter((f) => !f.resolvedAt) ?? [];
  const resolved = r?.findings.filter((f) => f.resolvedAt) ?? [];
  const day = (iso: string) => iso.slice(0, 10);
  return (
    <div className="report-body">
      <p className="report-note">
        Once a day central compares what Stripe’s balance says happened — each card payment, refund and payout
        — with the card payments and refunds on the ledger.
        {r?.lastRun
          ? ` Last checked ${formatShortDateTime(r.lastRun.ranAt, session.clinic.timeZone)}, for ${day(r.lastRun.from)}${
              day(r.lastRun.to) > day(r.lastRun.from) ? ` to ${day(r.lastRun.to)} (UTC)` : ''
            }.`
          : ''}
      </p>
      {q.isPending ? <Loading /> : null}
      {q.isError ? <Alert tone="warning">{errorMessage(q.error)}</Alert> : null}
      {r && !r.lastRun ? (
        <EmptyState>
          Central has not checked Stripe yet. It does once a day when card payments are set up; findings
          appear here.
        </EmptyState>
      ) : null}
      {r?.lastRun && open.length === 0 ? (
        <EmptyState>
          Nothing to fix: every card payment and refund Stripe moved is on the ledger, and the payouts add up.
        </EmptyState>
      ) : null}
      {open.length ? <FindingsTable findings={open} caption={`To look into (${open.length})`} /> : null}
      {resolved.length ? (
        <FindingsTable findings={resolved} caption="Resolved in the last 30 days" resolved />
      ) : null}
    </div>
  );
}
