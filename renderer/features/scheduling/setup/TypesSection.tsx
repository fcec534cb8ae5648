import { useQueryClient } from '@tanstack/react-query';
import { appointmentTypeCreateSchema, modalityLabels } from '../../../../server/contracts/scheduling';
import { call } from '../../../api/client';
import { keys } from '../../../api/keys';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { EmptyState } from '../../../ui/Page';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { useSave, type Notify, type Setup } from './setup-form';

const typeForm = appointmentTypeCreateSchema.pick({
  name: true,
  durationMinutes: true,
  defaultRoomId: true,
  modality: true,
  color: true,
});

export function TypesSection({ setup, notify }: { setup: Setup; notify: Notify }) {
  const queryClient = useQueryClient();
  const add = useZodForm(typeForm, {
    defaultValues: {
      name: '',
      durationMinutes: 30,
      defaultRoomId: null,
      modality: 'in_person',
      color: '#2f6fb0',
    },
    fields: ['name', 'durationMinutes', 'defaultRoomId', 'modality', 'color'],
    onValid: async (body) => {
      await call('createAppointmentType', { body });
      // Ready for the next type: the name clears, the rest stays.
      form.reset({ ...form.getValues(), name: '' });
      notify('Appointment type added.');
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    },
  });
  const { form } = add;
  const { errors } = form.formState;
  const toggle = useSave(
    (t: { id: string; active: boolean }) =>
      call('updateAppointmentType', { params: { id: t.id }, body: { active: !t.active } }),
    notify,
    'Appointment type updated.',
  );
  const rooms = setup.locations.flatMap((l) =>
    l.rooms.map((r) => ({ ...r, label: `${l.name} — ${r.name}` })),
  );
  return (
    <section aria-labelledby="setup-types" className="setup-section">
      <h2 id="setup-types" className="section-title">
        Appointment types
      </h2>
      {setup.types.length ? (
        <table className="table table-dense" aria-label="Appointment types">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Length</th>
              <th scope="col">Default room</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {setup.types.map((t) => (
              <tr key={t.id}>
                <td>
                  <span className="swatch" style={{ background: t.color }} aria-hidden="true" /> {t.name}
                </td>
                <td>{t.durationMinutes} min</td>
                <td>{rooms.find((r) => r.id === t.defaultRoomId)?.label ?? '—'}</td>
                <td>{modalityLabels[t.modality]}</td>
                <td>{t.active ? 'Offered' : 'Retired'}</td>
                <td>
                  <Button
                    size="small"
                    onClick={() => toggle.mutate(t)}
                    aria-label={`${t.active ? 'Retire' : 'Offer again'} ${t.name}`}
                  >
                    {t.active ? 'Retire' : 'Offer again'}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState>
          No appointment types yet. Add the kinds of visits you book (e.g. “New patient, 60 min”).
        </EmptyState>
      )}
      <ZodForm form={add} className="inline-form">
        <TextField
          label="Type name"
          error={errors.name?.message}
          fieldClassName="field-inline"
          {...form.register('name')}
        />
        <TextField
          label="Minutes"
          type="number"
          min={5}
          step={5}
          error={errors.durationMinutes?.message}
          fieldClassName="field-inline field-narrow"
          {...form.register('durationMinutes', { valueAsNumber: true })}
        />
        <SelectField
          label="Default room"
          error={errors.defaultRoomId?.message}
          fieldClassName="field-inline"
          {...form.register('defaultRoomId', { setValueAs: (v: string | null) => v || null })}
        >
          <option value="">None</option>
          {rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Kind"
          error={errors.modality?.message}
          fieldClassName="field-inline"
          {...form.register('modality')}
        >
          <option value="in_person">In person</option>
          <option value="telehealth">Telehealth</option>
        </SelectField>
        <TextField
          label="Colour"
          type="color"
          error={errors.color?.message}
          fieldClassName="field-inline"
          {...form.register('color')}
        />
        <Button type="submit" size="small" busy={form.formState.isSubmitting}>
          Add type
        </Button>
      </ZodForm>
    </section>
  );
}
