import { useEffect, useState } from 'react';
import { formatCents } from '../../../../server/contracts/billing/money';
import type { PortalReceipt } from '../../../../server/contracts/portal/billing';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { portal } from '../../api';
import { useI18n } from '../../i18n';
import { useDates } from './dates';

/** How often the page asks about a payment until the clinic's ledger has it (Stripe's webhook posts it). */
const POLL_MS = 1_000;
const POLL_TRIES = 90;

/**
 * A card payment's receipt: while Stripe's webhook has not posted it to the clinic's books the page says so
 * and asks again; then the amount, the card, when, what it paid and the balance after.
 */
export function ReceiptView({ paymentId, onDone }: { paymentId: string; onDone: () => void }) {
  const { t, errorText } = useI18n();
  const { day, dateTime } = useDates();
  const [receipt, setReceipt] = useState<PortalReceipt | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let timer = 0;
    let tries = 0;
    const ask = () => {
      portal('portalReceipt', { params: { id: paymentId } })
        .then((r) => {
          if (!live) return;
          setReceipt(r);
          const settled = r.posted || r.status === 'failed' || r.status === 'canceled';
          if (!settled && ++tries < POLL_TRIES) timer = window.setTimeout(ask, POLL_MS);
        })
        .catch((e: unknown) => live && setError(errorText(e)));
    };
    ask();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [paymentId, errorText]);

  return (
    <section className="portal-card" aria-labelledby="receipt-title" data-testid="portal-receipt">
      <h1 id="receipt-title" className="portal-title">
        {t('bill.receiptTitle')}
      </h1>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {!receipt && !error ? <p role="status">{t('common.loading')}</p> : null}
      {receipt && !receipt.posted && receipt.status !== 'failed' && receipt.status !== 'canceled' ? (
        <p role="status">{t('bill.waiting')}</p>
      ) : null}
      {receipt && (receipt.status === 'failed' || receipt.status === 'canceled') ? (
        <Alert tone="error">{receipt.failureMessage ?? t('bill.receiptFailed')}</Alert>
      ) : null}
      {receipt?.posted ? (
        <div role="status">
          <p className="portal-subtitle">{t('bill.receiptThanks', { amount: formatCents(receipt.amountCents) })}</p>
          {receipt.card ? <p>{t('bill.receiptCard', { card: receipt.card })}</p> : null}
          {receipt.succeededAt ? <p>{t('bill.receiptWhen', { date: dateTime(receipt.succeededAt) })}</p> : null}
          {receipt.appliedTo.length ? (
            <>
              <h2 className="portal-subtitle">{t('bill.receiptApplied')}</h2>
              <ul className="portal-list portal-lines">
                {receipt.appliedTo.map((a, i) => (
                  <li key={i}>
                    <span>
                      {a.serviceDate ? day(a.serviceDate) : ''} {a.description}
                    </span>
                    <span>{formatCents(a.amountCents)}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {receipt.creditCents > 0 ? (
            <p>{t('bill.receiptCredit', { amount: formatCents(receipt.creditCents) })}</p>
          ) : null}
          <p className="portal-subtitle" data-testid="receipt-balance">
            {t('bill.receiptBalance', { amount: formatCents(receipt.balanceCents) })}
          </p>
        </div>
      ) : null}
      <div className="portal-actions">
        <Button variant="primary" onClick={onDone}>
          {t('bill.receiptDone')}
        </Button>
      </div>
    </section>
  );
}
