import { useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { feeScopeLabels, type FeeEntry } from '../../../../server/contracts/billing/setup';
import { formatCents } from '../../../../server/contracts/billing/money';
import { call } from '../../../api/client';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { TextField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { billingSetupKeys, centsOf, moneyText, moneyValue } from './money-field';

const date = z.string().refine((d) => d === '' || /^\d{4}-\d{2}-\d{2}$/.test(d), 'Enter a date.');

/**
 * Change a rate in place (the fee, its dates, its note): most often extending a patient's sliding-scale
 * rate when it is reviewed, which until now meant removing it and adding it again. Lines already on visits
 * keep the fee they were made with.
 */
export function EditFeeDialog({
  fee,
  onClose,
  onSaved,
}: {
  fee: FeeEntry;
  onClose: () => void;
  onSaved: (text: string) => void;
}) {
  const queryClient = useQueryClient();
  const schema = z
    .object({
      amount: moneyText(),
      effectiveFrom: date,
      endsOn: date,
      note: z.string().max(200, 'At most 200 characters.'),
    })
    .superRefine((v, ctx) => {
      if (fee.scope === 'patient' && !v.endsOn)
        ctx.addIssue({
          code: 'custom',
          path: ['endsOn'],
          message: 'A sliding-scale rate needs an end date, so it is reviewed again.',
        });
      if (v.effectiveFrom && v.endsOn && v.endsOn < v.effectiveFrom)
        ctx.addIssue({
          code: 'custom',
          path: ['endsOn'],
          message: 'The end date comes before the start date.',
        });
    });
  const edit = useZodForm(schema, {
    defaultValues: {
      amount: moneyValue(fee.amountCents),
      effectiveFrom: fee.effectiveFrom ?? '',
      endsOn: fee.endsOn ?? '',
      note: fee.note,
    },
    fields: ['amount', 'effectiveFrom', 'endsOn', 'note'],
    aliases: { amountCents: 'amount' },
    onValid: async (v) => {
      const saved = await call('updateFee', {
        params: { id: fee.id },
        body: {
          amountCents: centsOf(v.amount),
          effectiveFrom: v.effectiveFrom || null,
          endsOn: v.endsOn || null,
          note: v.note.trim(),
        },
      });
      void queryClient.invalidateQueries({ queryKey: billingSetupKeys.all });
      onSaved(`${feeScopeLabels[saved.scope]} for ${saved.code}: ${formatCents(saved.amountCents)} saved.`);
    },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = edit.form;
  const who = fee.providerName ?? fee.patientLabel ?? 'everyone';
  return (
    <Dialog
      title={`${feeScopeLabels[fee.scope]} for ${fee.code}`}
      description={`For ${who}.`}
      onClose={onClose}
      testId="edit-fee-dialog"
    >
      <ZodForm form={edit}>
        <div className="form-grid">
          <TextField
            label="Fee per unit ($)"
            inputMode="decimal"
            className="input-money"
            autoComplete="off"
            data-autofocus
            error={errors.amount?.message}
            {...register('amount')}
          />
          <TextField
            label="From"
            type="date"
            error={errors.effectiveFrom?.message}
            {...register('effectiveFrom')}
          />
          <TextField
            label={fee.scope === 'patient' ? 'Until (required)' : 'Until'}
            type="date"
            error={errors.endsOn?.message}
            {...register('endsOn')}
          />
        </div>
        <TextField label="Note" autoComplete="off" error={errors.note?.message} {...register('note')} />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            Save rate
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
