import { useEffect } from 'react';
import { useWatch } from 'react-hook-form';
import { z } from 'zod';
import {
  familySplitLabels,
  familySplitModes,
  type FamilyPaymentResult,
} from '../../../../../server/contracts/billing/family-payment';
import type { GuarantorAccount } from '../../../../../server/contracts/billing/guarantor';
import { checkNumberSchema } from '../../../../../server/contracts/billing/ledger';
import { centsToInput } from '../../../../../server/contracts/billing/money';
import { call } from '../../../../api/client';
import { Button } from '../../../../ui/Button';
import { Dialog } from '../../../../ui/Dialog';
import { SelectField, TextField } from '../../../../ui/Field';
import { useZodForm, ZodForm } from '../../../../ui/zod-form';
import { cents, formatCents, moneyText, parseCents } from '../../billing-format';

/** What a person types per account (empty = nothing for that account). */
const shareText = z
  .string()
  .trim()
  .refine((v) => !v || parseCents(v) !== null, 'Enter an amount like 25.00, or leave it empty.');

const familyPaymentForm = z
  .object({
    amount: moneyText,
    method: z.enum(['cash', 'check', 'other']),
    checkNumber: checkNumberSchema,
    split: z.enum(familySplitModes),
    shares: z.array(z.object({ patientId: z.string(), amount: shareText })),
  })
  .superRefine((v, ctx) => {
    if (v.method === 'check' && !v.checkNumber)
      ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: 'Enter the check number.' });
    if (v.split !== 'explicit' || parseCents(v.amount) === null) return;
    const sum = v.shares.reduce((t, s) => t + (s.amount ? (parseCents(s.amount) ?? 0) : 0), 0);
    if (sum !== cents(v.amount))
      ctx.addIssue({
        code: 'custom',
        path: ['shares'],
        message: `The amounts for the accounts add up to ${formatCents(sum)}; the payment is ${formatCents(cents(v.amount))}.`,
      });
  });

/**
 * A payment from the guarantor for the whole family (cash, check or other; a card is taken on one account's
 * payment dialog, through central): split oldest first across the family, in proportion to what each
 * patient owes, or by the amounts typed per account. One payment entry goes to each account with a share.
 */
export function FamilyPaymentDialog({
  patientId,
  accounts,
  onClose,
  onPosted,
}: {
  patientId: string;
  accounts: GuarantorAccount[];
  onClose: () => void;
  onPosted: (r: FamilyPaymentResult) => void;
}) {
  const owed = accounts.reduce((t, a) => t + Math.max(0, a.patientCents), 0);
  const pay = useZodForm(familyPaymentForm, {
    defaultValues: {
      amount: owed > 0 ? centsToInput(owed) : '',
      method: 'cash',
      checkNumber: '',
      split: 'oldest_first',
      shares: accounts.map((a) => ({ patientId: a.patientId, amount: '' })),
    },
    fields: ['amount', 'method', 'checkNumber', 'split', 'shares'],
    aliases: { amountCents: 'amount', lines: 'shares' },
    onValid: async (v) => {
      onPosted(
        await call('postFamilyPayment', {
          params: { patientId },
          body: {
            amountCents: cents(v.amount),
            method: v.method,
            checkNumber: v.method === 'check' ? v.checkNumber : null,
            split: v.split,
            lines:
              v.split === 'explicit'
                ? v.shares.map((s) => ({
                    patientId: s.patientId,
                    amountCents: s.amount ? cents(s.amount) : 0,
                  }))
                : [],
          },
        }),
      );
    },
  });
  const {
    register,
    control,
    trigger,
    formState: { errors, isSubmitting, isSubmitted },
  } = pay.form;
  const [method, split, amount, shares] = useWatch({
    control,
    name: ['method', 'split', 'amount', 'shares'],
  });
  // The "add up to" sentence belongs to all the amounts at once, so typing in one field does not re-check
  // it by itself: once a submit has shown it, re-check on every change, so it goes as soon as they add up.
  useEffect(() => {
    if (isSubmitted) void trigger('shares');
  }, [isSubmitted, trigger, amount, shares, split]);
  return (
    <Dialog title="Family payment" onClose={onClose} testId="family-payment-dialog">
      <ZodForm form={pay}>
        <p className="small">
          The family owes {formatCents(owed)} across {accounts.length} accounts. Each account with a share
          gets a payment of its own, applied to its charges.
        </p>
        <div className="form-grid">
          <TextField
            label="Amount ($)"
            inputMode="decimal"
            className="input-money"
            autoComplete="off"
            data-autofocus
            error={errors.amount?.message}
            {...register('amount')}
          />
          <SelectField label="Method" error={errors.method?.message} {...register('method')}>
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
        <SelectField label="Split" error={errors.split?.message} {...register('split')}>
          {familySplitModes.map((m) => (
            <option key={m} value={m}>
              {familySplitLabels[m]}
            </option>
          ))}
        </SelectField>
        {split === 'explicit' ? (
          <fieldset className="family-shares">
            <legend>Amount for each account ($)</legend>
            {accounts.map((a, i) => (
              <TextField
                key={a.patientId}
                label={`${a.name} (owes ${formatCents(Math.max(0, a.patientCents))})`}
                inputMode="decimal"
                className="input-money"
                autoComplete="off"
                error={errors.shares?.[i]?.amount?.message}
                {...register(`shares.${i}.amount`)}
              />
            ))}
            {(errors.shares?.message ?? errors.shares?.root?.message) ? (
              <p className="field-error" role="alert">
                {errors.shares?.message ?? errors.shares?.root?.message}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Posting…">
            Post family payment
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
