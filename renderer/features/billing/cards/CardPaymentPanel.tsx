import { useQuery, useQueryClient } from '@tanstack/react-query';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { PostingResult } from '../../../../server/contracts/billing/ledger';
import { formatCents, parseCents } from '../../../../server/contracts/billing/money';
import { CARD_AMOUNT_MAX_CENTS, type CardAgreement } from '../../../../server/contracts/billing/cards';
import { call, errorMessage } from '../../../api/client';
import { keys } from '../../../api/keys';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';
import { agreementSummary, cardName, todayYmd } from './card-format';
import { useCardPayment } from './use-card-payment';
import './cards.css';

/**
 * Taking a card through central (docs/billing.md, "Cards (Stripe)"): the desk's card reader, a payment link
 * the patient pays on their phone, or a card saved under a card-on-file agreement. No card number is ever
 * typed here; central creates the payment at Stripe and this panel follows it until the ledger entry
 * central posted has arrived, then hands it to `onPaid`. Keys: R reader, L link, S saved card.
 */

export type CardWay = 'reader' | 'link' | 'saved';

export interface CardPaymentPanelProps {
  patientId: string;
  /** What to charge; 0 while the amount typed is not valid. */
  amountCents: number;
  onPaid: (result: PostingResult) => void;
  initialWay?: CardWay;
}

const ways: { way: CardWay; label: string; key: string }[] = [
  { way: 'reader', label: 'Card reader', key: 'r' },
  { way: 'link', label: 'Payment link', key: 'l' },
  { way: 'saved', label: 'Saved card', key: 's' },
];

