import { z } from 'zod';
import type { OpenCharge } from '../../../../../server/contracts/billing/ledger';
import { call } from '../../../../api/client';
import { Button } from '../../../../ui/Button';
import { Dialog } from '../../../../ui/Dialog';
import { SelectField, TextField } from '../../../../ui/Field';
import { useZodForm, ZodForm } from '../../../../ui/zod-form';
import { cents, moneyText } from '../../billing-format';
import { chargeLabel, type PostingDialogProps } from './common';

const transferSchema = z.object({
  from: z.enum(['patient', 'insurance']),
  amount: moneyText,
  chargeEntryId: z.string(),
  memo: z.string().max(500, 'Keep the memo under 500 characters.'),
});

/** Move an amount between patient and insurance responsibility (a deductible, a service not covered). */
export function TransferDialog({
  patientId,
  openCharges,
  onClose,
  onPosted,
}: PostingDialogProps & { openCharges: OpenCharge[] }) {
  const transfer = useZodForm(transferSchema, {
    defaultValues: { from: 'insurance', amount: '', chargeEntryId: '', memo: '' },
    fields: ['from', 'amount', 'chargeEntryId', 'memo'],
    aliases: { amountCents: 'amount', appliesToEntryId: 'chargeEntryId' },
    onValid: async (v) =>
      onPosted(
        await call('postTransfer', {
          params: { patientId },
          body: {
            from: v.from,
            to: v.from === 'patient' ? 'insurance' : 'patient',
            amountCents: cents(v.amount),
            chargeEntryId: v.chargeEntryId || null,
            memo: v.memo,
          },
        }),
      ),
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = transfer.form;
  return (
    <Dialog title="Transfer responsibility" onClose={onClose} testId="transfer-dialog">
      <ZodForm form={transfer}>
        <div className="form-grid">
          <SelectField label="Move" error={errors.from?.message} {...register('from')} data-autofocus>
            <option value="insurance">Insurance → patient</option>
            <option value="patient">Patient → insurance</option>
          </SelectField>
          <TextField
            label="Amount ($)"
            inputMode="decimal"
            className="input-money"
            autoComplete="off"
            error={errors.amount?.message}
            {...register('amount')}
          />
        </div>
        <SelectField
          label="Charge (optional)"
          error={errors.chargeEntryId?.message}
          {...register('chargeEntryId')}
        >
          <option value="">The account as a whole</option>
          {openCharges.map((c) => (
            <option key={c.entryId} value={c.entryId}>
              {chargeLabel(c)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Memo (optional)"
          autoComplete="off"
          hint="For example: deductible, not covered."
          error={errors.memo?.message}
          {...register('memo')}
        />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Posting…">
            Transfer
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
