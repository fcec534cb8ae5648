import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useController, useForm, useWatch, type Control } from 'react-hook-form';
import { z } from 'zod';
import type { AppointmentType, Provider } from '../../../server/contracts/scheduling';
import {
  selfBookingTypeSchema,
  type PortalSchedulingSettings,
  type SelfBookingPolicy,
} from '../../../server/contracts/portal/self-booking';
import { useQueryClient } from '@tanstack/react-query';
import { call } from '../../api/client';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Checkbox, Fieldset, TextField } from '../../ui/Field';
import { formErrorMessage, placeFieldErrors } from '../../ui/form';

/** One row per appointment type, as typed; only the allowed rows are checked and sent. */
const rowSchema = z.object({
  appointmentTypeId: z.string(),
  allowed: z.boolean(),
  providerIds: z.array(z.string()),
  maxDaysAhead: z.string(),
  minNoticeHours: z.string(),
});
type Row = z.infer<typeof rowSchema>;
const ROW_FIELDS = ['providerIds', 'maxDaysAhead', 'minNoticeHours'] as const;

const wholeNumber = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.trim()));

/** The rows with the contract's rules applied to each allowed type (sentences under their fields). */
const formSchema = z
  .object({ rows: z.array(rowSchema) })
  .superRefine((v, ctx) => {
    v.rows.forEach((r, i) => {
      if (!r.allowed) return;
      const checked = selfBookingTypeSchema.safeParse(toType(r));
      for (const issue of checked.success ? [] : checked.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['rows', i, String(issue.path[0])] });
    });
  })
  .transform((v): SelfBookingPolicy => ({ types: v.rows.filter((r) => r.allowed).map(toType) }));
type FormInput = z.input<typeof formSchema>;

function toType(r: Row) {
  return {
    appointmentTypeId: r.appointmentTypeId,
    providerIds: r.providerIds,
    maxDaysAhead: wholeNumber(r.maxDaysAhead),
    minNoticeHours: wholeNumber(r.minNoticeHours),
  };
}

function rowsFrom(types: AppointmentType[], policy: SelfBookingPolicy): Row[] {
  return types.map((ty) => {
    const set = policy.types.find((x) => x.appointmentTypeId === ty.id);
    return {
      appointmentTypeId: ty.id,
      allowed: !!set,
      providerIds: set?.providerIds ?? [],
      maxDaysAhead: String(set?.maxDaysAhead ?? 14),
      minNoticeHours: String(set?.minNoticeHours ?? 24),
    };
  });
}

/**
 * Admin > Portal scheduling, "Online booking": per appointment type, whether patients may book it in the
 * portal, with which clinicians, how many days ahead and with how much notice. One PUT with the allowed
 * types (the server checks the same rules and that the types and clinicians exist).
 */