const cardKeys = {
  readers: ['billing', 'cards', 'readers'] as const,
  activity: (patientId: string) => ['billing', 'cards', 'activity', patientId] as const,
};

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
  const activity = useQuery({
    queryKey: cardKeys.activity(patientId),
    queryFn: ({ signal }) => call('cardActivity', { params: { patientId }, signal }),
    retry: false,
    enabled: way === 'saved',
  });
  const onlineReaders = readers.data?.readers.filter((r) => r.status === 'online') ?? [];
  const [chosenReader, setReaderId] = useState<string>('');
  const readerId = chosenReader || onlineReaders[0]?.id || '';
  const active = (activity.data?.agreements ?? []).filter(
    (a) => a.status === 'active' && a.endsOn >= todayYmd(),
  );
  const [chosenAgreement, setAgreementId] = useState<string>('');
  const agreementId = chosenAgreement || active[0]?.id || '';

  const waiting = payment?.status === 'pending';
  const locked = busy || waiting || posting;

  // Single keys switch the way to pay (not while typing in a field, and not mid-payment).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (locked || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
      const w = ways.find((x) => x.key === e.key.toLowerCase());
      if (w) {
        e.preventDefault();
        setWay(w.way);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [locked]);

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

  const noAmount = amountCents <= 0;
  const amountText = noAmount ? '' : formatCents(amountCents);

  return (
    <section className="card-panel" aria-label="Card payment" data-testid="card-payment-panel">
      <div className="card-ways" role="group" aria-label="How the card is taken">
        {ways.map((w) => (
          <button
            key={w.way}
            type="button"
            className={`card-way${way === w.way ? ' card-way-on' : ''}`}
            aria-pressed={way === w.way}
            disabled={locked && way !== w.way}
            onClick={() => setWay(w.way)}
          >
            {w.label} <kbd aria-hidden="true">{w.key.toUpperCase()}</kbd>
          </button>
        ))}
      </div>

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
        <div className="card-way-body">
          {onlineReaders.length === 0 && readers.isSuccess ? (
            <p className="empty-state">
              No card reader is online. Check that the reader is on and connected, or send a payment link.
            </p>
          ) : null}
          {onlineReaders.length > 0 ? (
            <SelectField label="Reader" value={readerId} onChange={(e) => setReaderId(e.target.value)}>
              {onlineReaders.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </SelectField>
          ) : null}
          <p className="button-row">
            <Button
              variant="primary"
              busy={busy}
              busyLabel="Sending to the reader…"
              disabled={noAmount || !readerId}
              onClick={() =>
                void start(() =>
                  call('cardReaderPayment', {
                    params: { patientId },
                    body: { requestId, amountCents, readerId },
                  }),
                )
              }
            >
              {noAmount ? 'Charge on the reader' : `Charge ${amountText} on the reader`}
            </Button>
          </p>
          {noAmount ? <p className="field-hint">Enter the amount first.</p> : null}
        </div>
      ) : way === 'link' ? (
        <div className="card-way-body">
          <p className="field-hint">
            The patient opens the link on their phone and pays there; it says only the clinic and the amount.
          </p>
          <p className="button-row">
            <Button
              variant="primary"
              busy={busy}
              busyLabel="Creating the link…"
              disabled={noAmount}
              onClick={() =>
                void start(() =>
                  call('cardPaymentLink', {
                    params: { patientId },
                    body: { requestId, amountCents },
                  }),
                )
              }
            >
              {noAmount ? 'Create a payment link' : `Create a payment link for ${amountText}`}
            </Button>
          </p>
        </div>
      ) : (
        <div className="card-way-body">
          {activity.isError ? <Alert tone="warning">{errorMessage(activity.error)}</Alert> : null}
          {activity.isSuccess && active.length === 0 ? (
            <p className="empty-state">No card on file for this patient. Save one on the reader below.</p>
          ) : null}
          {active.length > 0 ? (
            <>
              <fieldset className="card-agreements">
                <legend className="field-label">Card on file</legend>
                {active.map((a) => (
                  <label key={a.id} className="card-agreement">
                    <input
                      type="radio"
                      name="agreement"
                      value={a.id}
                      checked={agreementId === a.id}
                      onChange={() => setAgreementId(a.id)}
                    />
                    {agreementSummary(a)}
                  </label>
                ))}
              </fieldset>
              <SavedCardCharge
                agreement={active.find((a) => a.id === agreementId) ?? null}
                amountCents={amountCents}
                busy={busy}
                onCharge={(a) =>
                  void start(() =>
                    call('cardSavedCardPayment', {
                      params: { patientId },
                      body: { requestId, agreementId: a.id, amountCents },
                    }),
                  )
                }
              />
            </>
          ) : null}
          <SaveCardForm
            patientId={patientId}
            readers={onlineReaders}
            onSaved={() => void queryClient.invalidateQueries({ queryKey: cardKeys.activity(patientId) })}
          />
        </div>
      )}
    </section>
  );
}

function SavedCardCharge({
  agreement,
  amountCents,
  busy,
  onCharge,
}: {
  agreement: CardAgreement | null;
  amountCents: number;
  busy: boolean;
  onCharge: (a: CardAgreement) => void;
}) {
  const over = agreement && amountCents > agreement.maxAmountCents;
  return (
    <>
      {over ? (
        <p className="field-error">
          The agreement allows at most {formatCents(agreement.maxAmountCents)} per charge. Take the rest
          another way.
        </p>
      ) : null}
      <p className="button-row">
        <Button
          variant="primary"
          busy={busy}
          busyLabel="Charging…"
          disabled={!agreement || amountCents <= 0 || Boolean(over)}
          onClick={() => agreement && onCharge(agreement)}
        >
          {agreement && amountCents > 0
            ? `Charge ${formatCents(amountCents)} to ${cardName(agreement.cardBrand, agreement.cardLast4)}`
            : 'Charge the saved card'}
        </Button>
      </p>
    </>
  );
}

