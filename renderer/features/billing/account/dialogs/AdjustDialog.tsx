import { z } from 'zod';
import type { OpenCharge } from '../../../../../server/contracts/billing/ledger';
import { centsToInput } from '../../../../../server/contracts/billing/money';
import { call } from '../../../../api/client';
import { Button } from '../../../../ui/Button';
import { Dialog } from '../../../../ui/Dialog';
import { SelectField, TextField } from '../../../../ui/Field';
import { useZodForm, ZodForm } from '../../../../ui/zod-form';
import { cents, moneyText } from '../../billing-format';
import { chargeLabel, reasonSchema, type PostingDialogProps } from './common';

const adjustSchema = z.object({
  amount: moneyText,
  responsibility: z.enum(['patient', 'insurance']),
  chargeEntryId: z.string(),
  memo: reasonSchema,
});

/**
 * An adjustment (courtesy, contractual) or a write-off, on one charge or spread over the open charges oldest
 * first; the server refuses more than is open, on the amount field.
 */
export function AdjustDialog({
  patientId,
  kind,
  openCharges,
  chargeEntryId = '',
  onClose,
  onPosted,
}: PostingDialogProps & {
  kind: 'adjustment' | 'write_off';
  openCharges: OpenCharge[];
  chargeEntryId?: string;
}) {
  const preset = openCharges.find((c) => c.entryId === chargeEntryId);
  const writeOff = kind === 'write_off';
  const adjust = useZodForm(adjustSchema, {
    defaultValues: {
      amount: preset ? centsToInput(preset.openCents) : '',
      responsibility:
        preset && preset.insuranceOpenCents > 0 && !preset.patientOpenCents ? 'insurance' : 'patient',
      chargeEntryId,
      memo: '',
    },
    fields: ['amount', 'responsibility', 'chargeEntryId', 'memo'],
    aliases: { amountCents: 'amount', appliesToEntryId: 'chargeEntryId' },
    onValid: async (v) => {
      const body = {
        amountCents: cents(v.amount),
        responsibility: v.responsibility,
        chargeEntryId: v.chargeEntryId || null,
        memo: v.memo,
      };
      onPosted(
        writeOff
          ? await call('postWriteOff', { params: { patientId }, body })
          : await call('postAdjustment', { params: { patientId }, body }),
      );
    },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = adjust.form;
  return (
    <Dialog title={writeOff ? 'Write off' : 'Adjust'} onClose={onClose} testId="adjust-dialog">
      <ZodForm form={adjust}>
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
          <SelectField
            label="Whose balance"
            error={errors.responsibility?.message}
            {...register('responsibility')}
          >
            <option value="patient">Patient</option>
            <option value="insurance">Insurance</option>
          </SelectField>
        </div>
        <SelectField
          label="Charge"
          hint="Without a charge, the amount goes to the open charges oldest first."
          error={errors.chargeEntryId?.message}
          {...register('chargeEntryId')}
        >
          <option value="">Open charges, oldest first</option>
          {openCharges.map((c) => (
            <option key={c.entryId} value={c.entryId}>
              {chargeLabel(c)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Reason"
          autoComplete="off"
          hint={
            writeOff
              ? 'For example: small balance, hardship, uncollectable.'
              : 'For example: courtesy discount.'
          }
          error={errors.memo?.message}
          {...register('memo')}
        />
        <div className="button-row">
          <Button
            type="submit"
            variant={writeOff ? 'danger' : 'primary'}
            busy={isSubmitting}
            busyLabel="Posting…"
          >
            {writeOff ? 'Write off' : 'Post adjustment'}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
