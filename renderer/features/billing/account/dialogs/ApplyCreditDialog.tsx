import { z } from 'zod';
import { call } from '../../../../api/client';
import { Button } from '../../../../ui/Button';
import { Dialog } from '../../../../ui/Dialog';
import { SelectField } from '../../../../ui/Field';
import { useZodForm, ZodForm } from '../../../../ui/zod-form';
import { formatCents } from '../../billing-format';
import type { PostingDialogProps } from './common';

const applySchema = z.object({ mode: z.enum(['oldest_first', 'proportional']) });

/** Apply the account's unapplied credit to its open charges, oldest first or spread over them. */
export function ApplyCreditDialog({
  patientId,
  creditCents,
  openCents,
  onClose,
  onPosted,
}: PostingDialogProps & { creditCents: number; openCents: number }) {
  const apply = useZodForm(applySchema, {
    defaultValues: { mode: 'oldest_first' },
    fields: ['mode'],
    onValid: async (v) =>
      onPosted(await call('applyCredit', { params: { patientId }, body: { allocation: { mode: v.mode } } })),
  });
  const applies = Math.min(creditCents, openCents);
  return (
    <Dialog title="Apply credit" onClose={onClose} testId="apply-credit-dialog">
      <ZodForm form={apply}>
        <p>
          {formatCents(creditCents)} unapplied credit; {formatCents(openCents)} open on charges.{' '}
          <strong>{formatCents(applies)}</strong> will be applied.
        </p>
        <SelectField label="Apply to" data-autofocus {...apply.form.register('mode')}>
          <option value="oldest_first">Oldest charges first</option>
          <option value="proportional">Spread over open charges (largest remainder)</option>
        </SelectField>
        <div className="button-row">
          <Button
            type="submit"
            variant="primary"
            busy={apply.form.formState.isSubmitting}
            busyLabel="Applying…"
            disabled={applies <= 0}
          >
            Apply {formatCents(applies)}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
