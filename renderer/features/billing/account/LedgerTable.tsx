import { useMemo, useState } from 'react';
import type { AccountEntry, PatientAccount } from '../../../../server/contracts/billing/ledger';
import { todayIn } from '../../../../server/contracts/calendar';
import { Button } from '../../../ui/Button';
import { formatCalendarDate, formatShortDateTime } from '../../../ui/format';
import { describeEntry, formatCents, ledgerEntryKindLabels } from '../billing-format';

/**
 * The ledger oldest first: charges, credits, the running balance after each entry and what is still open;
 * reversed rows struck through. Each row offers what may be done to it (its allocations, write off, refund,
 * refund to the card, reverse) when the caller passes the handler, i.e. when the user may.
 */
export function LedgerTable({
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
