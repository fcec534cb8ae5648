import { useQuery, useQueryClient } from '@tanstack/react-query';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { refundReasons, type CardRefundResult } from '../../../../server/contracts/billing/cards';
import { centsToInput, formatCents, parseCents } from '../../../../server/contracts/billing/money';
import { call, errorMessage } from '../../../api/client';
import { keys } from '../../../api/keys';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { SelectField, TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';
import { cardName } from './card-format';
import './cards.css';

/**
 * Refunding a card payment to the card, through central (needs `billing.refund`). In full or in part,
 * never more than is left of the payment: central checks it again under a lock, so two refunds at once
 * cannot exceed what was paid. The refund reaches the ledger as an entry central posts.
 *
 * Opened from the account's ledger on a card payment row: `paymentIntentId` is that entry's externalRef.
 */

const reasonLabels: Record<(typeof refundReasons)[number], string> = {
  requested_by_customer: 'Requested by the patient',
  duplicate: 'Charged twice',
  fraudulent: 'Fraudulent charge',
};

const schema = z.object({
  amount: z
    .string()
    .trim()
    .min(1, 'Enter the amount to refund.')
    .refine((v) => (parseCents(v) ?? 0) > 0, 'Enter an amount like 25.00.'),
  reason: z.enum(refundReasons),
});
type Values = z.infer<typeof schema>;

export function CardRefundDialog({
  patientId,
  paymentIntentId,
  onClose,
  onRefunded,
}: {
  patientId: string;
  paymentIntentId: string;
  onClose: () => void;
  onRefunded?: (r: CardRefundResult) => void;
}) {
  const queryClient = useQueryClient();
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const [done, setDone] = useState<CardRefundResult | null>(null);
  const activity = useQuery({
    queryKey: ['billing', 'cards', 'activity', patientId],
    queryFn: ({ signal }) => call('cardActivity', { params: { patientId }, signal }),
    retry: false,
  });
  const payment = activity.data?.payments.find((p) => p.paymentIntentId === paymentIntentId) ?? null;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    values: { amount: payment ? centsToInput(payment.refundableCents) : '', reason: 'requested_by_customer' },
  });
  const { register, handleSubmit, formState } = form;
  const { banner, report } = useServerErrors(form, ['reason'], { amountCents: 'amount' });

  const submit = handleSubmit(async (v) => {
    if (!payment) return;
    const amountCents = parseCents(v.amount) ?? 0;
    if (amountCents > payment.refundableCents) {
      form.setError('amount', {
        message: `At most ${formatCents(payment.refundableCents)} of this payment can still be refunded.`,
      });
      return;
    }
    try {
      const r = await call('cardPaymentRefund', {
        params: { id: payment.id },
        body: { requestId, amountCents, reason: v.reason },
      });
      setDone(r);
      void queryClient.invalidateQueries({ queryKey: keys.billingAll });
      onRefunded?.(r);
    } catch (err) {
      setRequestId(crypto.randomUUID());
      report(err);
    }
  });

  return (
    <Dialog title="Refund to the card" onClose={onClose} testId="card-refund-dialog">
      {activity.isError ? <Alert tone="error">{errorMessage(activity.error)}</Alert> : null}
      {activity.isSuccess && !payment ? (
        <Alert tone="warning">Central has no record of this card payment; it cannot be refunded here.</Alert>
      ) : null}
      {payment ? (
        <p className="card-refund-summary">
          {cardName(payment.cardBrand, payment.cardLast4)} · paid {formatCents(payment.amountCents)}
          {payment.refundedCents > 0 ? ` · refunded ${formatCents(payment.refundedCents)}` : ''} ·{' '}
          <strong>{formatCents(payment.refundableCents)} refundable</strong>
        </p>
      ) : null}
      {done ? (
        <>
          <Alert tone={done.refund.status === 'failed' ? 'error' : 'success'} testId="card-refunded">
            {done.refund.status === 'failed'
              ? (done.refund.failureMessage ?? 'The refund failed.')
              : `Refunded ${formatCents(done.refund.amountCents)} to the card. It is on the account once central posts it.`}
          </Alert>
          <p className="button-row">
            <Button variant="primary" onClick={onClose} data-autofocus>
              Done
            </Button>
          </p>
        </>
      ) : payment ? (
        <form className="card-refund-form" onSubmit={(e) => void submit(e)} noValidate>
          {banner ? <Alert tone="error">{banner}</Alert> : null}
          <TextField
            label="Amount to refund ($)"
            inputMode="decimal"
            autoComplete="off"
            data-autofocus
            error={formState.errors.amount?.message}
            {...register('amount')}
          />
          <SelectField label="Reason" error={formState.errors.reason?.message} {...register('reason')}>
            {refundReasons.map((r) => (
              <option key={r} value={r}>
                {reasonLabels[r]}
              </option>
            ))}
          </SelectField>
          <p className="button-row">
            <Button
              type="submit"
              variant="danger"
              busy={formState.isSubmitting}
              busyLabel="Refunding…"
              disabled={payment.refundableCents <= 0}
            >
              Refund to the card
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </p>
        </form>
      ) : null}
    </Dialog>
  );
}
