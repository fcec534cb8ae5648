import { z } from 'zod';
import type { ServiceCode } from '../../../../server/contracts/billing/setup';
import type { VisitCharges } from '../../../../server/contracts/billing/charges';
import { call } from '../../../api/client';
import { Button } from '../../../ui/Button';
import { SelectField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';

const addLineSchema = z.object({ serviceCodeId: z.string().min(1, 'Choose a service code.') });

/**
 * Adds a charge line for a service code: a draft while the visit is open, a corrected line that posts at
 * once after it is closed. `children` holds what sits at the end of the row (the close button).
 */
export function AddChargeLineForm({
  encounterId,
  open,
  codes,
  onAdded,
  children,
}: {
  encounterId: string;
  open: boolean;
  codes: ServiceCode[];
  onAdded: (v: VisitCharges) => void;
  children?: React.ReactNode;
}) {
  const add = useZodForm(addLineSchema, {
    defaultValues: { serviceCodeId: '' },
    fields: ['serviceCodeId'],
    onValid: async (val) => {
      onAdded(await call('addChargeLine', { params: { id: encounterId }, body: val }));
      add.form.reset({ serviceCodeId: '' });
    },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = add.form;
  return (
    <ZodForm form={add} className="bs-inline-form" aria-label="Add a charge line">
      <SelectField
        label={open ? 'Add a line' : 'Add a corrected line (posts at once)'}
        fieldClassName="bs-w-l"
        error={errors.serviceCodeId?.message}
        {...register('serviceCodeId')}
      >
        <option value="">Choose a service code…</option>
        {codes.map((c) => (
          <option key={c.id} value={c.id}>
            {c.code} — {c.description}
          </option>
        ))}
      </SelectField>
      <Button type="submit" busy={isSubmitting} busyLabel="Adding…">
        Add line
      </Button>
      {children}
    </ZodForm>
  );
}
