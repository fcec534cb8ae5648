import { useWatch } from 'react-hook-form';
import { z } from 'zod';
import { checkNumberSchema, type Credit } from '../../../../../server/contracts/billing/ledger';
import { centsToInput } from '../../../../../server/contracts/billing/money';
import { call } from '../../../../api/client';
import { Button } from '../../../../ui/Button';
import { Dialog } from '../../../../ui/Dialog';
import { Checkbox, SelectField, TextField } from '../../../../ui/Field';
import { formatShortDateTime } from '../../../../ui/format';
import { useZodForm, ZodForm } from '../../../../ui/zod-form';
import { cents, formatCents, moneyText, paymentMethodLabels } from '../../billing-format';
import { reasonSchema, type PostingDialogProps } from './common';

const refundSchema = z
  .object({
    paymentEntryId: z.string().min(1, 'Choose the payment to refund.'),
    amount: moneyText,
    method: z.enum(['cash', 'check', 'other']),
    checkNumber: z.string(),
    unapplyIfNeeded: z.boolean(),
    memo: reasonSchema,
  })
  .superRefine((v, ctx) => {
    if (
      v.method === 'check' &&
      (!v.checkNumber.trim() || !checkNumberSchema.safeParse(v.checkNumber).success)
    )
      ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: 'Enter the check number.' });
  });

const creditLabel = (c: Credit) =>
  `${formatCents(c.amountCents)} ${c.method ? paymentMethodLabels[c.method] : ''}${c.checkNumber ? ` #${c.checkNumber}` : ''} — ${formatCents(c.unappliedCents)} unapplied, ${formatCents(c.refundableCents)} refundable`;

/**
 * A cash, check or other refund from one payment (card payments go back to the card: cards/CardRefundDialog),
 * never more than the payment less earlier refunds; optionally taking it back off the charges first.
 */
export function RefundDialog({
  patientId,
  credits,
  paymentEntryId = '',
  timeZone,
  onClose,
  onPosted,
}: PostingDialogProps & { credits: Credit[]; paymentEntryId?: string; timeZone: string }) {
  const first =
    credits.find((c) => c.entryId === paymentEntryId) ??
    credits.find((c) => c.unappliedCents > 0) ??
    credits[credits.length - 1];
  const refund = useZodForm(refundSchema, {
    defaultValues: {
      paymentEntryId: first?.entryId ?? '',
      amount: first && first.unappliedCents > 0 ? centsToInput(first.unappliedCents) : '',
      method: 'cash',
      checkNumber: '',
      unapplyIfNeeded: false,
      memo: '',
    },
    fields: ['paymentEntryId', 'amount', 'method', 'checkNumber', 'memo'],
    aliases: { amountCents: 'amount', appliesToEntryId: 'paymentEntryId' },
    onValid: async (v) =>
      onPosted(
        await call('postRefund', {
          params: { patientId },
          body: {
            paymentEntryId: v.paymentEntryId,
            amountCents: cents(v.amount),
            method: v.method,
            checkNumber: v.method === 'check' ? v.checkNumber.trim() : null,
            unapplyIfNeeded: v.unapplyIfNeeded,
            memo: v.memo,
          },
        }),
      ),
  });
  const {
    register,
    control,
    formState: { errors, isSubmitting },
  } = refund.form;
  const method = useWatch({ control, name: 'method' });
  const chosenId = useWatch({ control, name: 'paymentEntryId' });
  const chosen = credits.find((c) => c.entryId === chosenId);
  return (
    <Dialog title="Refund" onClose={onClose} className="dialog-wide" testId="refund-dialog">
      {credits.length ? (
        <ZodForm form={refund}>
          <SelectField
            label="From payment"
            error={errors.paymentEntryId?.message}
            {...register('paymentEntryId')}
          >
            {credits.map((c) => (
              <option key={c.entryId} value={c.entryId}>
                {formatShortDateTime(c.postedAt, timeZone)} · {creditLabel(c)}
              </option>
            ))}
          </SelectField>
          <div className="form-grid">
            <TextField
              label="Amount ($)"
              inputMode="decimal"
              className="input-money"
              autoComplete="off"
              data-autofocus
              hint={
                chosen
                  ? `At most ${formatCents(chosen.refundableCents)} (what was paid, less refunds).`
                  : undefined
              }
              error={errors.amount?.message}
              {...register('amount')}
            />
            <SelectField label="Refunded as" error={errors.method?.message} {...register('method')}>
              <option value="cash">Cash</option>
              <option value="check">Check</option>
              <option value="other">Other</option>
            </SelectField>
            {method === 'check' ? (
              <TextField
                label="Check number"
                autoComplete="off"
                error={errors.checkNumber?.message}
                {...register('checkNumber')}
              />
            ) : null}
          </div>
          <Checkbox
            label="If the payment is applied to charges, take what is needed back off them first"
            {...register('unapplyIfNeeded')}
          />
          <p className="field-hint">Card payments are refunded to the card through the card processor.</p>
          <TextField label="Reason" autoComplete="off" error={errors.memo?.message} {...register('memo')} />
          <div className="button-row">
            <Button type="submit" variant="danger" busy={isSubmitting} busyLabel="Refunding…">
              Refund
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </ZodForm>
      ) : (
        <p>There is no payment on this account to refund.</p>
      )}
    </Dialog>
  );
}
