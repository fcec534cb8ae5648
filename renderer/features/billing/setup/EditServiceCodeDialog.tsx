import { useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { ServiceCode } from '../../../../server/contracts/billing/setup';
import { call } from '../../../api/client';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { TextField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { billingSetupKeys } from './money-field';

const wholeNumber = (what: string, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, `Enter whole ${what}.`)
    .refine(
      (t) => Number(t) >= 1 && Number(t) <= max,
      `Between 1 and ${max.toLocaleString('en-US')} ${what}.`,
    );

const schema = z.object({
  description: z
    .string()
    .trim()
    .min(1, 'Describe the service (it is printed on invoices and superbills).')
    .max(200, 'At most 200 characters.'),
  defaultUnits: wholeNumber('units', 99),
  defaultMinutes: z.union([z.literal(''), wholeNumber('minutes', 1440)]),
});

/**
 * Change a service code's description (printed on invoices and superbills; lines already on visits keep
 * theirs), default units and minutes. The code itself names the service on claims, so it stays: a code
 * entered wrongly is retired and added again.
 */
export function EditServiceCodeDialog({
  code,
  onClose,
  onSaved,
}: {
  code: ServiceCode;
  onClose: () => void;
  onSaved: (text: string) => void;
}) {
  const queryClient = useQueryClient();
  const edit = useZodForm(schema, {
    defaultValues: {
      description: code.description,
      defaultUnits: String(code.defaultUnits),
      defaultMinutes: code.defaultMinutes === null ? '' : String(code.defaultMinutes),
    },
    fields: ['description', 'defaultUnits', 'defaultMinutes'],
    onValid: async (v) => {
      const saved = await call('updateServiceCode', {
        params: { id: code.id },
        body: {
          description: v.description,
          defaultUnits: Number(v.defaultUnits),
          defaultMinutes: v.defaultMinutes === '' ? null : Number(v.defaultMinutes),
        },
      });
      void queryClient.invalidateQueries({ queryKey: billingSetupKeys.all });
      onSaved(`${saved.code} saved.`);
    },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = edit.form;
  return (
    <Dialog title={`Service code ${code.code}`} onClose={onClose} testId="edit-service-code-dialog">
      <ZodForm form={edit}>
        <TextField
          label="Description"
          autoComplete="off"
          data-autofocus
          hint="Printed on invoices and superbills; never sent to the card processor."
          error={errors.description?.message}
          {...register('description')}
        />
        <div className="form-grid">
          <TextField
            label="Default units"
            inputMode="numeric"
            autoComplete="off"
            error={errors.defaultUnits?.message}
            {...register('defaultUnits')}
          />
          <TextField
            label="Minutes"
            inputMode="numeric"
            autoComplete="off"
            error={errors.defaultMinutes?.message}
            {...register('defaultMinutes')}
          />
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            Save code
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
