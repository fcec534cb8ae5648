import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PostingResult } from '../../../../server/contracts/billing/ledger';
import { formatCents } from '../../../../server/contracts/billing/money';
import { call, errorMessage } from '../../../api/client';
import { keys } from '../../../api/keys';
import { Alert } from '../../../ui/Alert';
import { cardKeys } from './card-keys';
import { CardWays, type CardWay } from './CardWays';
import { LinkPay } from './LinkPay';
import { PaymentProgress } from './PaymentProgress';
import { ReaderPay } from './ReaderPay';
import { SavedCardPay } from './SavedCardPay';
import { useCardPayment } from './use-card-payment';
import './cards.css';

/**
 * Taking a card through central (docs/billing.md, "Cards (Stripe)"): the desk's card reader, a payment link
 * the patient pays on their phone, or a card saved under a card-on-file agreement. No card number is ever
 * typed here; central creates the payment at Stripe and this panel follows it until the ledger entry
 * central posted has arrived, then hands it to `onPaid`. Keys: R reader, L link, S saved card.
 *
 * This component holds the attempt (its request id, busy, the error) and the payment under way; each way
 * of paying is a piece of its own that asks it to `start` a payment.
 */

export interface CardPaymentPanelProps {
  patientId: string;
  /** What to charge; 0 while the amount typed is not valid. */
  amountCents: number;
  onPaid: (result: PostingResult) => void;
  initialWay?: CardWay;
}

export function CardPaymentPanel({
  patientId,
  amountCents,
  onPaid,
  initialWay = 'reader',
}: CardPaymentPanelProps) {
  const [way, setWay] = useState<CardWay>(initialWay);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One id per attempt: a double press or a retried request is the same payment at central.
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const queryClient = useQueryClient();
  const { payment, setPayment, posting, lostSight, reset } = useCardPayment(patientId, (r) => {
    void queryClient.invalidateQueries({ queryKey: keys.billingAll });
    onPaid(r);
  });

  const readers = useQuery({
    queryKey: cardKeys.readers,
    queryFn: ({ signal }) => call('cardReaders', { signal }),
    retry: false,
    staleTime: 60_000,
  });
  const onlineReaders = readers.data?.readers.filter((r) => r.status === 'online') ?? [];

  const waiting = payment?.status === 'pending';
  const locked = busy || waiting || posting;

  const start = async (fn: () => Promise<Parameters<typeof setPayment>[0]>) => {
    setError(null);
    setBusy(true);
    try {
      setPayment(await fn());
    } catch (err) {
      setError(errorMessage(err));
      // A refused attempt is over: the next press is a new attempt with a new id.
      setRequestId(crypto.randomUUID());
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setRequestId(crypto.randomUUID());
    reset();
    setError(null);
  };

  const cancel = async () => {
    if (!payment) return;
    setBusy(true);
    try {
      setPayment(await call('cardPaymentCancel', { params: { id: payment.id } }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const amountText = amountCents <= 0 ? '' : formatCents(amountCents);

  return (
    <section className="card-panel" aria-label="Card payment" data-testid="card-payment-panel">
      <CardWays way={way} locked={locked} onChange={setWay} />

      {readers.isError && way !== 'saved' ? (
        <Alert tone="warning" title="Card payments are not available">
          {errorMessage(readers.error)}
        </Alert>
      ) : null}
      {error ? (
        <Alert tone="error" testId="card-error">
          {error}
        </Alert>
      ) : null}

      {payment ? (
        <PaymentProgress
          payment={payment}
          readerLabel={readers.data?.readers.find((r) => r.id === payment.readerId)?.label ?? 'the reader'}
          posting={posting}
          lostSight={lostSight}
          busy={busy}
          onCancel={cancel}
          onAgain={again}
        />
      ) : way === 'reader' ? (
        <ReaderPay
          readers={onlineReaders}
          readersKnown={readers.isSuccess}
          amountText={amountText}
          busy={busy}
          onCharge={(readerId) =>
            void start(() =>
              call('cardReaderPayment', {
                params: { patientId },
                body: { requestId, amountCents, readerId },
              }),
            )
          }
        />
      ) : way === 'link' ? (
        <LinkPay
          amountText={amountText}
          busy={busy}
          onCreate={() =>
            void start(() =>
              call('cardPaymentLink', { params: { patientId }, body: { requestId, amountCents } }),
            )
          }
        />
      ) : (
        <SavedCardPay
          patientId={patientId}
          amountCents={amountCents}
          busy={busy}
          readers={onlineReaders}
          onCharge={(agreementId) =>
            void start(() =>
              call('cardSavedCardPayment', {
                params: { patientId },
                body: { requestId, agreementId, amountCents },
              }),
            )
          }
        />
      )}
    </section>
  );
}