export function SelfBookingForm({
  initial,
  types,
  providers,
}: {
  initial: PortalSchedulingSettings;
  types: AppointmentType[];
  providers: Provider[];
}) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  // Types and clinicians in use, plus any inactive one the setting still names (so it can be removed).
  const named = new Set(initial.selfBooking.types.flatMap((t) => [t.appointmentTypeId, ...t.providerIds]));
  const shownTypes = types.filter((t) => t.active || named.has(t.id));
  const shownProviders = providers.filter((p) => p.active || named.has(p.id));
  const form = useForm<FormInput, unknown, SelfBookingPolicy>({
    resolver: zodResolver(formSchema),
    defaultValues: { rows: rowsFrom(shownTypes, initial.selfBooking) },
  });
  const { register, formState } = form;
  const rows = useWatch({ control: form.control, name: 'rows' });
  const onSubmit = form.handleSubmit(async (policy) => {
    setSaved(false);
    setBanner(null);
    try {
      const next = await call('updateSelfBooking', { body: policy });
      queryClient.setQueryData(keys.portalSchedulingSettings, next);
      form.reset({ rows: rowsFrom(shownTypes, next.selfBooking) });
      setSaved(true);
    } catch (err) {
      // The server numbers the allowed types only; its `types.k.field` is the k-th allowed row's field.
      const allowedRows = rows.flatMap((r, i) => (r.allowed ? [i] : []));
      const aliases: Record<string, `rows.${number}.${(typeof ROW_FIELDS)[number] | 'allowed'}`> = {};
      allowedRows.forEach((i, k) => {
        for (const f of ROW_FIELDS) aliases[`types.${k}.${f}`] = `rows.${i}.${f}`;
        aliases[`types.${k}.appointmentTypeId`] = `rows.${i}.allowed`;
      });
      const unplaced = placeFieldErrors(err, form.setError, () => false, aliases);
      const left = Object.values(unplaced);
      const placedAny = Object.keys((err as { fields?: object }).fields ?? {}).length > left.length;
      if (left.length || !placedAny) setBanner(left[0] ?? formErrorMessage(err));
    }
  });
  return (
    <form
      className="form form-narrow"
      noValidate
      aria-labelledby="self-booking-title"
      onSubmit={(e) => void onSubmit(e)}
    >
      <h2 id="self-booking-title" className="section-title">
        Online booking
      </h2>
      <p>
        Patients book an open time themselves in the portal: the clinician’s working hours, minus what is
        booked and blocked. Leave every type off to keep online booking off.
      </p>
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      {saved && !formState.isDirty ? (
        <Alert tone="success" testId="self-booking-saved">
          Online booking saved. The portal offers it once this workstation has synced.
        </Alert>
      ) : null}
      {shownTypes.length === 0 ? (
        <p className="field-hint">Add appointment types in Scheduling setup first.</p>
      ) : null}
      {shownTypes.map((ty, i) => {
        const errors = formState.errors.rows?.[i];
        const allowed = rows[i]?.allowed ?? false;
        return (
          <fieldset key={ty.id} className="panel self-booking-type" data-testid="self-booking-type">
            <legend className="self-booking-legend">
              {ty.name} <span className="field-hint">({ty.durationMinutes} min)</span>
            </legend>
            <Checkbox
              label="Patients may book this online"
              error={errors?.allowed?.message}
              {...register(`rows.${i}.allowed`)}
            />
            {allowed ? (
              <>
                <ClinicianChoices
                  control={form.control}
                  index={i}
                  providers={shownProviders}
                  error={errors?.providerIds?.message}
                />
                <div className="form-grid">
                  <TextField
                    label="Days ahead patients may book"
                    hint="1 to 180 days, counted from today."
                    inputMode="numeric"
                    error={errors?.maxDaysAhead?.message}
                    {...register(`rows.${i}.maxDaysAhead`)}
                  />
                  <TextField
                    label="Minimum notice (hours)"
                    hint="0 to 336. No online booking closer to the start."
                    inputMode="numeric"
                    error={errors?.minNoticeHours?.message}
                    {...register(`rows.${i}.minNoticeHours`)}
                  />
                </div>
              </>
            ) : null}
          </fieldset>
        );
      })}
      <div className="button-row">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Saving…">
          Save online booking
        </Button>
      </div>
    </form>
  );
}

/** The clinicians patients may book for one type: a checkbox each, one error for the group. */
function ClinicianChoices({
  control,
  index,
  providers,
  error,
}: {
  control: Control<FormInput, unknown, SelfBookingPolicy>;
  index: number;
  providers: Provider[];
  error: string | undefined;
}) {
  const { field } = useController({ control, name: `rows.${index}.providerIds` });
  const chosen = field.value;
  return (
    <Fieldset legend="Clinicians patients may book" error={error} className="checkbox-row">
      {providers.length === 0 ? <p className="field-hint">No clinicians yet.</p> : null}
      {providers.map((p) => (
        <Checkbox
          key={p.id}
          label={p.name}
          name={field.name}
          checked={chosen.includes(p.id)}
          onBlur={field.onBlur}
          onChange={(e) =>
            field.onChange(e.target.checked ? [...chosen, p.id] : chosen.filter((id: string) => id !== p.id))
          }
        />
      ))}
    </Fieldset>
  );
}
