import { useQueryClient } from '@tanstack/react-query';
import { locationCreateSchema, roomCreateSchema } from '../../../../server/contracts/scheduling';
import { call } from '../../../api/client';
import { keys } from '../../../api/keys';
import { Button } from '../../../ui/Button';
import { TextField } from '../../../ui/Field';
import { EmptyState } from '../../../ui/Page';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { useSave, type Notify, type Setup } from './setup-form';

const locationForm = locationCreateSchema.pick({ name: true, address: true });
const roomForm = roomCreateSchema.pick({ name: true });

export function LocationsSection({ setup, notify }: { setup: Setup; notify: Notify }) {
  const queryClient = useQueryClient();
  const addLocation = useZodForm(locationForm, {
    defaultValues: { name: '', address: '' },
    fields: ['name', 'address'],
    onValid: async (body) => {
      await call('createLocation', { body });
      form.reset();
      notify('Location added.');
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    },
  });
  const { form } = addLocation;
  const { errors } = form.formState;
  const toggleRoom = useSave(
    (r: { id: string; active: boolean }) =>
      call('updateRoom', { params: { id: r.id }, body: { active: !r.active } }),
    notify,
    'Room updated.',
  );
  return (
    <section aria-labelledby="setup-locations" className="setup-section">
      <h2 id="setup-locations" className="section-title">
        Locations and rooms
      </h2>
      {setup.locations.length === 0 ? (
        <EmptyState>No locations yet. Add the clinic’s address first.</EmptyState>
      ) : null}
      {setup.locations.map((l) => (
        <div key={l.id} className="panel setup-location">
          <p>
            <strong>{l.name}</strong> {l.address ? <span className="muted">— {l.address}</span> : null}
          </p>
          <ul className="chip-list" aria-label={`Rooms at ${l.name}`}>
            {l.rooms.map((r) => (
              <li key={r.id} className={r.active ? 'chip' : 'chip chip-off'}>
                {r.name}
                {r.active ? '' : ' (retired)'}{' '}
                <Button
                  size="small"
                  variant="link"
                  onClick={() => toggleRoom.mutate(r)}
                  aria-label={`${r.active ? 'Retire' : 'Reopen'} ${r.name}`}
                >
                  {r.active ? 'Retire' : 'Reopen'}
                </Button>
              </li>
            ))}
          </ul>
          <RoomForm locationId={l.id} locationName={l.name} notify={notify} />
        </div>
      ))}
      <ZodForm form={addLocation} className="inline-form">
        <TextField
          label="Location name"
          error={errors.name?.message}
          fieldClassName="field-inline"
          {...form.register('name')}
        />
        <TextField
          label="Address"
          error={errors.address?.message}
          fieldClassName="field-inline"
          {...form.register('address')}
        />
        <Button type="submit" size="small" busy={form.formState.isSubmitting}>
          Add location
        </Button>
      </ZodForm>
    </section>
  );
}

function RoomForm({
  locationId,
  locationName,
  notify,
}: {
  locationId: string;
  locationName: string;
  notify: Notify;
}) {
  const queryClient = useQueryClient();
  const addRoom = useZodForm(roomForm, {
    defaultValues: { name: '' },
    fields: ['name'],
    onValid: async ({ name }) => {
      await call('createRoom', { body: { locationId, name } });
      form.reset();
      notify('Room added.');
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    },
  });
  const { form } = addRoom;
  return (
    <ZodForm form={addRoom} className="inline-form">
      <TextField
        label={`New room at ${locationName}`}
        error={form.formState.errors.name?.message}
        fieldClassName="field-inline"
        {...form.register('name')}
      />
      <Button type="submit" size="small" busy={form.formState.isSubmitting}>
        Add room
      </Button>
    </ZodForm>
  );
}
