import { useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  encounterModalityLabels,
  modifierSchema,
  placeOfServiceCodeSchema,
  type PosRule,
} from '../../../../server/contracts/billing/setup';
import { call } from '../../../api/client';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { TextField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { billingSetupKeys } from './money-field';
import { splitModifiers } from './PosRulesTab';

const schema = z.object({
  placeOfService: placeOfServiceCodeSchema,
  modifiers: z
    .string()
    .refine(
      (t) => splitModifiers(t).every((m) => modifierSchema.safeParse(m).success),
      'A modifier is two letters or digits, like 95 or GT.',
    )
    .refine((t) => splitModifiers(t).length <= 4, 'At most 4 modifiers on a line.'),
});

/**
 * Change one payer's rule for a modality in place — its place of service and modifiers (a payer that
 * starts wanting POS 10 for telehealth at home); the payer and modality name the rule, so they stay.
 */
export function EditPosRuleDialog({
  rule,
  onClose,
  onSaved,
}: {
  rule: PosRule;
  onClose: () => void;
  onSaved: (text: string) => void;
}) {
  const queryClient = useQueryClient();
  const edit = useZodForm(schema, {
    defaultValues: { placeOfService: rule.placeOfService, modifiers: rule.modifiers.join(', ') },
    fields: ['placeOfService', 'modifiers'],
    onValid: async (v) => {
      const saved = await call('updatePosRule', {
        params: { id: rule.id },
        body: { placeOfService: v.placeOfService, modifiers: splitModifiers(v.modifiers) },
      });
      void queryClient.invalidateQueries({ queryKey: billingSetupKeys.pos });
      onSaved(
        `${saved.payerId ?? 'Every payer'}, ${encounterModalityLabels[saved.modality]}: place of service ${saved.placeOfService}${saved.modifiers.length ? ` with ${saved.modifiers.join(', ')}` : ''}.`,
      );
    },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = edit.form;
  return (
    <Dialog
      title={`Rule for ${rule.payerId ?? 'every payer'}`}
      description={encounterModalityLabels[rule.modality]}
      onClose={onClose}
      testId="edit-pos-rule-dialog"
    >
      <ZodForm form={edit}>
        <div className="form-grid">
          <TextField
            label="Place of service"
            autoComplete="off"
            data-autofocus
            error={errors.placeOfService?.message}
            {...register('placeOfService')}
          />
          <TextField
            label="Modifiers"
            hint="Up to 4, separated by commas: 95, GT."
            autoComplete="off"
            error={errors.modifiers?.message}
            {...register('modifiers')}
          />
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            Save rule
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
