import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { modalityLabels, type Modality, type WorkingHoursEntry } from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
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

function Locations({ setup, notify }: { setup: Setup; notify: Notify }) {
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [roomNames, setRoomNames] = useState<Record<string, string>>({});
  const addLocation = useSave(
    () => call('createLocation', { body: { name, address } }),
    notify,
    'Location added.',
  );
  const addRoom = useSave(
    (locationId: string) => call('createRoom', { body: { locationId, name: roomNames[locationId] ?? '' } }),
    notify,
    'Room added.',
  );
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
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              addRoom.mutate(l.id, { onSuccess: () => setRoomNames((n) => ({ ...n, [l.id]: '' })) });
            }}
          >
            <TextField
              label={`New room at ${l.name}`}
              value={roomNames[l.id] ?? ''}
              onChange={(e) => setRoomNames((n) => ({ ...n, [l.id]: e.target.value }))}
              fieldClassName="field-inline"
            />
            <Button type="submit" size="small">
              Add room
            </Button>
          </form>
        </div>
      ))}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          addLocation.mutate(undefined, {
            onSuccess: () => {
              setName('');
              setAddress('');
            },
          });
        }}
      >
        <TextField
          label="Location name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          fieldClassName="field-inline"
        />
        <TextField
          label="Address"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          fieldClassName="field-inline"
        />
        <Button type="submit" size="small" busy={addLocation.isPending}>
          Add location
        </Button>
      </form>
    </section>
  );
}

function Types({ setup, notify }: { setup: Setup; notify: Notify }) {
  const [form, setForm] = useState({
    name: '',
    durationMinutes: '30',
    defaultRoomId: '',
    modality: 'in_person' as Modality,
    color: '#2f6fb0',
  });
  const add = useSave(
    () =>
      call('createAppointmentType', {
        body: {
          name: form.name,
          durationMinutes: Number(form.durationMinutes),
          defaultRoomId: form.defaultRoomId || null,
          modality: form.modality,
          color: form.color,
        },
      }),
    notify,
    'Appointment type added.',
  );
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
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate(undefined, { onSuccess: () => setForm((f) => ({ ...f, name: '' })) });
        }}
      >
        <TextField
          label="Type name"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          fieldClassName="field-inline"
        />
        <TextField
          label="Minutes"
          type="number"
          min={5}
          step={5}
          value={form.durationMinutes}
          onChange={(e) => setForm({ ...form, durationMinutes: e.target.value })}
          fieldClassName="field-inline field-narrow"
        />
        <SelectField
          label="Default room"
          value={form.defaultRoomId}
          onChange={(e) => setForm({ ...form, defaultRoomId: e.target.value })}
          fieldClassName="field-inline"
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
          value={form.modality}
          onChange={(e) => setForm({ ...form, modality: e.target.value as Modality })}
          fieldClassName="field-inline"
        >
          <option value="in_person">In person</option>
          <option value="telehealth">Telehealth</option>
        </SelectField>
        <TextField
          label="Colour"
          type="color"
          value={form.color}
          onChange={(e) => setForm({ ...form, color: e.target.value })}
          fieldClassName="field-inline"
        />
        <Button type="submit" size="small" busy={add.isPending}>
          Add type
        </Button>
      </form>
    </section>
  );
}

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
  const [form, setForm] = useState({ userId: '', credentials: '', npi: '', specialty: '', color: '#0b5cad' });
  const [npiError, setNpiError] = useState<string | undefined>();
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: () => call('createProvider', { body: { ...form, npi: form.npi || null } }),
    onSuccess: (provider) => {
      notify('Provider added. Set their working hours below.');
      onAdded(provider.id);
      setForm((f) => ({ ...f, userId: '', credentials: '', npi: '', specialty: '' }));
      setNpiError(undefined);
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    },
    onError: (err) => {
      const fields = (err as { fields?: Record<string, string> }).fields ?? {};
      setNpiError(fields.npi);
      notify(formErrorMessage(err), 'error');
    },
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
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <SelectField
          label="Staff member"
          value={form.userId}
          onChange={(e) => setForm({ ...form, userId: e.target.value })}
          fieldClassName="field-inline"
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
          value={form.credentials}
          onChange={(e) => setForm({ ...form, credentials: e.target.value })}
          fieldClassName="field-inline field-narrow"
        />
        <TextField
          label="NPI"
          inputMode="numeric"
          value={form.npi}
          error={npiError}
          onChange={(e) => setForm({ ...form, npi: e.target.value })}
          fieldClassName="field-inline"
        />
        <TextField
          label="Specialty"
          value={form.specialty}
          onChange={(e) => setForm({ ...form, specialty: e.target.value })}
          fieldClassName="field-inline"
        />
        <TextField
          label="Colour"
          type="color"
          value={form.color}
          onChange={(e) => setForm({ ...form, color: e.target.value })}
          fieldClassName="field-inline"
        />
        <Button type="submit" size="small" busy={add.isPending} disabled={!form.userId}>
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
  const [draft, setDraft] = useState<WorkingHoursEntry[]>(initial);
  const save = useSave(
    () => call('setProviderHours', { params: { id: providerId }, body: { hours: draft } }),
    notify,
    'Working hours saved.',
  );
  const location = setup.locations.find((l) => l.active)?.id ?? '';
  const update = (i: number, patch: Partial<WorkingHoursEntry>) =>
    setDraft((d) => d.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(undefined);
        }}
      >
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
                    {draft.map((h, i) =>
                      h.weekday === weekday ? (
                        <div key={i} className="hours-interval">
                          <SelectField
                            label={`${day} location`}
                            value={h.locationId}
                            onChange={(e) => update(i, { locationId: e.target.value })}
                            fieldClassName="field-inline"
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
                            value={h.start}
                            onChange={(e) => update(i, { start: e.target.value })}
                            fieldClassName="field-inline"
                          />
                          <TextField
                            label="to"
                            type="time"
                            value={h.end}
                            onChange={(e) => update(i, { end: e.target.value })}
                            fieldClassName="field-inline"
                          />
                          <Button
                            size="small"
                            onClick={() => setDraft((d) => d.filter((_, j) => j !== i))}
                            aria-label={`Remove ${day} ${h.start}–${h.end}`}
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
                      onClick={() =>
                        setDraft((d) => [
                          ...d,
                          { locationId: location, weekday, start: '08:00', end: '17:00' },
                        ])
                      }
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
          <Button type="submit" variant="primary" busy={save.isPending} busyLabel="Saving…">
            Save working hours
          </Button>
        </div>
      </form>
    </>
  );
}
