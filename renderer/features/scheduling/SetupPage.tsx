import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  useFieldArray,
  useForm,
  useWatch,
  type FieldValues,
  type Path,
  type UseFormReturn,
} from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import {
  appointmentTypeCreateSchema,
  locationCreateSchema,
  modalityLabels,
  providerCreateSchema,
  roomCreateSchema,
  workingHoursUpdateSchema,
  type WorkingHoursEntry,
} from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { formErrorMessage, useServerErrors } from '../../ui/form';
import { useLeaveGuard } from '../../ui/use-leave-guard';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { useSchedulingSetup } from './use-scheduling-data';
import './scheduling.css';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

type Notify = (text: string, tone?: 'success' | 'error') => void;

/**
 * Scheduling set-up for administrators: locations and rooms, appointment types, provider profiles and each
 * provider's weekly working hours. Bookings outside those hours are refused unless overridden.
 */
export function SchedulingSetupPage() {
  const setup = useSchedulingSetup();
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const notify: Notify = (text, tone = 'success') => setNotice({ text, tone });
  // The provider whose hours are open; a provider just added opens at once, so their week is set next.
  const [hoursFor, setHoursFor] = useState('');
  return (
    <section className="page">
      <PageHeader title="Scheduling set-up">
        <p>
          Set these up once: where patients are seen, what kinds of appointments there are, and who works
          when.
        </p>
      </PageHeader>
      {notice ? (
        <Alert tone={notice.tone} testId="setup-notice">
          {notice.text}
        </Alert>
      ) : null}
      {setup.error ? <Alert tone="error">{errorMessage(setup.error)}</Alert> : null}
      {!setup.ready ? <Loading /> : null}
      {setup.ready ? (
        <>
          <Locations setup={setup} notify={notify} />
          <Types setup={setup} notify={notify} />
          <Providers setup={setup} notify={notify} onAdded={setHoursFor} />
          <Hours setup={setup} notify={notify} selected={hoursFor} onSelect={setHoursFor} />
        </>
      ) : null}
    </section>
  );
}

type Setup = ReturnType<typeof useSchedulingSetup>;

function useSave<T>(fn: (input: T) => Promise<unknown>, notify: Notify, done: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      notify(done);
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    },
    onError: (err) => notify(formErrorMessage(err), 'error'),
  });
}

/**
 * One small set-up form: react-hook-form over the endpoint's contract, each error under its field, anything
 * without a field in the page notice; `reset` after a save keeps what the next entry shares.
 */
function useSetupForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  defaultValues: z.input<S>,
  fields: readonly Path<z.input<S>>[],
) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as never) as never,
    defaultValues: defaultValues as never,
  });
  const server = useServerErrors(form as UseFormReturn<z.input<S>>, fields);
  return { form, server };
}

const locationForm = locationCreateSchema.pick({ name: true, address: true });
const roomForm = roomCreateSchema.pick({ name: true });

function Locations({ setup, notify }: { setup: Setup; notify: Notify }) {
  const queryClient = useQueryClient();
  const { form, server } = useSetupForm(locationForm, { name: '', address: '' }, ['name', 'address']);
  const { errors } = form.formState;
  const addLocation = form.handleSubmit(async (body) => {
    server.clear();
    try {
      await call('createLocation', { body });
      form.reset();
      notify('Location added.');
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    } catch (err) {
      server.report(err);
    }
  });
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
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      <form className="inline-form" noValidate onSubmit={(e) => void addLocation(e)}>
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
      </form>
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
  const { form, server } = useSetupForm(roomForm, { name: '' }, ['name']);
  const addRoom = form.handleSubmit(async ({ name }) => {
    server.clear();
    try {
      await call('createRoom', { body: { locationId, name } });
      form.reset();
      notify('Room added.');
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    } catch (err) {
      server.report(err);
    }
  });
  return (
    <form className="inline-form" noValidate onSubmit={(e) => void addRoom(e)}>
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      <TextField
        label={`New room at ${locationName}`}
        error={form.formState.errors.name?.message}
        fieldClassName="field-inline"
        {...form.register('name')}
      />
      <Button type="submit" size="small" busy={form.formState.isSubmitting}>
        Add room
      </Button>
    </form>
  );
}

const typeForm = appointmentTypeCreateSchema.pick({
  name: true,
  durationMinutes: true,
  defaultRoomId: true,
  modality: true,
  color: true,
});

function Types({ setup, notify }: { setup: Setup; notify: Notify }) {
  const queryClient = useQueryClient();
  const { form, server } = useSetupForm(
    typeForm,
    { name: '', durationMinutes: 30, defaultRoomId: null, modality: 'in_person', color: '#2f6fb0' },
    ['name', 'durationMinutes', 'defaultRoomId', 'modality', 'color'],
  );
  const { errors } = form.formState;
  const add = form.handleSubmit(async (body) => {
    server.clear();
    try {
      await call('createAppointmentType', { body });
      // Ready for the next type: the name clears, the rest stays.
      form.reset({ ...form.getValues(), name: '' });
      notify('Appointment type added.');
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    } catch (err) {
      server.report(err);
    }
  });
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
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      <form className="inline-form" noValidate onSubmit={(e) => void add(e)}>
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
      </form>
    </section>
  );
}

const providerForm = providerCreateSchema
  .pick({ credentials: true, npi: true, specialty: true, color: true })
  .extend({ userId: z.string().min(1, 'Choose the staff member.') });

