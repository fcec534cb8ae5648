import { z } from 'zod';
import { call } from '../../../../api/client';
import { Button } from '../../../../ui/Button';
import { Dialog } from '../../../../ui/Dialog';
import { SelectField, TextField } from '../../../../ui/Field';
import { useZodForm, ZodForm } from '../../../../ui/zod-form';
import { cents, moneyText } from '../../billing-format';
import type { PostingDialogProps } from './common';

const chargeSchema = z.object({
  amount: moneyText,
  serviceDate: z.iso.date({ message: 'Enter the date of service.' }),
  responsibility: z.enum(['patient', 'insurance']),
  memo: z
    .string()
    .trim()
    .min(1, 'Describe the charge (for example: missed appointment fee).')
    .max(200, 'Keep the description under 200 characters.'),
});

/** A charge not from a visit: a no-show or late-cancel fee, a records fee (visit charges come from the visit). */
export function ChargeDialog({
  patientId,
  today,
  onClose,
  onPosted,
}: PostingDialogProps & { today: string }) {
  const charge = useZodForm(chargeSchema, {
    defaultValues: { amount: '', serviceDate: today, responsibility: 'patient', memo: '' },
    fields: ['amount', 'serviceDate', 'responsibility', 'memo'],
    aliases: { amountCents: 'amount' },
    onValid: async (v) =>
      onPosted(
        await call('postCharge', {
          params: { patientId },
          body: {
            amountCents: cents(v.amount),
            serviceDate: v.serviceDate,
            responsibility: v.responsibility,
            memo: v.memo,
          },
        }),
      ),
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = charge.form;
  return (
    <Dialog
      title="Post a charge"
      onClose={onClose}
      testId="charge-dialog"
      description="For fees that are not from a visit. A visit's charges are posted from its charge lines when it is closed."
    >
      <ZodForm form={charge}>
        <TextField
          label="Description"
          autoComplete="off"
          data-autofocus
          hint="Shown on statements and receipts: never clinical."
          error={errors.memo?.message}
          {...register('memo')}
        />
        <div className="form-grid">
          <TextField
            label="Amount ($)"
            inputMode="decimal"
            className="input-money"
            autoComplete="off"
            error={errors.amount?.message}
            {...register('amount')}
          />
          <TextField
            label="Date of service"
            type="date"
            error={errors.serviceDate?.message}
            {...register('serviceDate')}
          />
          <SelectField label="Whose" error={errors.responsibility?.message} {...register('responsibility')}>
            <option value="patient">Patient</option>
            <option value="insurance">Insurance</option>
          </SelectField>
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Posting…">
            Post charge
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
