import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import type { PatientSummary } from '../../../server/contracts/patients';
import type { WaitlistEntry } from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { PatientFinder } from '../patients/PatientFinder';
import { BookingDialog, type BookingStart } from './BookingDialog';
import { lookup, patientName, useSchedulingSetup } from './use-scheduling-data';
import './scheduling.css';
import { todayIn } from '../../../server/contracts/calendar';

/**
 * A waitlist per provider: patients who want an earlier time or any time. When a slot frees up, book from
 * here; the entry leaves the list with the booking.
 */
export function WaitlistPage() {
  const session = useSession();
  const zone = session.clinic.timeZone;
  const can = useCan();
  const setup = useSchedulingSetup();
  const names = lookup(setup);
  const queryClient = useQueryClient();
  const [providerId, setProviderId] = useState('');
  const [adding, setAdding] = useState(false);
  const [booking, setBooking] = useState<BookingStart | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const list = useQuery({
    queryKey: keys.waitlist(providerId || null),
    queryFn: ({ queryKey, signal }) =>
      call('listWaitlist', {
        query: providerId ? { providerId } : {},
        signal,
        background: isLiveRefresh(queryKey),
      }),
  });
  const remove = useMutation({
    mutationFn: (e: WaitlistEntry) =>
      call('removeWaitlistEntry', { params: { id: e.id }, body: { reason: 'no_longer_needed' } }),
    onSuccess: (_r, e) => {
      setNotice({ tone: 'success', text: `${patientName(e)} is off the waitlist.` });
      void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
    },
    onError: (err) => setNotice({ tone: 'error', text: errorMessage(err) }),
  });
  const entries = list.data?.entries ?? [];
  return (
    <section className="page">
      <PageHeader
        title="Waitlist"
        actions={
          can('schedule.write') ? (
            <Button variant="primary" onClick={() => setAdding(true)} disabled={!setup.providers.length}>
              Add to waitlist
            </Button>
          ) : null
        }
      >
        <p>
          Patients waiting for an earlier or any time, per provider. High priority first, then longest
          waiting.
        </p>
      </PageHeader>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      <SelectField
        label="Provider"
        fieldClassName="field-inline"
        value={providerId}
        onChange={(e) => setProviderId(e.target.value)}
      >
        <option value="">All providers</option>
        {setup.providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <Alert tone="error">{errorMessage(list.error)}</Alert> : null}
      {list.isSuccess && entries.length === 0 ? (
        <EmptyState>
          Nobody is waiting{providerId ? ' for this provider' : ''}. Add a patient who wants an earlier time
          with “Add to waitlist”.
        </EmptyState>
      ) : null}
      {entries.length ? (
        <div className="table-wrap">
          <table className="table" aria-label="Waitlist">
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Provider</th>
                <th scope="col">Type</th>
                <th scope="col">Wants</th>
                <th scope="col">Note</th>
                <th scope="col">Waiting since</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    {patientName(e)}{' '}
                    <span className="muted small">{formatCalendarDate(e.patient.dateOfBirth)}</span>
                    {e.priority === 'high' ? (
                      <span className="badge badge-warning">High priority</span>
                    ) : null}
                  </td>
                  <td>{names.provider(e.providerId)?.name ?? ''}</td>
                  <td>{e.appointmentTypeId ? names.type(e.appointmentTypeId)?.name : 'Any'}</td>
                  <td>
                    {e.earliestDate || e.latestDate
                      ? `${e.earliestDate ? `from ${formatCalendarDate(e.earliestDate)}` : ''} ${e.latestDate ? `until ${formatCalendarDate(e.latestDate)}` : ''}`
                      : 'Any time'}
                  </td>
                  <td>{e.note}</td>
                  <td>{formatShortDateTime(e.createdAt, zone)}</td>
                  <td>
                    {can('schedule.write') ? (
                      <div className="row-actions">
                        <Button
                          size="small"
                          variant="primary"
                          aria-label={`Book ${patientName(e)}`}
                          onClick={() =>
                            setBooking({
                              date:
                                e.earliestDate && e.earliestDate > todayIn(zone) ? e.earliestDate : todayIn(zone),
                              time: '09:00',
                              providerId: e.providerId,
                              appointmentTypeId: e.appointmentTypeId,
                              patient: {
                                id: e.patient.id,
                                label: `${patientName(e)} (${e.patient.dateOfBirth})`,
                              },
                              waitlistEntryId: e.id,
                            })
                          }
                        >
                          Book
                        </Button>
                        <Button
                          size="small"
                          aria-label={`Remove ${patientName(e)} from the waitlist`}
                          onClick={() => remove.mutate(e)}
                        >
                          Take off waitlist
                        </Button>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {adding ? (
        <AddDialog
          setup={setup}
          providerId={providerId}
          onClose={() => setAdding(false)}
          onAdded={(text) => {
            setAdding(false);
            setNotice({ tone: 'success', text });
            void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
          }}
        />
      ) : null}
      {booking ? (
        <BookingDialog
          setup={setup}
          start={booking}
          onClose={() => setBooking(null)}
          onBooked={(text) => {
            setBooking(null);
            setNotice({ tone: 'success', text });
          }}
        />
      ) : null}
    </section>
  );
}

/** The add-to-waitlist form; dates are optional, the latest not before the earliest (the contract's rule). */
export const waitlistFormSchema = z
  .object({
    patientId: z.string().min(1, 'Choose the patient first.'),
    providerId: z.string().min(1, 'Choose the provider.'),
    appointmentTypeId: z.string(),
    earliestDate: z.string(),
    latestDate: z.string(),
    priority: z.enum(['normal', 'high']),
    note: z.string().trim().max(500, 'At most 500 characters.'),
  })
  .refine((w) => !w.earliestDate || !w.latestDate || w.earliestDate <= w.latestDate, {
    message: 'The latest date must not be before the earliest date.',
    path: ['latestDate'],
  });
type WaitlistValues = z.infer<typeof waitlistFormSchema>;
const waitlistFields = [
  'patientId',
  'providerId',
  'appointmentTypeId',
  'earliestDate',
  'latestDate',
  'priority',
  'note',
] as const;

function AddDialog({
  setup,
  providerId,
  onClose,
  onAdded,
}: {
  setup: ReturnType<typeof useSchedulingSetup>;
  providerId: string;
  onClose(): void;
  onAdded(text: string): void;
}) {
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const { register, handleSubmit, setError, setValue, watch, formState } = useForm<WaitlistValues>({
    resolver: zodResolver(waitlistFormSchema),
    defaultValues: {
      patientId: '',
      providerId: providerId || setup.providers[0]?.id || '',
      appointmentTypeId: '',
      earliestDate: '',
      latestDate: '',
      priority: 'normal',
      note: '',
    },
  });
  const { errors } = formState;
  const server = useServerErrors({ setError, watch }, waitlistFields);
  const choose = (p: PatientSummary | null) => {
    setPatient(p);
    setValue('patientId', p?.id ?? '', { shouldValidate: formState.isSubmitted });
  };
  const submit = handleSubmit(async (v) => {
    server.clear();
    try {
      await call('createWaitlistEntry', {
        body: {
          patientId: v.patientId,
          providerId: v.providerId,
          appointmentTypeId: v.appointmentTypeId || null,
          note: v.note,
          earliestDate: v.earliestDate || null,
          latestDate: v.latestDate || null,
          priority: v.priority,
        },
      });
      onAdded(`${patient!.displayName} is on the waitlist.`);
    } catch (err) {
      server.report(err);
    }
  });
  return (
    <Dialog title="Add to the waitlist" onClose={onClose} className="dialog-wide">
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      {patient ? (
        <div className="chosen-patient">
          <span>
            <span className="field-label">Patient</span> <strong>{patient.displayName}</strong> (
            {patient.dateOfBirth})
          </span>
          <Button size="small" onClick={() => choose(null)}>
            Change patient
          </Button>
        </div>
      ) : (
        <div className={errors.patientId ? 'field-invalid' : undefined}>
          <PatientFinder label="Patient" autoFocus limit={8} onOpen={choose} />
          {errors.patientId ? <p className="field-error">{errors.patientId.message}</p> : null}
        </div>
      )}
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <SelectField label="Provider" error={errors.providerId?.message} {...register('providerId')}>
            {setup.providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Appointment type"
            error={errors.appointmentTypeId?.message}
            {...register('appointmentTypeId')}
          >
            <option value="">Any</option>
            {setup.types.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Earliest date (optional)"
            type="date"
            error={errors.earliestDate?.message}
            {...register('earliestDate')}
          />
          <TextField
            label="Latest date (optional)"
            type="date"
            error={errors.latestDate?.message}
            {...register('latestDate')}
          />
          <SelectField label="Priority" error={errors.priority?.message} {...register('priority')}>
            <option value="normal">Normal</option>
            <option value="high">High</option>
          </SelectField>
          <TextField
            label="Note (days and times that suit)"
            error={errors.note?.message}
            {...register('note')}
          />
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Adding…">
            Add to waitlist
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