function Providers({
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
  const { form, server } = useSetupForm(
    providerForm,
    { userId: '', credentials: '', npi: '', specialty: '', color: '#0b5cad' },
    ['userId', 'credentials', 'npi', 'specialty', 'color'],
  );
  const { errors } = form.formState;
  const add = form.handleSubmit(async (body) => {
    server.clear();
    try {
      const provider = await call('createProvider', { body });
      notify('Provider added. Set their working hours below.');
      onAdded(provider.id);
      form.reset({ ...form.getValues(), userId: '', credentials: '', npi: '', specialty: '' });
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    } catch (err) {
      server.report(err);
    }
  });
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
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      <form className="inline-form" noValidate onSubmit={(e) => void add(e)}>
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
      </form>
    </section>
  );
}

function Hours({
  setup,
  notify,
  selected,
  onSelect,
}: {
  setup: Setup;
  notify: Notify;
  selected: string;
  onSelect: (providerId: string) => void;
}) {
  // The chosen provider once the set-up lists have them; until then (or with none chosen) the first one.
  const providerId = setup.providers.some((p) => p.id === selected)
    ? selected
    : (setup.providers[0]?.id ?? '');
  const hours = useQuery({
    queryKey: keys.providerHours(providerId),
    queryFn: ({ queryKey, signal }) =>
      call('getProviderHours', { params: { id: providerId }, signal, background: isLiveRefresh(queryKey) }),
    enabled: !!providerId,
  });
  if (!setup.providers.length) return null;
  return (
    <section aria-labelledby="setup-hours" className="setup-section">
      <h2 id="setup-hours" className="section-title">
        Working hours
      </h2>
      <SelectField
        label="Provider"
        value={providerId}
        onChange={(e) => onSelect(e.target.value)}
        fieldClassName="field-inline"
      >
        {setup.providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      {hours.isPending && providerId ? <Loading /> : null}
      {hours.data ? (
        <HoursEditor
          key={providerId}
          providerId={providerId}
          initial={hours.data.hours}
          setup={setup}
          notify={notify}
        />
      ) : null}
    </section>
  );
}

/** A provider's week, edited as a whole and saved at once (a fresh editor per provider). */
function HoursEditor({
  providerId,
  initial,
  setup,
  notify,
}: {
  providerId: string;
  initial: WorkingHoursEntry[];
  setup: Setup;
  notify: Notify;
}) {
  const queryClient = useQueryClient();
  const form = useForm<z.input<typeof workingHoursUpdateSchema>>({
    resolver: zodResolver(workingHoursUpdateSchema),
    defaultValues: { hours: initial },
  });
  const { control, register, handleSubmit, formState } = form;
  const { fields, append, remove } = useFieldArray({ control, name: 'hours' });
  // The intervals as typed (the field array's own entries keep the values they were added with).
  const current = useWatch({ control, name: 'hours' });
  const server = useServerErrors(form, (path) => path === 'hours' || path.startsWith('hours.'));
  // A week half-changed is not lost to a stray click.
  useLeaveGuard(formState.isDirty && !formState.isSubmitSuccessful);
  const location = setup.locations.find((l) => l.active)?.id ?? '';
  const save = handleSubmit(async (body) => {
    server.clear();
    try {
      await call('setProviderHours', { params: { id: providerId }, body });
      form.reset(body);
      notify('Working hours saved.');
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    } catch (err) {
      server.report(err);
    }
  });
  const errorsAt = (i: number) => formState.errors.hours?.[i];
  return (
    <form className="form" noValidate onSubmit={(e) => void save(e)}>
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      {formState.errors.hours?.message ? <Alert tone="error">{formState.errors.hours.message}</Alert> : null}
      <table className="table table-dense hours-table" aria-label="Weekly working hours">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Intervals</th>
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((day, index) => {
            const weekday = index + 1;
            return (
              <tr key={day}>
                <th scope="row">{day}</th>
                <td>
                  {fields.map((h, i) =>
                    h.weekday === weekday ? (
                      <div key={h.id} className="hours-interval">
                        <SelectField
                          label={`${day} location`}
                          error={errorsAt(i)?.locationId?.message}
                          fieldClassName="field-inline"
                          {...register(`hours.${i}.locationId`)}
                        >
                          {setup.locations.map((l) => (
                            <option key={l.id} value={l.id}>
                              {l.name}
                            </option>
                          ))}
                        </SelectField>
                        <TextField
                          label="from"
                          type="time"
                          error={errorsAt(i)?.start?.message}
                          fieldClassName="field-inline"
                          {...register(`hours.${i}.start`)}
                        />
                        <TextField
                          label="to"
                          type="time"
                          error={errorsAt(i)?.end?.message}
                          fieldClassName="field-inline"
                          {...register(`hours.${i}.end`)}
                        />
                        <Button
                          size="small"
                          onClick={() => remove(i)}
                          aria-label={`Remove ${day} ${current[i]?.start ?? h.start}–${current[i]?.end ?? h.end}`}
                        >
                          Remove hours
                        </Button>
                      </div>
                    ) : null,
                  )}
                  <Button
                    size="small"
                    variant="link"
                    disabled={!location}
                    onClick={() => append({ locationId: location, weekday, start: '08:00', end: '17:00' })}
                  >
                    Add hours on {day}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="button-row">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Saving…">
          Save working hours
        </Button>
      </div>
    </form>
  );
}
