import { useFieldArray } from 'react-hook-form';
import { useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { payerSchema } from '../../../../server/contracts/claims/api';
import {
  claimFilingIndicators,
  enrollmentStatusLabels,
  enrollmentStatuses,
  payerInputSchema,
} from '../../../../server/contracts/claims/setup';
import { call } from '../../../api/client';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { SelectField, TextField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { claimsSetupKeys } from './keys';

/** The contract's payer, with the timely-filing days typed as text (empty = the payer has no limit on file). */
const formSchema = payerInputSchema.omit({ address: true, timelyFilingDays: true }).extend({
  timelyFilingDays: z
    .string()
    .trim()
    .refine((t) => t === '' || (/^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 730), 'Enter whole days from 1 to 730, or leave it empty.'),
});
type Values = z.input<typeof formSchema>;
export type Payer = z.infer<typeof payerSchema>;

/** Server field paths that have a field here (up to 10 clearinghouses). */
const FIELDS = [
  'name',
  'claimFilingIndicator',
  'claimEnrollment',
  'eraEnrollment',
  'timelyFilingDays',
  'clearinghouseIds',
  ...Array.from({ length: 10 }, (_, i) => [`clearinghouseIds.${i}.clearinghouse`, `clearinghouseIds.${i}.payerId`] as const).flat(),
] as const;

const toValues = (p: Payer | null): Values => ({
  name: p?.name ?? '',
  clearinghouseIds: p?.clearinghouseIds.length ? p.clearinghouseIds : [{ clearinghouse: '', payerId: '' }],
  claimFilingIndicator: (p?.claimFilingIndicator ?? 'CI') as Values['claimFilingIndicator'],
  claimEnrollment: p?.claimEnrollment ?? 'not_enrolled',
  eraEnrollment: p?.eraEnrollment ?? 'not_enrolled',
  timelyFilingDays: p?.timelyFilingDays ? String(p.timelyFilingDays) : '',
});

/** Adds a payer, or changes one: its ids at each clearinghouse, the kind of plan and the enrollment for claims and ERAs. */
export function PayerDialog({ payer, onClose, onSaved }: { payer: Payer | null; onClose: () => void; onSaved: (text: string) => void }) {
  const queryClient = useQueryClient();
  const edit = useZodForm(formSchema, {
    defaultValues: toValues(payer),
    fields: FIELDS,
    onValid: async (v) => {
      const body = { ...v, timelyFilingDays: v.timelyFilingDays ? Number(v.timelyFilingDays) : null, address: payer?.address ?? null };
      const saved = payer ? await call('updateClaimPayer', { params: { id: payer.id }, body }) : await call('createClaimPayer', { body });
      void queryClient.invalidateQueries({ queryKey: claimsSetupKeys.payers });
      onSaved(payer ? `${saved.name} saved.` : `${saved.name} added.`);
    },
  });
  const {
    register,
    control,
    formState: { errors, isSubmitting },
  } = edit.form;
  const ids = useFieldArray({ control, name: 'clearinghouseIds' });
  const idsError = errors.clearinghouseIds?.root?.message ?? errors.clearinghouseIds?.message;
  return (
    <Dialog title={payer ? `Payer: ${payer.name}` : 'Add a payer'} onClose={onClose} testId="payer-dialog">
      <ZodForm form={edit} aria-label={payer ? 'Change payer' : 'Add a payer'}>
        <TextField label="Payer name" autoComplete="off" data-autofocus error={errors.name?.message} {...register('name')} />
        <fieldset className="fieldset">
          <legend className="field-label">Payer id at each clearinghouse</legend>
          {ids.fields.map((f, i) => (
            <div key={f.id} className="cs-row">
              <TextField label="Clearinghouse" fieldClassName="bs-w-m" autoComplete="off" error={errors.clearinghouseIds?.[i]?.clearinghouse?.message} {...register(`clearinghouseIds.${i}.clearinghouse`)} />
              <TextField label="Payer id" fieldClassName="bs-w-s" autoComplete="off" error={errors.clearinghouseIds?.[i]?.payerId?.message} {...register(`clearinghouseIds.${i}.payerId`)} />
              {ids.fields.length > 1 ? (
                <Button size="small" className="cs-row-button" onClick={() => ids.remove(i)} aria-label={`Remove clearinghouse ${i + 1}`}>
                  Remove
                </Button>
              ) : null}
            </div>
          ))}
          {idsError ? <p className="field-error">{idsError}</p> : null}
          <Button size="small" onClick={() => ids.append({ clearinghouse: '', payerId: '' })}>
            Add another clearinghouse
          </Button>
        </fieldset>
        <div className="cs-row">
          <SelectField label="Kind of plan" error={errors.claimFilingIndicator?.message} {...register('claimFilingIndicator')}>
            {Object.entries(claimFilingIndicators).map(([code, label]) => (
              <option key={code} value={code}>
                {label} ({code})
              </option>
            ))}
          </SelectField>
          <SelectField label="Enrolled for claims (837)" error={errors.claimEnrollment?.message} {...register('claimEnrollment')}>
            {enrollmentStatuses.map((s) => (
              <option key={s} value={s}>
                {enrollmentStatusLabels[s]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Enrolled for ERAs (835)" error={errors.eraEnrollment?.message} {...register('eraEnrollment')}>
            {enrollmentStatuses.map((s) => (
              <option key={s} value={s}>
                {enrollmentStatusLabels[s]}
              </option>
            ))}
          </SelectField>
          <TextField label="Timely filing (days)" fieldClassName="bs-w-s" inputMode="numeric" autoComplete="off" error={errors.timelyFilingDays?.message} {...register('timelyFilingDays')} />
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            {payer ? 'Save payer' : 'Add payer'}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
