import { z } from 'zod';
import type { AccountEntry } from '../../../../../server/contracts/billing/ledger';
import { call } from '../../../../api/client';
import { Button } from '../../../../ui/Button';
import { Dialog } from '../../../../ui/Dialog';
import { TextField } from '../../../../ui/Field';
import { useZodForm, ZodForm } from '../../../../ui/zod-form';
import { formatCents, ledgerEntryKindLabels } from '../../billing-format';
import { reasonSchema, type PostingDialogProps } from './common';

const reverseSchema = z.object({ reason: reasonSchema });

/** Reverse one entry with a reason: a new entry that undoes it (the ledger is append-only). */
export function ReverseDialog({
  patientId,
  entry,
  onClose,
  onPosted,
}: PostingDialogProps & { entry: AccountEntry }) {
  const reverse = useZodForm(reverseSchema, {
    defaultValues: { reason: '' },
    fields: ['reason'],
    onValid: async (v) =>
      onPosted(await call('reverseLedgerEntry', { params: { patientId, entryId: entry.id }, body: v })),
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = reverse.form;
  return (
    <Dialog
      title={`Reverse ${ledgerEntryKindLabels[entry.kind].toLowerCase()} of ${formatCents(entry.amountCents)}`}
      onClose={onClose}
      testId="reverse-dialog"
      description="A reversal is a new entry that undoes this one; both stay on the ledger. Payments applied to it are taken back first and become credit."
    >
      <ZodForm form={reverse}>
        <TextField
          label="Reason"
          autoComplete="off"
          data-autofocus
          error={errors.reason?.message}
          {...register('reason')}
        />
        <div className="button-row">
          <Button type="submit" variant="danger" busy={isSubmitting} busyLabel="Reversing…">
            Reverse
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
