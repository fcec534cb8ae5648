import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { providerCreateSchema } from '../../../../server/contracts/scheduling';
import { call } from '../../../api/client';
import { keys } from '../../../api/keys';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { EmptyState } from '../../../ui/Page';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { useSave, type Notify, type Setup } from './setup-form';

const providerForm = providerCreateSchema
  .pick({ credentials: true, npi: true, specialty: true, color: true })
  .extend({ userId: z.string().min(1, 'Choose the staff member.') });

export function ProvidersSection({
  setup,
  notify,
  onAdded,
}: {
  setup: Setup;
  notify: Notify;
  onAdded: (providerId: string) => void;
}) {
  const staff = useQuery({ queryKey: keys.users, queryFn: () => call('listUsers') });
  const queryClient = useQueryClient();
  const add = useZodForm(providerForm, {
    defaultValues: { userId: '', credentials: '', npi: '', specialty: '', color: '#0b5cad' },
    fields: ['userId', 'credentials', 'npi', 'specialty', 'color'],
    onValid: async (body) => {
      const provider = await call('createProvider', { body });
      notify('Provider added. Set their working hours below.');
      onAdded(provider.id);
      form.reset({ ...form.getValues(), userId: '', credentials: '', npi: '', specialty: '' });
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    },
  });
  const { form } = add;
  const { errors } = form.formState;
  const toggle = useSave(
    (p: { id: string; active: boolean }) =>
      call('updateProvider', { params: { id: p.id }, body: { active: !p.active } }),
    notify,
    'Provider updated.',
  );
  const candidates = (staff.data?.users ?? []).filter(
    (u) => u.active && !setup.providers.some((p) => p.userId === u.id),
  );
  return (
    <section aria-labelledby="setup-providers" className="setup-section">
      <h2 id="setup-providers" className="section-title">
        Providers
      </h2>
      {setup.providers.length ? (
        <table className="table table-dense" aria-label="Providers">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Credentials</th>
              <th scope="col">NPI</th>
              <th scope="col">Specialty</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {setup.providers.map((p) => (
              <tr key={p.id}>
                <td>
                  <span className="swatch" style={{ background: p.color }} aria-hidden="true" /> {p.name}
                </td>
                <td>{p.credentials}</td>
                <td>
                  <code>{p.npi ?? '—'}</code>
                </td>
                <td>{p.specialty}</td>
                <td>{p.active ? 'Taking appointments' : 'Inactive'}</td>
                <td>
                  <Button
                    size="small"
                    onClick={() => toggle.mutate(p)}
                    aria-label={`${p.active ? 'Deactivate' : 'Activate'} ${p.name}`}
                  >
                    {p.active ? 'Deactivate' : 'Activate'}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState>No providers yet. Give a clinician’s staff account a provider profile below.</EmptyState>
      )}
      <ZodForm form={add} className="inline-form">
        <SelectField
          label="Staff member"
          error={errors.userId?.message}
          fieldClassName="field-inline"
          {...form.register('userId')}
        >
          <option value="">Choose…</option>
          {candidates.map((u) => (
            <option key={u.id} value={u.id}>
              {u.fullName}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Credentials"
          error={errors.credentials?.message}
          fieldClassName="field-inline field-narrow"
          {...form.register('credentials')}
        />
        <TextField
          label="NPI"
          inputMode="numeric"
          error={errors.npi?.message}
          fieldClassName="field-inline"
          {...form.register('npi')}
        />
        <TextField
          label="Specialty"
          error={errors.specialty?.message}
          fieldClassName="field-inline"
          {...form.register('specialty')}
        />
        <TextField
          label="Colour"
          type="color"
          error={errors.color?.message}
          fieldClassName="field-inline"
          {...form.register('color')}
        />
        <Button type="submit" size="small" busy={form.formState.isSubmitting}>
          Add provider
        </Button>
      </ZodForm>
    </section>
  );
}
