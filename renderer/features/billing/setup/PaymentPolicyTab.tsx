import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  paymentPolicyModeLabels,
  paymentPolicyModes,
  type PaymentPolicy,
} from '../../../../server/contracts/billing/setup';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Checkbox, Fieldset, TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';
import { useLeaveGuard } from '../../../ui/use-leave-guard';
import { Loading } from '../../../ui/Page';
import { billingSetupKeys, centsOf, moneyText, moneyValue } from './money-field';

const formSchema = z.object({
  mode: z.enum(paymentPolicyModes, { message: 'Choose off, warn or block.' }),
  atVisitStart: z.boolean(),
  atNoteSigning: z.boolean(),
  tolerance: moneyText(),
  insuranceClears: z.boolean(),
});
type Values = z.input<typeof formSchema>;

/** The clinic's payment policy: off, warn or block a visit's start or its note's signing until paid. */
export function PaymentPolicyTab({ canManage }: { canManage: boolean }) {
  const policy = useQuery({ queryKey: billingSetupKeys.policy, queryFn: () => call('getPaymentPolicy') });
  return (
    <section className="bs-section" aria-labelledby="bs-policy-title">
      <h2 id="bs-policy-title" className="section-title">
        Payment policy
      </h2>
      {policy.isPending ? <Loading /> : null}
      {policy.isError ? <Alert tone="error">{errorMessage(policy.error)}</Alert> : null}
      {policy.data ? <PolicyForm initial={policy.data} canManage={canManage} /> : null}
    </section>
  );
}

function PolicyForm({ initial, canManage }: { initial: PaymentPolicy; canManage: boolean }) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const toValues = (p: PaymentPolicy): Values => ({ ...p, tolerance: moneyValue(p.toleranceCents) });
  const {
    register,
    handleSubmit,
    setError,
    watch,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<Values>({ resolver: zodResolver(formSchema), defaultValues: toValues(initial) });
  useLeaveGuard(isDirty);
  const { banner, report, clear } = useServerErrors(
    { setError, watch },
    ['mode', 'atVisitStart', 'atNoteSigning', 'tolerance', 'insuranceClears'],
    { toleranceCents: 'tolerance' },
  );
  const submit = handleSubmit(async (v) => {
    clear();
    setSaved(false);
    try {
      const next = await call('updatePaymentPolicy', {
        body: {
          mode: v.mode,
          atVisitStart: v.atVisitStart,
          atNoteSigning: v.atNoteSigning,
          toleranceCents: centsOf(v.tolerance),
          insuranceClears: v.insuranceClears,
        },
      });
      queryClient.setQueryData(billingSetupKeys.policy, next);
      reset(toValues(next));
      setSaved(true);
    } catch (e) {
      report(e);
    }
  });
  return (
    <form className="form form-narrow" onSubmit={(e) => void submit(e)} noValidate aria-label="Payment policy">
      <p className="muted small">
        Choose whether an unpaid balance stops a visit from starting or its note from being signed. A visit is cleared when the patient owes nothing (within the tolerance), has insurance in effect on the
        visit date, a claim exists for it, or a biller or administrator overrides with a reason. Every override
        is in the audit log.
      </p>
      {saved && !isDirty ? <Alert tone="success">Payment policy saved. Other workstations apply it after their next sync.</Alert> : null}
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <fieldset className="fieldset" disabled={!canManage}>
        <legend className="field-label">When the patient owes money</legend>
        {paymentPolicyModes.map((m) => (
          <label key={m} className="checkbox">
            <input type="radio" value={m} {...register('mode')} /> {paymentPolicyModeLabels[m]}
          </label>
        ))}
        {errors.mode?.message ? <p className="field-error">{errors.mode.message}</p> : null}
      </fieldset>
      <Fieldset legend="Where it applies" className="checkbox-row">
        <Checkbox label="Starting a visit (Start visit, With provider)" disabled={!canManage} {...register('atVisitStart')} />
        <Checkbox label="Signing the visit’s note" disabled={!canManage} {...register('atNoteSigning')} />
      </Fieldset>
      <div className="form-grid">
        <TextField
          label="Tolerance ($)"
          hint="A due amount at or below this counts as paid."
          inputMode="decimal"
          disabled={!canManage}
          error={errors.tolerance?.message}
          {...register('tolerance')}
        />
        <div>
          <Checkbox label="Insurance in effect on the visit date clears the visit" disabled={!canManage} {...register('insuranceClears')} />
        </div>
      </div>
      {canManage ? (
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            Save policy
          </Button>
        </div>
      ) : null}
    </form>
  );
}
