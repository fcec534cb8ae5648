import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { renderingProviderSchema } from '../../../../server/contracts/claims/api';
import { renderingProviderInputSchema } from '../../../../server/contracts/claims/setup';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { TextField } from '../../../ui/Field';
import { EmptyState, Loading } from '../../../ui/Page';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { claimsSetupKeys } from './keys';

type Provider = z.infer<typeof renderingProviderSchema>;

/** Each staff member's individual NPI and taxonomy, which claims carry as the rendering provider (2310B). */
export function RenderingProvidersTab({ canManage }: { canManage: boolean }) {
  const providers = useQuery({ queryKey: claimsSetupKeys.renderingProviders, queryFn: () => call('listRenderingProviders') });
  return (
    <section className="bs-section" aria-labelledby="cs-rp-title">
      <h2 id="cs-rp-title" className="section-title">
        Rendering providers
      </h2>
      <p className="muted small">
        The individual (type 1) NPI and taxonomy of each staff member who sees patients. A claim for a visit
        whose provider has none here is refused by the scrubber.
      </p>
      {providers.isPending ? <Loading label="Loading staff…" /> : null}
      {providers.isError ? <Alert tone="error">{errorMessage(providers.error)}</Alert> : null}
      {providers.data && providers.data.providers.length === 0 ? <EmptyState>No staff yet.</EmptyState> : null}
      {providers.data && providers.data.providers.length > 0 ? (
        <ul className="cs-providers" aria-label="Rendering providers" data-testid="rendering-providers">
          {providers.data.providers.map((p) => (
            <li key={p.userId}>
              <ProviderRow provider={p} canManage={canManage} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ProviderRow({ provider, canManage }: { provider: Provider; canManage: boolean }) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const edit = useZodForm(renderingProviderInputSchema, {
    defaultValues: { npi: provider.npi ?? '', taxonomy: provider.taxonomy ?? '' },
    fields: ['npi', 'taxonomy'],
    onValid: async (v) => {
      setSaved(false);
      const next = await call('saveRenderingProvider', { params: { userId: provider.userId }, body: v });
      edit.form.reset({ npi: next.npi ?? '', taxonomy: next.taxonomy ?? '' });
      void queryClient.invalidateQueries({ queryKey: claimsSetupKeys.renderingProviders });
      setSaved(true);
    },
  });
  const {
    register,
    formState: { errors, isSubmitting, isDirty },
  } = edit.form;
  return (
    <ZodForm form={edit} className="bs-inline-form cs-provider" aria-label={`Claim identifiers of ${provider.fullName}`}>
      <span className="cs-provider-name">{provider.fullName}</span>
      <TextField label="NPI" fieldClassName="bs-w-s" inputMode="numeric" maxLength={10} autoComplete="off" disabled={!canManage} error={errors.npi?.message} {...register('npi')} />
      <TextField label="Taxonomy" fieldClassName="bs-w-s" autoComplete="off" disabled={!canManage} error={errors.taxonomy?.message} {...register('taxonomy')} />
      {canManage ? (
        <Button type="submit" size="small" busy={isSubmitting} busyLabel="Saving…" aria-label={`Save ${provider.fullName}`}>
          Save
        </Button>
      ) : null}
      {saved && !isDirty ? <span className="cs-saved" role="status">Saved</span> : null}
      {!provider.npi && !isDirty ? <span className="bs-sub cs-saved">Not set: claims for this person are refused</span> : null}
    </ZodForm>
  );
}
