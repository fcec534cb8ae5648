import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { BillingDocumentSettings } from '../../../../server/contracts/billing/documents';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';
import { Loading } from '../../../ui/Page';

const settingsSchema = z.object({
  address: z.string().max(400),
  phone: z.string().max(40),
  email: z.string().max(200),
  taxId: z
    .string()
    .trim()
    .regex(/^(\d{2}-\d{7})?$/, 'Enter the tax ID (EIN) as 12-3456789, or leave it empty.'),
  npi: z
    .string()
    .trim()
    .regex(/^(\d{10})?$/, 'An NPI has 10 digits.'),
  payableTo: z.string().max(120),
  payInstructions: z.string().max(1000),
  dueDays: z.string().regex(/^\d{1,2}$/, 'Enter a number of days up to 90.'),
});
type SettingsValues = z.input<typeof settingsSchema>;

/** What documents print about the clinic (address, tax ID, NPI, how to pay), for `billing.manage`. */
export function DocumentSettingsPanel() {
  const settings = useQuery({
    queryKey: ['billing-document-settings'],
    queryFn: ({ signal }) => call('getBillingDocumentSettings', { signal }),
  });
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title" className="section-title">
        What documents print about the clinic
      </h2>
      {settings.isError ? <Alert tone="error">{errorMessage(settings.error)}</Alert> : null}
      {settings.data ? <DocumentSettingsForm settings={settings.data} /> : <Loading />}
    </section>
  );
}

function DocumentSettingsForm({ settings }: { settings: BillingDocumentSettings }) {
  const qc = useQueryClient();
  const [saved, setSaved] = useState(false);
  const form = useForm<SettingsValues>({
    resolver: zodResolver(settingsSchema),
    defaultValues: {
      address: settings.addressLines.join('\n'),
      phone: settings.phone,
      email: settings.email,
      taxId: settings.taxId,
      npi: settings.npi,
      payableTo: settings.payableTo,
      payInstructions: settings.payInstructions,
      dueDays: String(settings.dueDays),
    },
  });
  const { banner, report, clear } = useServerErrors(
    form,
    ['phone', 'email', 'taxId', 'npi', 'payableTo', 'payInstructions', 'dueDays'],
    {
      addressLines: 'address',
    },
  );
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async (v) => {
    clear();
    setSaved(false);
    try {
      await call('updateBillingDocumentSettings', {
        body: {
          ...settings,
          addressLines: v.address
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
            .slice(0, 3),
          phone: v.phone,
          email: v.email,
          taxId: v.taxId,
          npi: v.npi,
          payableTo: v.payableTo,
          payInstructions: v.payInstructions,
          dueDays: Number(v.dueDays),
        },
      });
      setSaved(true);
      void qc.invalidateQueries({ queryKey: ['billing-document-settings'] });
    } catch (err) {
      report(err);
    }
  });
  return (
    <form className="form settings-form" noValidate onSubmit={(e) => void submit(e)}>
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      {saved ? <Alert tone="success">Saved. Documents made from now on print these.</Alert> : null}
      <div className="settings-grid">
        <div className="field">
          <label className="field-label" htmlFor="doc-address">
            Address (up to 3 lines)
          </label>
          <textarea id="doc-address" className="input" rows={3} {...form.register('address')} />
        </div>
        <div className="settings-col">
          <TextField label="Phone" error={errors.phone?.message} {...form.register('phone')} />
          <TextField label="E-mail" error={errors.email?.message} {...form.register('email')} />
        </div>
        <div className="settings-col">
          <TextField
            label="Tax ID (EIN)"
            hint="Printed on superbills and estimates."
            error={errors.taxId?.message}
            {...form.register('taxId')}
          />
          <TextField label="Practice NPI" error={errors.npi?.message} {...form.register('npi')} />
        </div>
        <div className="settings-col">
          <TextField
            label="Checks payable to"
            hint="The clinic’s name when empty."
            error={errors.payableTo?.message}
            {...form.register('payableTo')}
          />
          <TextField
            label="Days to pay"
            inputMode="numeric"
            error={errors.dueDays?.message}
            {...form.register('dueDays')}
          />
        </div>
        <div className="field settings-wide">
          <label className="field-label" htmlFor="doc-pay">
            How to pay (one paragraph per line)
          </label>
          <textarea id="doc-pay" className="input" rows={3} {...form.register('payInstructions')} />
        </div>
      </div>
      <div className="button-row">
        <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel="Saving…">
          Save
        </Button>
      </div>
    </form>
  );
}
