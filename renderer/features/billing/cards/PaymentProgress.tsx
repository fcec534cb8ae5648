import { useState } from 'react';
import { formatCents } from '../../../../server/contracts/billing/money';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { cardName } from './card-format';
import type { useCardPayment } from './use-card-payment';

/**
 * One card payment under way and how it ended: waiting at the reader or on a link (with Copy link and
 * Cancel), paid (while its ledger entry is on its way here), declined or cancelled (with Try again).
 */
export function PaymentProgress({
  payment,
  readerLabel,
  posting,
  lostSight,
  busy,
  onCancel,
  onAgain,
}: {
  payment: NonNullable<ReturnType<typeof useCardPayment>['payment']>;
  readerLabel: string;
  posting: boolean;
  lostSight: string | null;
  busy: boolean;
  onCancel: () => void;
  onAgain: () => void;
}) {
  const amount = formatCents(payment.amountCents);
  const [copied, setCopied] = useState(false);
  if (payment.status === 'pending') {
    return (
      <div className="card-progress" role="status" aria-live="polite" data-testid="card-progress">
        {payment.purpose === 'link' && payment.paymentLinkUrl ? (
          <>
            <p className="card-progress-title">Payment link for {amount}: waiting for the patient to pay</p>
            <div className="card-link">
              <input
                readOnly
                value={payment.paymentLinkUrl}
                aria-label="Payment link"
                onFocus={(e) => e.target.select()}
              />
              <Button
                size="small"
                onClick={() =>
                  void navigator.clipboard?.writeText(payment.paymentLinkUrl!).then(() => setCopied(true))
                }
              >
                {copied ? 'Copied' : 'Copy link'}
              </Button>
            </div>
            <p className="field-hint">
              Send it by text or e-mail; the ledger shows the payment once it is made.
            </p>
          </>
        ) : (
          <>
            <p className="card-progress-title">
              {amount} on {readerLabel}: waiting for the card
            </p>
            <p className="field-hint">Ask the patient to tap, insert or swipe their card on the reader.</p>
          </>
        )}
        {lostSight ? <Alert tone="warning">{lostSight}</Alert> : null}
        <p className="button-row">
          <Button variant="danger" busy={busy} busyLabel="Cancelling…" onClick={onCancel}>
            Cancel payment
          </Button>
        </p>
      </div>
    );
  }
  if (payment.status === 'succeeded') {
    return (
      <Alert tone="success" title={`Paid ${amount}`} testId="card-paid">
        {cardName(payment.cardBrand, payment.cardLast4)}.{' '}
        {posting ? 'Adding it to the account…' : 'It is on the account.'}
      </Alert>
    );
  }
  return (
    <div className="card-progress">
      <Alert
        tone="error"
        title={payment.status === 'canceled' ? 'Payment cancelled' : 'Card declined'}
        testId="card-failed"
      >
        {payment.failureMessage ??
          (payment.status === 'canceled' ? 'Nothing was charged.' : 'Nothing was charged.')}
      </Alert>
      <p className="button-row">
        <Button variant="primary" onClick={onAgain}>
          Try again
        </Button>
      </p>
    </div>
  );
}
