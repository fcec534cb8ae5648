import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { LedgerEntryKind, PostingResult } from '../../../server/contracts/billing/ledger';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Loading, useDocumentTitle } from '../../ui/Page';
import { ShowWhenSettled } from '../../ui/ShowWhenSettled';
import { PatientBanner } from '../patients/PatientBanner';
import { AccountDialogs, type AccountDialog } from './account/AccountDialogs';
import { CardAgreementsPanel } from './account/CardAgreementsPanel';
import { AccountGuarantorPanel } from './account/GuarantorPanel';
import { Credits, OpenCharges } from './account/AccountSide';
import { AccountToolbar } from './account/AccountToolbar';
import { Balances } from './account/Balances';
import { LedgerFilters, noLedgerFilters, type LedgerFilterValues } from './account/LedgerFilters';
import { LedgerTable } from './account/LedgerTable';
import { balanceText, formatCents } from './billing-format';
import './billing.css';

/**
 * A patient's account: balances (patient, insurance pending, unapplied credit), the ledger with its running
 * balance and filters, open charges and credits, and the postings (account/AccountToolbar: buttons and
 * single keys). Every change is a new entry; a row is reversed, never edited. This page holds what the
 * pieces share: the query (with the filters and how many rows), the open dialog and the last notice.
 */
export function AccountPage() {
  const { patientId = '' } = useParams();
  const session = useSession();
  const can = useCan();
  const queryClient = useQueryClient();
  const timeZone = session.clinic.timeZone;
  const [filters, setFilters] = useState<LedgerFilterValues>(noLedgerFilters);
  const [dialog, setDialog] = useState<AccountDialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The newest 500 entries first; the rest on request (balances are always the whole account's).
  const [limit, setLimit] = useState(500);
  const query = {
    limit,
    from: filters.from || undefined,
    to: filters.to || undefined,
    kind: (filters.kind || undefined) as LedgerEntryKind | undefined,
    responsibility: filters.responsibility || undefined,
    hideReversed: filters.hideReversed ? ('true' as const) : undefined,
  };
  const account = useQuery({
    queryKey: keys.account(patientId, query),
    queryFn: ({ queryKey, signal }) =>
      call('getPatientAccount', {
        params: { patientId },
        query,
        signal,
        background: isLiveRefresh(queryKey),
      }),
  });
  const a = account.data;
  useDocumentTitle(a ? `Account — ${a.patient.legalLastName}, ${a.patient.legalFirstName}` : 'Account');
  const mayPost = can('billing.post');
  const open = useCallback((d: AccountDialog) => {
    setNotice(null);
    setDialog(d);
  }, []);

  const posted = (what: string) => (r: PostingResult) => {
    setDialog(null);
    const total = r.entries.reduce((t, e) => t + e.amountCents, 0);
    setNotice(
      `${what}${total ? ` of ${formatCents(total)}` : ''} posted. Balance now ${balanceText(r.balances.totalCents)}.`,
    );
    void queryClient.invalidateQueries({ queryKey: keys.billingAll });
  };

  if (account.isPending) return <Loading label="Opening the account…" />;
  if (account.isError)
    return (
      <section className="page">
        <Alert tone="error">{errorMessage(account.error)}</Alert>
        <p>
          <Link to="/billing">Back to Billing</Link>
        </p>
      </section>
    );
  if (!a) return null;

  return (
    <section className="page page-wide billing-account" aria-label="Patient account">
      <PatientBanner patient={a.patient} timeZone={timeZone} />
      <div className="account-head">
        <Balances account={a} />
        <AccountToolbar account={a} dialogOpen={!!dialog} onOpen={open} />
      </div>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <LedgerFilters initial={filters} onApply={setFilters} />
      <div className="account-body">
        <LedgerTable
          account={a}
          timeZone={timeZone}
          filtered={JSON.stringify(filters) !== JSON.stringify(noLedgerFilters)}
          onShowAll={() => setLimit(100_000)}
          onReverse={mayPost ? (entry) => setDialog({ kind: 'reverse', entry }) : undefined}
          onWriteOff={
            can('billing.writeoff') ? (id) => setDialog({ kind: 'write_off', chargeEntryId: id }) : undefined
          }
          onRefund={
            can('billing.refund') ? (id) => setDialog({ kind: 'refund', paymentEntryId: id }) : undefined
          }
          onCardRefund={
            can('billing.refund')
              ? (paymentIntentId) => setDialog({ kind: 'card_refund', paymentIntentId })
              : undefined
          }
          onUnapply={
            mayPost
              ? async (allocationId) => {
                  try {
                    posted('Un-application')(
                      await call('unallocatePayment', { params: { patientId: a.patientId, allocationId } }),
                    );
                  } catch (err) {
                    setNotice(errorMessage(err));
                  }
                }
              : undefined
          }
        />
        <aside className="account-side">
          {/* The guarantor and card panels read their own data; the panels show together, once. */}
          <ShowWhenSettled label="Loading the account’s panels…">
            <AccountGuarantorPanel patientId={a.patientId} />
            <OpenCharges account={a} />
            <Credits account={a} timeZone={timeZone} />
            <CardAgreementsPanel patientId={a.patientId} />
          </ShowWhenSettled>
        </aside>
      </div>
      <AccountDialogs
        dialog={dialog}
        account={a}
        timeZone={timeZone}
        onClose={() => setDialog(null)}
        posted={posted}
      />
    </section>
  );
}
