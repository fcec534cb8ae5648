import { z } from 'zod';
import { formatCents } from '../../../../server/contracts/billing/money';
import type { ChargeLine, VisitCharges } from '../../../../server/contracts/billing/charges';
import { modifierSchema, placeOfServiceCodeSchema } from '../../../../server/contracts/billing/setup';
import { call } from '../../../api/client';
import { Button } from '../../../ui/Button';
import { TextField } from '../../../ui/Field';
import { formatCalendarDate } from '../../../ui/format';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { centsOf, moneyText, moneyValue } from '../setup/money-field';
import { splitModifiers } from '../setup/PosRulesTab';

/** "1, 2" -> [1, 2]. */
const splitPointers = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((p) => Number(p));

const lineSchema = z.object({
  units: z
    .number({ message: 'Enter the units.' })
    .int('Whole units.')
    .min(1, 'At least 1.')
    .max(99, 'At most 99.'),
  modifiers: z
    .string()
    .refine(
      (t) => splitModifiers(t).every((m) => modifierSchema.safeParse(m).success),
      'Two letters or digits each.',
    )
    .refine((t) => splitModifiers(t).length <= 4, 'At most 4 modifiers on a line.'),
  pointers: z
    .string()
    .refine((t) => /^\s*\d+(\s*[, ]\s*\d+)*\s*$/.test(t), 'Diagnosis numbers, like 1, 2.')
    .refine((t) => splitPointers(t).length <= 4, 'At most 4 diagnoses per line.'),
  placeOfService: placeOfServiceCodeSchema,
  fee: moneyText(),
});

/**
 * One draft charge line, edited in place: a row of fields tied to the row's own form (Enter or Save sends
 * it), the server's refusals placed under the field they concern.
 */
export function ChargeLineRow({
  line,
  encounterId,
  onSaved,
  onRemove,
}: {
  line: ChargeLine;
  encounterId: string;
  onSaved: (v: VisitCharges) => void;
  onRemove: () => void;
}) {
  const edit = useZodForm(lineSchema, {
    defaultValues: {
      units: line.units,
      modifiers: line.modifiers.join(', '),
      pointers: line.diagnosisPointers.join(', '),
      placeOfService: line.placeOfService,
      fee: moneyValue(line.unitFeeCents),
    },
    fields: ['units', 'modifiers', 'pointers', 'placeOfService', 'fee'],
    aliases: { diagnosisPointers: 'pointers', unitFeeCents: 'fee' },
    onValid: async (val) => {
      const fee = centsOf(val.fee);
      onSaved(
        await call('updateChargeLine', {
          params: { id: encounterId, lineId: line.id },
          body: {
            units: val.units,
            modifiers: splitModifiers(val.modifiers),
            diagnosisPointers: splitPointers(val.pointers),
            placeOfService: val.placeOfService,
            ...(fee !== line.unitFeeCents && { unitFeeCents: fee }),
          },
        }),
      );
    },
  });
  const {
    register,
    formState: { errors, isSubmitting, isDirty },
  } = edit.form;
  const formId = `line-${line.id}`;
  const label = (what: string) => <span className="visually-hidden">{`${what} of ${line.code}`}</span>;
  return (
    <tr data-testid={`charge-line-${line.code}`}>
      <th scope="row">
        {/* The row's own form: its fields sit in the cells and join it with the `form` attribute. */}
        <ZodForm form={edit} id={formId} className="charge-line-form">
          {null}
        </ZodForm>
        <span className="bs-code">{line.code}</span> <span className="bs-sub">{line.description}</span>
        <span className="bs-sub bs-block">
          {line.renderingProviderName} · {formatCalendarDate(line.dateOfService)}
        </span>
      </th>
      <td className="cell-units">
        <TextField
          form={formId}
          label={label('Units')}
          type="number"
          inputMode="numeric"
          error={errors.units?.message}
          {...register('units', { valueAsNumber: true })}
        />
      </td>
      <td className="cell-mods">
        <TextField
          form={formId}
          label={label('Modifiers')}
          error={errors.modifiers?.message}
          {...register('modifiers')}
        />
      </td>
      <td className="cell-ptr">
        <TextField
          form={formId}
          label={label('Diagnosis pointers')}
          error={errors.pointers?.message}
          {...register('pointers')}
        />
      </td>
      <td className="cell-pos">
        <TextField
          form={formId}
          label={label('Place of service')}
          error={errors.placeOfService?.message}
          {...register('placeOfService')}
        />
      </td>
      <td className="cell-fee">
        <TextField
          form={formId}
          label={label('Fee per unit')}
          inputMode="decimal"
          error={errors.fee?.message}
          {...register('fee')}
        />
      </td>
      <td className="num money">{formatCents(line.amountCents)}</td>
      <td>
        <span className="status-chip status-draft">{line.feeSource === 'none' ? 'No fee' : 'Draft'}</span>
      </td>
      <td className="nowrap">
        <Button
          size="small"
          type="submit"
          form={formId}
          variant={isDirty ? 'primary' : 'secondary'}
          busy={isSubmitting}
          busyLabel="Saving…"
          aria-label={`Save ${line.code}`}
        >
          Save
        </Button>{' '}
        <Button
          size="small"
          variant="link"
          onClick={onRemove}
          aria-label={`Remove ${line.code}`}
          title="Remove this line"
        >
          ✕
        </Button>
      </td>
    </tr>
  );
}
