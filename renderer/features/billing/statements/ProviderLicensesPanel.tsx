import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { BillingDocumentSettings } from '../../../../server/contracts/billing/documents';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { TextField } from '../../../ui/Field';
import { Loading } from '../../../ui/Page';
import { useZodForm, ZodForm } from '../../../ui/zod-form';

const schema = z.object({
  licenses: z.array(
    z.object({
      userId: z.string(),
      license: z.string().trim().max(80, 'At most 80 characters.'),
    }),
  ),
});

/**
 * Each provider's license as superbills print it ("IL LCPC 180.012345"), kept with the other document
 * settings; until now only the API could set them. An empty field prints none for that provider.
 */
export function ProviderLicensesPanel() {
  const settings = useQuery({
    queryKey: ['billing-document-settings'],
    queryFn: ({ signal }) => call('getBillingDocumentSettings', { signal }),
  });
  const providers = useQuery({
    queryKey: ['providers'],
    queryFn: ({ signal }) => call('listProviders', { signal }),
  });
  const error = settings.error ?? providers.error;
  return (
    <section className="panel" aria-labelledby="licenses-title">
      <h2 id="licenses-title" className="section-title">
        Provider licenses on superbills
      </h2>
      {error ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      {settings.data && providers.data ? (
        providers.data.providers.length ? (
          <LicensesForm
            settings={settings.data}
            providers={providers.data.providers.map((p) => ({ userId: p.userId, name: p.name }))}
          />
        ) : (
          <p className="muted">No providers yet. Add staff with the provider role first.</p>
        )
      ) : error ? null : (
        <Loading />
      )}
    </section>
  );
}

function LicensesForm({
  settings,
  providers,
}: {
  settings: BillingDocumentSettings;
  providers: { userId: string; name: string }[];
}) {
  const qc = useQueryClient();
  const [saved, setSaved] = useState(false);
  const known = new Map(settings.providerLicenses.map((l) => [l.userId, l.license]));
  const licenses = useZodForm(schema, {
    defaultValues: {
      licenses: providers.map((p) => ({ userId: p.userId, license: known.get(p.userId) ?? '' })),
    },
    fields: ['licenses'],
    aliases: { providerLicenses: 'licenses' },
    onValid: async (v) => {
      setSaved(false);
      const shown = new Set(providers.map((p) => p.userId));
      await call('updateBillingDocumentSettings', {
        body: {
          ...settings,
          // Licenses of people no longer listed as providers are kept as they were.
          providerLicenses: [
            ...settings.providerLicenses.filter((l) => !shown.has(l.userId)),
            ...v.licenses.filter((l) => l.license).map((l) => ({ userId: l.userId, license: l.license })),
          ],
        },
      });
      setSaved(true);
      void qc.invalidateQueries({ queryKey: ['billing-document-settings'] });
    },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = licenses.form;
  return (
    <ZodForm form={licenses} className="form licenses-form" aria-label="Provider licenses">
      {saved ? <Alert tone="success">Saved. Superbills made from now on print these.</Alert> : null}
      <div className="settings-grid">
        {providers.map((p, i) => (
          <TextField
            key={p.userId}
            label={p.name}
            autoComplete="off"
            placeholder="IL LCPC 180.012345"
            error={errors.licenses?.[i]?.license?.message}
            {...register(`licenses.${i}.license`)}
          />
        ))}
      </div>
      <div className="button-row">
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
          Save licenses
        </Button>
      </div>
    </ZodForm>
  );
}
