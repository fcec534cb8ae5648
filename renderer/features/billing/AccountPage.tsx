import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import {
  ledgerEntryKinds,
  type AccountEntry,
  type LedgerEntryKind,
  type PatientAccount,
  type PostingResult,
} from '../../../server/contracts/billing/ledger';
import { todayIn } from '../../../server/contracts/calendar';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { Loading, useDocumentTitle } from '../../ui/Page';
import { PatientBanner } from '../patients/PatientBanner';
import { balanceText, describeEntry, formatCents, ledgerEntryKindLabels } from './billing-format';
import {
  AdjustDialog,
  ApplyCreditDialog,
  ChargeDialog,
  PaymentDialog,
  RefundDialog,
  ReverseDialog,
  TransferDialog,
} from './LedgerDialogs';
import { CardRefundDialog } from './cards/CardRefundDialog';
import './billing.css';

/**
 * A patient's account: balances (patient, insurance pending, unapplied credit), the ledger with its running
 * balance and filters, open charges and credits, and the postings (keyboard: P payment, G charge, A adjust, W write
 * off, R refund, T transfer, C apply credit, K checkout). Every change is a new entry; a row is reversed,
 * never edited.
 */

const optionalDate = z.union([z.literal(''), z.iso.date({ message: 'Use a date like 2026-03-31.' })]);
const filterSchema = z
  .object({
    from: optionalDate,
    to: optionalDate,
    kind: z.union([z.literal(''), z.enum(ledgerEntryKinds)]),
    responsibility: z.enum(['', 'patient', 'insurance']),
    hideReversed: z.boolean(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    path: ['to'],
    message: 'The end date is before the start date.',
  });
type Filters = z.output<typeof filterSchema>;
const noFilters: Filters = { from: '', to: '', kind: '', responsibility: '', hideReversed: false };

type DialogState =
  | { kind: 'charge' }
  | { kind: 'payment' }
  | { kind: 'adjustment' | 'write_off'; chargeEntryId?: string }
  | { kind: 'refund'; paymentEntryId?: string }
  | { kind: 'transfer' }
  | { kind: 'apply' }
  | { kind: 'reverse'; entry: AccountEntry }
  | { kind: 'card_refund'; paymentIntentId: string }
  | null;

export function AccountPage() {
  const { patientId = '' } = useParams();
  const session = useSession();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const timeZone = session.clinic.timeZone;
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [dialog, setDialog] = useState<DialogState>(null);
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

  const posted = (what: string) => (r: PostingResult) => {
    setDialog(null);
    const total = r.entries.reduce((t, e) => t + e.amountCents, 0);
    setNotice(
      `${what}${total ? ` of ${formatCents(total)}` : ''} posted. Balance now ${balanceText(r.balances.totalCents)}.`,
    );
    void queryClient.invalidateQueries({ queryKey: keys.billingAll });
  };

  // Keyboard: single letters while no dialog is open and no field has focus.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialog || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      const k = e.key.toLowerCase();
      const open: Record<string, DialogState> = {};
      if (can('billing.post'))
        Object.assign(open, {
          p: { kind: 'payment' },
          a: { kind: 'adjustment' },
          t: { kind: 'transfer' },
          c: { kind: 'apply' },
        });
      if (can('billing.writeoff')) open.w = { kind: 'write_off' };
      if (can('billing.refund')) open.r = { kind: 'refund' };
      if (open[k]) {
        e.preventDefault();
        setNotice(null);
        setDialog(open[k]);
      } else if (k === 'k' && mayPost) {
        e.preventDefault();
        void navigate(`/billing/checkout/${patientId}`);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, can, mayPost, navigate, patientId]);

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
  const openTotal = a.openCharges.reduce((t, c) => t + c.openCents, 0);

  return (
    <section className="page page-wide billing-account" aria-label="Patient account">
      <PatientBanner patient={a.patient} timeZone={timeZone} />
      <div className="account-head">
        <Balances account={a} />
        <div className="button-row account-actions" role="toolbar" aria-label="Post to the account">
          {mayPost ? (
            <>
              <Button variant="primary" onClick={() => setDialog({ kind: 'payment' })} aria-keyshortcuts="P">
                Payment <Key k="P" />
              </Button>
              <Button onClick={() => setDialog({ kind: 'charge' })} aria-keyshortcuts="G">
                Charge <Key k="G" />
              </Button>
              <Button onClick={() => setDialog({ kind: 'adjustment' })} aria-keyshortcuts="A">
                Adjust <Key k="A" />
              </Button>
            </>
          ) : null}
          {can('billing.writeoff') ? (
            <Button onClick={() => setDialog({ kind: 'write_off' })} aria-keyshortcuts="W">
              Write off <Key k="W" />
            </Button>
          ) : null}
          {can('billing.refund') ? (
            <Button onClick={() => setDialog({ kind: 'refund' })} aria-keyshortcuts="R">
              Refund <Key k="R" />
            </Button>
          ) : null}
          {mayPost ? (
            <>
              <Button onClick={() => setDialog({ kind: 'transfer' })} aria-keyshortcuts="T">
                Transfer <Key k="T" />
              </Button>
              <Button
                onClick={() => setDialog({ kind: 'apply' })}
                disabled={a.balances.unappliedCreditCents <= 0 || openTotal <= 0}
                aria-keyshortcuts="C"
              >
                Apply credit <Key k="C" />
              </Button>
              <Link
                className="btn btn-secondary"
                to={`/billing/checkout/${a.patientId}`}
                aria-keyshortcuts="K"
              >
                Checkout <Key k="K" />
              </Link>
            </>
          ) : null}
        </div>
      </div>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <LedgerFilters initial={filters} onApply={setFilters} />
      <div className="account-body">
        <LedgerTable
          account={a}
          timeZone={timeZone}
          filtered={JSON.stringify(filters) !== JSON.stringify(noFilters)}
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
          <OpenCharges account={a} />
          <Credits account={a} timeZone={timeZone} />
        </aside>
      </div>

      {dialog?.kind === 'charge' ? (
        <ChargeDialog
          patientId={a.patientId}
          today={todayIn(timeZone)}
          onClose={() => setDialog(null)}
          onPosted={posted('Charge')}
        />
      ) : null}
      {dialog?.kind === 'payment' ? (
        <PaymentDialog
          patientId={a.patientId}
          openCharges={a.openCharges}
          onClose={() => setDialog(null)}
          onPosted={posted('Payment')}
        />
      ) : null}
      {dialog?.kind === 'adjustment' || dialog?.kind === 'write_off' ? (
        <AdjustDialog
          patientId={a.patientId}
          kind={dialog.kind}
          chargeEntryId={dialog.chargeEntryId}
          openCharges={a.openCharges}
          onClose={() => setDialog(null)}
          onPosted={posted(dialog.kind === 'write_off' ? 'Write-off' : 'Adjustment')}
        />
      ) : null}
      {dialog?.kind === 'refund' ? (
        <RefundDialog
          patientId={a.patientId}
          credits={a.credits.filter((c) => c.refundableCents > 0 && c.method !== 'card')}
          paymentEntryId={dialog.paymentEntryId}
          timeZone={timeZone}
          onClose={() => setDialog(null)}
          onPosted={posted('Refund')}
        />
      ) : null}
      {dialog?.kind === 'card_refund' ? (
        <CardRefundDialog
          patientId={a.patientId}
          paymentIntentId={dialog.paymentIntentId}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'transfer' ? (
        <TransferDialog
          patientId={a.patientId}
          openCharges={a.openCharges}
          onClose={() => setDialog(null)}
          onPosted={posted('Transfer')}
        />
      ) : null}
      {dialog?.kind === 'apply' ? (
        <ApplyCreditDialog
          patientId={a.patientId}
          creditCents={a.balances.unappliedCreditCents}
          openCents={openTotal}
          onClose={() => setDialog(null)}
          onPosted={posted('Credit applied')}
        />
      ) : null}
      {dialog?.kind === 'reverse' ? (
        <ReverseDialog
          patientId={a.patientId}
          entry={dialog.entry}
          onClose={() => setDialog(null)}
          onPosted={posted('Reversal')}
        />
      ) : null}
    </section>
  );
}

/** The single-key shortcut of a toolbar button, shown but not read out (aria-keyshortcuts says it). */
function Key({ k }: { k: string }) {
  return (
    <kbd className="key-hint" aria-hidden="true">
      {k}
    </kbd>
  );
}

function Balances({ account }: { account: PatientAccount }) {
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

function LedgerFilters({ initial, onApply }: { initial: Filters; onApply: (f: Filters) => void }) {
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
  } = useForm<Filters>({ resolver: zodResolver(filterSchema), defaultValues: initial });
  return (
    <form
      className="filters ledger-filters"
      noValidate
      aria-label="Ledger filters"
      onSubmit={(e) => void handleSubmit(onApply)(e)}
    >
      <TextField label="From" type="date" error={errors.from?.message} {...register('from')} />
      <TextField label="To" type="date" error={errors.to?.message} {...register('to')} />
      <SelectField label="Type" {...register('kind')}>
        <option value="">All types</option>
        {ledgerEntryKinds.map((k) => (
          <option key={k} value={k}>
            {ledgerEntryKindLabels[k]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Whose" {...register('responsibility')}>
        <option value="">Patient and insurance</option>
        <option value="patient">Patient</option>
        <option value="insurance">Insurance</option>
      </SelectField>
      <Checkbox label="Hide reversed" {...register('hideReversed')} />
      <div className="filters-buttons">
        <Button type="submit" size="small">
          Apply
        </Button>
        <Button
          size="small"
          onClick={() => {
            reset(noFilters);
            onApply(noFilters);
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}

function LedgerTable({
  account,
  timeZone,
  filtered,
  onReverse,
  onWriteOff,
  onRefund,
  onCardRefund,
  onUnapply,
  onShowAll,
}: {
  onShowAll?: () => void;
  account: PatientAccount;
  timeZone: string;
  filtered: boolean;
  onReverse?: (e: AccountEntry) => void;
  onWriteOff?: (chargeEntryId: string) => void;
  onRefund?: (paymentEntryId: string) => void;
  /** A card payment central posted: refunded to the card through central (cards/CardRefundDialog). */
  onCardRefund?: (paymentIntentId: string) => void;
  onUnapply?: (allocationId: string) => void;
}) {
  const byId = useMemo(() => new Map(account.entries.map((e) => [e.id, e])), [account.entries]);
  const [expanded, setExpanded] = useState<string | null>(null);
  if (!account.entries.length)
    return (
      <div className="empty-state ledger-empty">
        {filtered
          ? 'No entries match these filters. Clear them to see the whole ledger.'
          : 'No entries yet. Charges appear when a visit is closed; post a payment with P.'}
      </div>
    );
  const hidden = account.matchingEntries - account.entries.length;
  const liveAllocations = account.allocations.filter(
    (x) => !x.reversesAllocationId && !x.reversedByAllocationId,
  );
  return (
    <div className="table-wrap ledger-wrap">
      {hidden > 0 && onShowAll ? (
        <p className="ledger-more">
          {hidden.toLocaleString('en-US')} earlier entries not shown.{' '}
          <Button size="small" variant="link" onClick={onShowAll}>
            Show all {account.matchingEntries.toLocaleString('en-US')}
          </Button>
        </p>
      ) : null}
      <table className="table table-dense ledger-table" data-testid="ledger-table">
        <caption className="visually-hidden">
          Ledger, oldest first, {account.entries.length} of {account.totalEntries} entries
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Type</th>
            <th scope="col">Details</th>
            <th scope="col" className="num">
              Charges
            </th>
            <th scope="col" className="num">
              Credits
            </th>
            <th scope="col" className="num">
              Balance
            </th>
            <th scope="col" className="num">
              Open
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {account.entries.map((e) => {
            const reversed = !!e.reversedByEntryId;
            const allocs = liveAllocations.filter(
              (x) => x.paymentEntryId === e.id || x.chargeEntryId === e.id,
            );
            return (
              <tr key={e.id} className={reversed || e.kind === 'reversal' ? 'ledger-reversed' : undefined}>
                <td className="nowrap" title={formatShortDateTime(e.postedAt, timeZone)}>
                  {e.serviceDate
                    ? formatCalendarDate(e.serviceDate)
                    : formatCalendarDate(todayIn(timeZone, new Date(e.postedAt)))}
                </td>
                <td className="nowrap">
                  <span className={`kind kind-${e.kind}`}>{ledgerEntryKindLabels[e.kind]}</span>
                  {reversed ? <span className="badge badge-muted">Reversed</span> : null}
                </td>
                <td className="ledger-details">
                  {describeEntry(e, byId)}
                  <span className="posted-by"> · {e.postedByName}</span>
                  {expanded === e.id && allocs.length ? (
                    <ul className="alloc-list">
                      {allocs.map((x) => (
                        <li key={x.id}>
                          {formatCents(x.amountCents)}{' '}
                          {x.paymentEntryId === e.id ? 'applied to a charge' : 'paid by a payment'}
                          {onUnapply ? (
                            <Button size="small" variant="link" onClick={() => onUnapply(x.id)}>
                              Unapply
                            </Button>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
                <td className="num">{e.effectCents > 0 ? formatCents(e.effectCents) : ''}</td>
                <td className="num">
                  {e.effectCents < 0 ? formatCents(-e.effectCents) : e.kind === 'transfer' ? '—' : ''}
                </td>
                <td className="num balance-cell">{formatCents(e.runningBalanceCents)}</td>
                <td className="num">{e.openCents ? formatCents(e.openCents) : ''}</td>
                <td className="nowrap">
                  <div className="row-actions ledger-actions">
                    {allocs.length ? (
                      <Button
                        size="small"
                        variant="link"
                        aria-expanded={expanded === e.id}
                        onClick={() => setExpanded(expanded === e.id ? null : e.id)}
                      >
                        Applied ({allocs.length})
                      </Button>
                    ) : null}
                    {onWriteOff && e.kind === 'charge' && !reversed && (e.openCents ?? 0) > 0 ? (
                      <Button size="small" variant="link" onClick={() => onWriteOff(e.id)}>
                        Write off
                      </Button>
                    ) : null}
                    {onRefund && e.kind === 'payment' && !reversed && e.method !== 'card' ? (
                      <Button size="small" variant="link" onClick={() => onRefund(e.id)}>
                        Refund
                      </Button>
                    ) : null}
                    {onCardRefund &&
                    e.kind === 'payment' &&
                    e.method === 'card' &&
                    e.postedBy === 'central' &&
                    e.externalRef ? (
                      <Button
                        size="small"
                        variant="link"
                        aria-label="Refund to card"
                        onClick={() => onCardRefund(e.externalRef!)}
                      >
                        Refund
                      </Button>
                    ) : null}
                    {onReverse && !reversed && e.kind !== 'reversal' && e.postedBy !== 'central' ? (
                      <Button
                        size="small"
                        variant="link"
                        onClick={() => onReverse(e)}
                        aria-label={`Reverse ${ledgerEntryKindLabels[e.kind]} ${formatCents(e.amountCents)}`}
                      >
                        Reverse
                      </Button>
                    ) : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function OpenCharges({ account }: { account: PatientAccount }) {
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

function Credits({ account, timeZone }: { account: PatientAccount; timeZone: string }) {
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
