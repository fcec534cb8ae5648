import { z } from 'zod';
import { ledgerEntryKinds } from '../../../../server/contracts/billing/ledger';
import { Button } from '../../../ui/Button';
import { Checkbox, SelectField, TextField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { ledgerEntryKindLabels } from '../billing-format';

const optionalDate = z.union([z.literal(''), z.iso.date({ message: 'Use a date like 2026-03-31.' })]);
const filterSchema = z
  .object({
    from: optionalDate,
    to: optionalDate,
    kind: z.union([z.literal(''), z.enum(ledgerEntryKinds)]),
    responsibility: z.enum(['', 'patient', 'insurance']),
    hideReversed: z.boolean(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    path: ['to'],
    message: 'The end date is before the start date.',
  });
export type LedgerFilterValues = z.output<typeof filterSchema>;
export const noLedgerFilters: LedgerFilterValues = {
  from: '',
  to: '',
  kind: '',
  responsibility: '',
  hideReversed: false,
};

/** Filters that narrow the ledger's rows (never its running balance): dates, type, whose, hide reversed. */
export function LedgerFilters({
  initial,
  onApply,
}: {
  initial: LedgerFilterValues;
  onApply: (f: LedgerFilterValues) => void;
}) {
  const filters = useZodForm(filterSchema, {
    defaultValues: initial,
    fields: ['from', 'to', 'kind', 'responsibility', 'hideReversed'],
    onValid: async (v) => onApply(v),
  });
  const {
    register,
    reset,
    formState: { errors },
  } = filters.form;
  return (
    <ZodForm form={filters} className="filters ledger-filters" aria-label="Ledger filters">
      <TextField label="From" type="date" error={errors.from?.message} {...register('from')} />
      <TextField label="To" type="date" error={errors.to?.message} {...register('to')} />
      <SelectField label="Type" {...register('kind')}>
        <option value="">All types</option>
        {ledgerEntryKinds.map((k) => (
          <option key={k} value={k}>
            {ledgerEntryKindLabels[k]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Whose" {...register('responsibility')}>
        <option value="">Patient and insurance</option>
        <option value="patient">Patient</option>
        <option value="insurance">Insurance</option>
      </SelectField>
      <Checkbox label="Hide reversed" {...register('hideReversed')} />
      <div className="filters-buttons">
        <Button type="submit" size="small">
          Apply
        </Button>
        <Button
          size="small"
          onClick={() => {
            reset(noLedgerFilters);
            onApply(noLedgerFilters);
          }}
        >
          Clear
        </Button>
      </div>
    </ZodForm>
  );
}
