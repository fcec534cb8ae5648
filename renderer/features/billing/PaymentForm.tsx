import { useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import {
  allocationModes,
  checkNumberSchema,
  paymentMethods,
  type AllocationMode,
  type OpenCharge,
  type PostingResult,
} from '../../../server/contracts/billing/ledger';
import { centsToInput } from '../../../server/contracts/billing/money';
import { call } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { formatCalendarDate } from '../../ui/format';
import { cents, formatCents, moneyText, paymentMethodLabels } from './billing-format';
import { CardPaymentSlot } from './CardPaymentSlot';

/**
 * Taking money: amount, method (cash, check with its number, or a card), who paid, and how the payment is
 * applied. Used by the account's "Post payment" dialog, by checkout and by the copay step of check-in.
 * A card goes through the card processor at central (CardPaymentSlot); "Card (recorded)" is for a
 * payment taken on a standalone terminal and only recorded here.
 */

const modeLabels: Record<AllocationMode, string> = {
  oldest_first: 'Oldest charges first',
  proportional: 'Spread over open charges',
  explicit: 'Charges I choose',
  none: 'Keep as credit',
};

const schema = z
  .object({
    amount: moneyText,
    method: z.enum([...paymentMethods, 'card_reader']),
    checkNumber: z.string(),
    responsibility: z.enum(['patient', 'insurance']),
    mode: z.enum(allocationModes),
    lines: z.array(z.object({ chargeEntryId: z.string(), amount: z.string() })),
    memo: z.string().max(500, 'Keep the memo under 500 characters.'),
  })
  .superRefine((v, ctx) => {
    if (v.method === 'check') {
      if (!v.checkNumber.trim())
        ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: 'Enter the check number.' });
      else {
        const parsed = checkNumberSchema.safeParse(v.checkNumber);
        if (!parsed.success)
          ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: parsed.error.issues[0]!.message });
      }
    }
    if (v.mode === 'explicit') {
      let total = 0;
      v.lines.forEach((l, i) => {
        if (!l.amount.trim()) return;
        const r = moneyText.safeParse(l.amount);
        if (!r.success)
          ctx.addIssue({ code: 'custom', path: ['lines', i, 'amount'], message: r.error.issues[0]!.message });
        else total += cents(l.amount);
      });
      if (total === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['mode'],
          message: 'Enter what to apply to at least one charge.',
        });
      else if (moneyText.safeParse(v.amount).success && total > cents(v.amount))
        ctx.addIssue({
          code: 'custom',
          path: ['mode'],
          message: 'The amounts applied add up to more than the payment.',
        });
    }
  });
type Values = z.input<typeof schema>;
const fields = ['amount', 'method', 'checkNumber', 'responsibility', 'mode', 'memo'] as const;

export interface PaymentFormProps {
  patientId: string;
  appointmentId?: string | null;
  defaultAmountCents?: number;
  /** Show who paid and how to apply it (the account screen); checkout and check-in apply oldest first. */
  full?: boolean;
  openCharges?: OpenCharge[];
  submitLabel?: string;
  onPosted: (result: PostingResult) => void;
  onCancel?: () => void;
  cancelLabel?: string;
}

