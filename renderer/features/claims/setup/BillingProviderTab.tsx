import { useState } from 'react';
import { FormProvider } from 'react-hook-form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  billingProviderInputSchema,
  claimAddressSchema,
} from '../../../../server/contracts/claims/setup';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Checkbox, Fieldset, TextField } from '../../../ui/Field';
import { Loading } from '../../../ui/Page';
import { useLeaveGuard } from '../../../ui/use-leave-guard';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { AddressFields, addressInput, addressValues, emptyAddress } from './AddressFields';
import { claimsSetupKeys } from './keys';

type Saved = NonNullable<Awaited<ReturnType<typeof fetchProvider>>['billingProvider']>;
const fetchProvider = () => call('getBillingProvider');

const looseAddress = z.object({
  line1: z.string(),
  line2: z.string().nullable().optional(),
  city: z.string(),
  state: z.string(),
  postalCode: z.string(),
});

/** The contract's billing provider, with the pay-to address checked only when it differs. */
const formSchema = billingProviderInputSchema
  .omit({ payToAddress: true })
  .extend({ payToDifferent: z.boolean(), payToAddress: looseAddress })
  .superRefine((v, ctx) => {
    if (!v.payToDifferent) return;
    const r = claimAddressSchema.safeParse(v.payToAddress);
    if (!r.success)
      for (const issue of r.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['payToAddress', ...issue.path] });
  });
type Values = z.input<typeof formSchema>;

const toValues = (b: Saved | null): Values => ({
  organizationName: b?.organizationName ?? '',
  npi: b?.npi ?? '',
  taxId: b ? `${b.taxId.slice(0, 2)}-${b.taxId.slice(2)}` : '',
  taxonomy: b?.taxonomy ?? '',
  address: addressValues(b?.address),
  payToDifferent: Boolean(b?.payToAddress),
  payToAddress: b?.payToAddress ? addressValues(b.payToAddress) : { ...emptyAddress },
  contactName: b?.contactName ?? '',
  contactPhone: b?.contactPhone ?? '',
});

const FIELDS = [
  'organizationName',
  'npi',
  'taxId',
  'taxonomy',
  'address.line1',
  'address.line2',
  'address.city',
  'address.state',
  'address.postalCode',
  'payToAddress.line1',
  'payToAddress.line2',
  'payToAddress.city',
  'payToAddress.state',
  'payToAddress.postalCode',
  'contactName',
  'contactPhone',
] as const;

/**
 * The billing provider (837P loop 2010AA: the organisation's NPI, EIN, taxonomy and ZIP+4 address) and the
 * pay-to address (2010AB) when payments go elsewhere, with the contact the clearinghouse calls.
 */
export function BillingProviderTab({ canManage }: { canManage: boolean }) {
  const provider = useQuery({ queryKey: claimsSetupKeys.billingProvider, queryFn: fetchProvider });
  return (
    <section className="bs-section" aria-labelledby="cs-bp-title">
      <h2 id="cs-bp-title" className="section-title">
        Billing and pay-to provider
      </h2>
      <p className="muted small">
        The organisation every claim is billed under. The NPI is the group’s (type 2) NPI from NPPES; the ZIP
        code needs all 9 digits.
      </p>
      {provider.isPending ? <Loading /> : null}
      {provider.isError ? <Alert tone="error">{errorMessage(provider.error)}</Alert> : null}
      {provider.data ? <ProviderForm saved={provider.data.billingProvider} canManage={canManage} /> : null}
    </section>
  );
}

function ProviderForm({ saved, canManage }: { saved: Saved | null; canManage: boolean }) {
  const queryClient = useQueryClient();
  const [done, setDone] = useState(false);
  const edit = useZodForm(formSchema, {
    defaultValues: toValues(saved),
    fields: FIELDS,
    onValid: async ({ payToDifferent, payToAddress, address, ...v }) => {
      setDone(false);
      const next = await call('saveBillingProvider', {
        body: { ...v, address: addressInput(address), payToAddress: payToDifferent ? addressInput(payToAddress) : null },
      });
      queryClient.setQueryData(claimsSetupKeys.billingProvider, { billingProvider: next });
      edit.form.reset(toValues(next));
      setDone(true);
    },
  });
  const {
    register,
    watch,
    formState: { errors, isSubmitting, isDirty },
  } = edit.form;
  useLeaveGuard(isDirty);
  const disabled = !canManage;
  return (
    <FormProvider {...edit.form}>
      <ZodForm form={edit} aria-label="Billing provider">
        {done && !isDirty ? <Alert tone="success">Billing provider saved. New claims carry it.</Alert> : null}
        {!saved && !isDirty ? <Alert tone="info">No billing provider yet: claims are refused until it is set up.</Alert> : null}
        <div className="cs-row">
          <TextField label="Organisation name" fieldClassName="bs-w-l" disabled={disabled} autoComplete="off" error={errors.organizationName?.message} {...register('organizationName')} />
          <TextField label="NPI" fieldClassName="bs-w-s" disabled={disabled} autoComplete="off" inputMode="numeric" maxLength={10} error={errors.npi?.message} {...register('npi')} />
          <TextField label="Tax id (EIN)" fieldClassName="bs-w-s" disabled={disabled} autoComplete="off" error={errors.taxId?.message} {...register('taxId')} />
          <TextField label="Taxonomy" fieldClassName="bs-w-s" disabled={disabled} autoComplete="off" hint="e.g. 101YM0800X" error={errors.taxonomy?.message} {...register('taxonomy')} />
        </div>
        <Fieldset legend="Billing address">
          <AddressFields prefix="address" disabled={disabled} zipHint="ZIP+4, like 62701-1234" />
        </Fieldset>
        <Checkbox label="Payments go to a different address (pay-to provider)" disabled={disabled} {...register('payToDifferent')} />
        {watch('payToDifferent') ? (
          <Fieldset legend="Pay-to address">
            <AddressFields prefix="payToAddress" disabled={disabled} />
          </Fieldset>
        ) : null}
        <div className="cs-row">
          <TextField label="Contact name" fieldClassName="bs-w-m" disabled={disabled} autoComplete="off" error={errors.contactName?.message} {...register('contactName')} />
          <TextField label="Contact phone" fieldClassName="bs-w-m" disabled={disabled} autoComplete="off" inputMode="tel" error={errors.contactPhone?.message} {...register('contactPhone')} />
        </div>
        {canManage ? (
          <div className="button-row">
            <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
              Save billing provider
            </Button>
          </div>
        ) : null}
      </ZodForm>
    </FormProvider>
  );
}
