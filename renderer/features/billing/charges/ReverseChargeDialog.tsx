import {
  chargeReverseSchema,
  type ChargeLine,
  type VisitCharges,
} from '../../../../server/contracts/billing/charges';
import { formatCents } from '../../../../server/contracts/billing/money';
import { call } from '../../../api/client';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { TextField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';

/** Reversing a posted charge line, with a reason: a reversal entry in the ledger; the line stays, marked reversed. */
export function ReverseChargeDialog({
  encounterId,
  line,
  onClose,
  onDone,
}: {
  encounterId: string;
  line: ChargeLine;
  onClose: () => void;
  onDone: (v: VisitCharges) => void;
}) {
  const reverse = useZodForm(chargeReverseSchema, {
    defaultValues: { reason: '' },
    fields: ['reason'],
    onValid: async (val) =>
      onDone(await call('reverseChargeLine', { params: { id: encounterId, lineId: line.id }, body: val })),
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = reverse.form;
  return (
    <Dialog title={`Reverse ${line.code} (${formatCents(line.amountCents)})?`} onClose={onClose}>
      <ZodForm form={reverse}>
        <p className="small">
          A reversal entry undoes the charge in the ledger; the line stays, marked reversed.
        </p>
        <TextField label="Reason" autoFocus error={errors.reason?.message} {...register('reason')} />
        <div className="button-row">
          <Button type="submit" variant="danger" busy={isSubmitting} busyLabel="Reversing…">
            Reverse charge
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