function PaymentProgress({
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

const saveCardSchema = z
  .object({
    maxAmount: z
      .string()
      .trim()
      .min(1, 'Enter the most a single charge may be.')
      .refine((v) => (parseCents(v) ?? 0) >= 50, 'Enter an amount like 150.00 (at least 0.50).')
      .refine((v) => (parseCents(v) ?? 0) <= CARD_AMOUNT_MAX_CENTS, 'That amount is too large.'),
    endsOn: z.iso.date({ message: 'Enter the last day the card may be charged.' }),
    readerId: z.string().min(1, 'Choose a card reader.'),
  })
  .refine((v) => v.endsOn >= todayYmd(), {
    path: ['endsOn'],
    message: 'The last day cannot be in the past.',
  });
type SaveCardValues = z.infer<typeof saveCardSchema>;

/** The card-on-file agreement: the patient agrees to charges up to a maximum until an end date. */
function SaveCardForm({
  patientId,
  readers,
  onSaved,
}: {
  patientId: string;
  readers: { id: string; label: string }[];
  onSaved: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [waitingFor, setWaitingFor] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<CardAgreement | null>(null);
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const form = useForm<SaveCardValues>({
    resolver: zodResolver(saveCardSchema),
    defaultValues: { maxAmount: '', endsOn: '', readerId: readers[0]?.id ?? '' },
  });
  const { register, handleSubmit, formState, setValue } = form;
  const { banner, report } = useServerErrors(form, ['endsOn', 'readerId'], { maxAmountCents: 'maxAmount' });
  useEffect(() => {
    if (readers[0] && !form.getValues('readerId')) setValue('readerId', readers[0].id);
  }, [readers, form, setValue]);

  useEffect(() => {
    if (!waitingFor) return;
    const timer = setInterval(() => {
      void call('cardActivity', { params: { patientId }, background: true })
        .then((a) => {
          const found = a.agreements.find((x) => x.id === waitingFor);
          if (found && found.status !== 'pending') {
            setWaitingFor(null);
            setOutcome(found);
            if (found.status === 'active') onSaved();
          }
        })
        .catch(() => undefined);
    }, 1_000);
    return () => clearInterval(timer);
  }, [waitingFor, patientId, onSaved]);

  if (!open)
    return (
      <p className="button-row">
        <Button size="small" onClick={() => setOpen(true)} disabled={readers.length === 0}>
          Save a card on the reader…
        </Button>
      </p>
    );

  const submit = handleSubmit(async (v) => {
    try {
      const a = await call('cardAgreementStart', {
        params: { patientId },
        body: {
          requestId,
          maxAmountCents: parseCents(v.maxAmount) ?? 0,
          endsOn: v.endsOn,
          readerId: v.readerId,
        },
      });
      setOutcome(null);
      setWaitingFor(a.id);
      setRequestId(crypto.randomUUID());
    } catch (err) {
      setRequestId(crypto.randomUUID());
      report(err);
    }
  });

  return (
    <form className="card-save" onSubmit={(e) => void submit(e)} noValidate aria-label="Save a card on file">
      <p className="card-progress-title">Card-on-file agreement</p>
      <p className="field-hint">
        The patient agrees that the clinic may charge this card up to the amount below per charge until the
        last day. Charges above it or after it are refused.
      </p>
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <div className="card-save-grid">
        <TextField
          label="Most per charge ($)"
          inputMode="decimal"
          autoComplete="off"
          error={formState.errors.maxAmount?.message}
          {...register('maxAmount')}
        />
        <TextField
          label="Last day"
          type="date"
          min={todayYmd()}
          error={formState.errors.endsOn?.message}
          {...register('endsOn')}
        />
        <SelectField label="Reader" error={formState.errors.readerId?.message} {...register('readerId')}>
          {readers.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </SelectField>
      </div>
      {waitingFor ? (
        <p role="status" className="card-progress-title">
          Waiting for the card on the reader…
        </p>
      ) : null}
      {outcome?.status === 'active' ? (
        <Alert tone="success">Saved: {agreementSummary(outcome)}.</Alert>
      ) : outcome ? (
        <Alert tone="error">{outcome.failureMessage ?? 'The card could not be saved.'}</Alert>
      ) : null}
      <p className="button-row">
        <Button
          type="submit"
          variant="primary"
          busy={formState.isSubmitting || Boolean(waitingFor)}
          busyLabel="Saving…"
        >
          Save the card on the reader
        </Button>
        <Button onClick={() => setOpen(false)} disabled={Boolean(waitingFor)}>
          Close
        </Button>
      </p>
    </form>
  );
}