export function PaymentForm({
  patientId,
  appointmentId = null,
  defaultAmountCents,
  full = false,
  openCharges = [],
  submitLabel = 'Post payment',
  onPosted,
  onCancel,
  cancelLabel = 'Cancel',
}: PaymentFormProps) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    control,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      amount: defaultAmountCents ? centsToInput(defaultAmountCents) : '',
      method: 'cash',
      checkNumber: '',
      responsibility: 'patient',
      mode: 'oldest_first',
      lines: openCharges.map((c) => ({ chargeEntryId: c.entryId, amount: '' })),
      memo: '',
    },
  });
  const { banner, report, clear } = useServerErrors({ setError, watch }, [...fields], {
    'allocation.lines': 'mode',
  });
  const method = useWatch({ control, name: 'method' });
  const mode = useWatch({ control, name: 'mode' });
  const amount = useWatch({ control, name: 'amount' });

  const submit = handleSubmit(async (v) => {
    clear();
    try {
      const result = await call('postPayment', {
        params: { patientId },
        body: {
          amountCents: cents(v.amount),
          method: v.method === 'card_reader' ? 'card' : v.method,
          checkNumber: v.method === 'check' ? v.checkNumber.trim() : null,
          responsibility: v.responsibility,
          appointmentId,
          memo: v.memo,
          allocation:
            v.mode === 'explicit'
              ? {
                  mode: 'explicit',
                  lines: v.lines
                    .filter((l) => l.amount.trim())
                    .map((l) => ({ chargeEntryId: l.chargeEntryId, amountCents: cents(l.amount) })),
                }
              : { mode: v.mode },
        },
      });
      onPosted(result);
    } catch (err) {
      report(err);
    }
  });

  const amountCents = moneyText.safeParse(amount).success ? cents(amount ?? '') : 0;
  return (
    <form
      className="form payment-form"
      noValidate
      onSubmit={(e) => void submit(e)}
      data-testid="payment-form"
    >
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <div className="form-grid payment-grid">
        <TextField
          label="Amount ($)"
          inputMode="decimal"
          autoComplete="off"
          className="input-money"
          data-autofocus
          error={errors.amount?.message}
          {...register('amount')}
        />
        <fieldset className="fieldset-plain method-choice">
          <legend className="field-label">Method</legend>
          {(['cash', 'check', 'card_reader', 'card', 'other'] as const).map((m) => (
            <label key={m} className="method-option">
              <input type="radio" value={m} {...register('method')} />
              {m === 'card_reader' ? 'Card' : m === 'card' ? 'Card (recorded)' : paymentMethodLabels[m]}
            </label>
          ))}
        </fieldset>
        {method === 'check' ? (
          <TextField
            label="Check number"
            autoComplete="off"
            spellCheck={false}
            error={errors.checkNumber?.message}
            {...register('checkNumber')}
          />
        ) : null}
        {full ? (
          <SelectField label="Paid by" error={errors.responsibility?.message} {...register('responsibility')}>
            <option value="patient">Patient (or guarantor)</option>
            <option value="insurance">Insurance</option>
          </SelectField>
        ) : null}
      </div>
      {method === 'card_reader' ? (
        <CardPaymentSlot
          patientId={patientId}
          appointmentId={appointmentId}
          amountCents={amountCents}
          onPaid={onPosted}
        />
      ) : null}
      {full && method !== 'card_reader' ? (
        <>
          <SelectField label="Apply to" error={errors.mode?.message} {...register('mode')}>
            {allocationModes.map((m) => (
              <option key={m} value={m}>
                {modeLabels[m]}
              </option>
            ))}
          </SelectField>
          {mode === 'explicit' ? (
            openCharges.length ? (
              <table className="table table-dense">
                <thead>
                  <tr>
                    <th>Service date</th>
                    <th className="num">Open</th>
                    <th className="num">Apply ($)</th>
                  </tr>
                </thead>
                <tbody>
                  {openCharges.map((c, i) => (
                    <tr key={c.entryId}>
                      <td>{c.serviceDate ? formatCalendarDate(c.serviceDate) : '—'}</td>
                      <td className="num">{formatCents(c.openCents)}</td>
                      <td className="num">
                        <input
                          className="input input-money input-inline"
                          inputMode="decimal"
                          aria-label={`Apply to the charge of ${c.serviceDate ?? ''} (open ${formatCents(c.openCents)})`}
                          aria-invalid={errors.lines?.[i]?.amount ? true : undefined}
                          {...register(`lines.${i}.amount`)}
                        />
                        {errors.lines?.[i]?.amount ? (
                          <p className="field-error">{errors.lines[i]?.amount?.message}</p>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No open charges: the payment stays as credit.</p>
            )
          ) : null}
          <TextField
            label="Memo (optional)"
            autoComplete="off"
            error={errors.memo?.message}
            {...register('memo')}
          />
        </>
      ) : null}
      {method !== 'card_reader' ? (
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Posting…">
            {submitLabel}
            {amountCents ? ` ${formatCents(amountCents)}` : ''}
          </Button>
          {onCancel ? <Button onClick={onCancel}>{cancelLabel}</Button> : null}
        </div>
      ) : onCancel ? (
        <div className="button-row">
          <Button onClick={onCancel}>{cancelLabel}</Button>
        </div>
      ) : null}
    </form>
  );
}
