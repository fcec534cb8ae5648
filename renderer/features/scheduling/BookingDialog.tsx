import { useEffect, useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { PatientSummary } from '../../../server/contracts/patients';
import {
  localDateSchema,
  localTimeSchema,
  weekdayCodes,
  weekdayCodeSchema,
  weekdayNames,
  weekdayOrdinalWords,
  weekdayOrdinalsOfDate,
  type Recurrence,
} from '../../../server/contracts/scheduling';
import { call, errorMessage, isApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, Fieldset, SelectField, TextField } from '../../ui/Field';
import { providerDisplayName } from './provider-name';
import { applyFieldErrors, formErrorMessage } from '../../ui/form';
import { PatientFinder } from '../patients/PatientFinder';
import { dateOf, isoWeekday, shortDay, timeOf, toInstant } from './clinic-time';
import type { SchedulingSetup } from './use-scheduling-data';
import { formatTime } from '../../ui/format';

const WEEKDAY_LABELS: Record<(typeof weekdayCodes)[number], string> = {
  MO: 'Mon',
  TU: 'Tue',
  WE: 'Wed',
  TH: 'Thu',
  FR: 'Fri',
  SA: 'Sat',
  SU: 'Sun',
};

const formSchema = z
  .object({
    patientId: z.string().min(1, 'Choose the patient.'),
    providerId: z.string().min(1, 'Choose a provider.'),
    appointmentTypeId: z.string().min(1, 'Choose the type of appointment.'),
    locationId: z.string().min(1, 'Choose a location.'),
    roomId: z.string(),
    date: localDateSchema,
    time: localTimeSchema,
    durationMinutes: z
      .number({ message: 'Enter the length in minutes.' })
      .int()
      .min(5, 'At least 5 minutes.')
      .max(720, 'At most 12 hours.'),
    note: z.string().max(500, 'At most 500 characters.'),
    repeat: z.enum(['none', 'weekly', 'monthly']),
    interval: z.number({ message: 'Enter a number.' }).int().min(1, 'At least 1.').max(52, 'At most 52.'),
    weekdays: z.array(weekdayCodeSchema),
    // 'last': the last such weekday, offered when the date is one (a 4th Friday can also be the last).
    monthlyBy: z.enum(['date', 'weekday', 'last']),
    endBy: z.enum(['count', 'until']),
    count: z.number({ message: 'Enter a number.' }).int().min(1, 'At least 1.').max(520, 'At most 520.'),
    until: z.string(),
    overrideReason: z.string().max(500),
  })
  .refine((v) => v.repeat === 'none' || v.endBy === 'count' || /^\d{4}-\d{2}-\d{2}$/.test(v.until), {
    message: 'Choose the last date of the series.',
    path: ['until'],
  })
  .refine((v) => v.repeat !== 'weekly' || v.weekdays.length > 0, {
    message: 'Choose at least one weekday.',
    path: ['weekdays'],
  })
  .refine((v) => v.repeat !== 'monthly' || v.monthlyBy !== 'last' || isLastWeekday(v.date), {
    message: 'This date is not the last of its weekday in the month.',
    path: ['monthlyBy'],
  });
export type BookingForm = z.infer<typeof formSchema>;
type Form = BookingForm;

export interface BookingStart {
  date: string;
  time: string;
  providerId?: string | null;
  roomId?: string | null;
  locationId?: string | null;
  appointmentTypeId?: string | null;
  patient?: { id: string; label: string } | null;
  waitlistEntryId?: string | null;
  /** Booking a patient's request from the portal: the request then holds the appointment. */
  appointmentRequestId?: string | null;
}

interface BookingDialogProps {
  setup: SchedulingSetup;
  start: BookingStart;
  onClose(): void;
  onBooked(message: string): void;
}

export function recurrenceOf(v: Form): Recurrence | null {
  if (v.repeat === 'none') return null;
  const end = v.endBy === 'count' ? { count: v.count } : { until: v.until };
  if (v.repeat === 'weekly')
    return { frequency: 'weekly', interval: v.interval, weekdays: v.weekdays, ...end };
  if (v.monthlyBy === 'last')
    return { frequency: 'monthly', interval: v.interval, monthlyBy: 'weekday', weekdayOrdinal: -1, ...end };
  return { frequency: 'monthly', interval: v.interval, monthlyBy: v.monthlyBy, ...end };
}

const isDate = (date: string | undefined): date is string => /^\d{4}-\d{2}-\d{2}$/.test(date ?? '');
const isLastWeekday = (date: string) => isDate(date) && weekdayOrdinalsOfDate(date).includes(-1);

/** "The 4th Friday" (and "The last Friday" when the date is that too), for the monthly choice. */
export function monthlyChoices(date: string | undefined) {
  if (!isDate(date)) return { byDate: 'The same date each month', nth: 'The same weekday', last: null };
  const weekday = weekdayNames[weekdayCodes[isoWeekday(date) - 1]!];
  const [nth, other] = weekdayOrdinalsOfDate(date);
  return {
    byDate: `Day ${Number(date.slice(8, 10))} of each month`,
    nth: `The ${weekdayOrdinalWords[nth!]} ${weekday}`,
    last: other === -1 ? `The last ${weekday}` : null,
  };
}

/**
 * Book an appointment or a repeating series. While the user fills it in, the time is checked against the
 * schedule and the reasons it would be refused are listed; a user allowed to override can book anyway by
 * giving a reason. "Find next available" offers the provider's next free times.
 */
export function BookingDialog({ setup, start, onClose, onBooked }: BookingDialogProps) {
  const session = useSession();
  const zone = session.clinic.timeZone;
  const can = useCan();
  const mayOverride = can('schedule.override');
  const queryClient = useQueryClient();
  const [patient, setPatient] = useState<{ id: string; label: string } | null>(start.patient ?? null);
  const [serverError, setServerError] = useState<string | null>(null);
  const activeProviders = setup.providers.filter((p) => p.active);
  const activeTypes = setup.types.filter((t) => t.active);
  const activeLocations = setup.locations.filter((l) => l.active);
  const firstType = activeTypes.find((t) => t.id === start.appointmentTypeId) ?? activeTypes[0];
  const locationId = start.locationId ?? activeLocations[0]?.id ?? '';

  const {
    register,
    handleSubmit,
    setValue,
    setError,
    setFocus,
    getFieldState,
    control,
    formState: { errors, isSubmitting },
  } = useForm<Form>({
    resolver: zodResolver(formSchema),
    defaultValues: {
      patientId: start.patient?.id ?? '',
      providerId: start.providerId ?? activeProviders[0]?.id ?? '',
      appointmentTypeId: firstType?.id ?? '',
      locationId,
      roomId:
        start.roomId ??
        (firstType?.defaultRoomId &&
        setup.locations.find((l) => l.id === locationId)?.rooms.some((r) => r.id === firstType.defaultRoomId)
          ? firstType.defaultRoomId
          : ''),
      date: start.date,
      time: start.time,
      durationMinutes: firstType?.durationMinutes ?? 30,
      note: '',
      repeat: 'none',
      interval: 1,
      weekdays: [weekdayCodes[isoWeekday(start.date) - 1]!],
      monthlyBy: 'date',
      endBy: 'count',
      count: 10,
      until: '',
      overrideReason: '',
    },
  });
  const v = useWatch({ control }) as Form;
  const location = setup.locations.find((l) => l.id === v.locationId);
  const monthly = monthlyChoices(v.date);

  // Picking a type brings its length and (when it is here) its room.
  const onTypeChange = (typeId: string) => {
    const type = setup.types.find((t) => t.id === typeId);
    if (!type) return;
    setValue('durationMinutes', type.durationMinutes);
    if (type.defaultRoomId && location?.rooms.some((r) => r.id === type.defaultRoomId))
      setValue('roomId', type.defaultRoomId);
  };

  const startsAt =
    /^\d{4}-\d{2}-\d{2}$/.test(v.date ?? '') && /^\d{2}:\d{2}$/.test(v.time ?? '')
      ? toInstant(v.date, v.time, zone)
      : null;
  const recurrence = useMemo(() => {
    const parsed = formSchema.safeParse(v);
    return parsed.success ? recurrenceOf(parsed.data) : null;
  }, [v]);
  const checkBody =
    startsAt && v.providerId && v.locationId && Number.isFinite(v.durationMinutes) && v.durationMinutes >= 5
      ? {
          providerId: v.providerId,
          locationId: v.locationId,
          roomId: v.roomId || null,
          patientId: v.patientId || null,
          startsAt,
          endsAt: new Date(Date.parse(startsAt) + v.durationMinutes * 60_000).toISOString(),
          recurrence: v.repeat === 'none' ? null : recurrence,
        }
      : null;
  const check = useQuery({
    queryKey: ['schedule', 'check', checkBody],
    queryFn: ({ queryKey, signal }) =>
      call('checkSlot', { body: checkBody!, signal, background: isLiveRefresh(queryKey) }),
    enabled: checkBody !== null && (v.repeat === 'none' || recurrence !== null),
    staleTime: 0,
  });
  const conflicts = check.data?.conflicts ?? [];

  const [nextFrom, setNextFrom] = useState<string | null>(null);
  const next = useQuery({
    queryKey: ['schedule', 'next', v.providerId, v.locationId, v.durationMinutes, nextFrom],
    queryFn: ({ queryKey, signal }) =>
      call('findNextAvailable', {
        background: isLiveRefresh(queryKey),
        query: {
          providerId: v.providerId,
          locationId: v.locationId || undefined,
          durationMinutes: v.durationMinutes,
          after: nextFrom!,
          limit: 6,
        },
        signal,
      }),
    enabled: nextFrom !== null && !!v.providerId,
  });

  useEffect(() => {
    if (patient) setValue('patientId', patient.id, { shouldValidate: false });
  }, [patient, setValue]);

  const book = useMutation({
    mutationFn: (form: Form) =>
      call('createAppointment', {
        body: {
          patientId: form.patientId,
          providerId: form.providerId,
          appointmentTypeId: form.appointmentTypeId,
          locationId: form.locationId,
          roomId: form.roomId || null,
          startsAt: toInstant(form.date, form.time, zone),
          durationMinutes: form.durationMinutes,
          note: form.note,
          recurrence: recurrenceOf(form),
          override: form.overrideReason.trim() ? { reason: form.overrideReason.trim() } : null,
          waitlistEntryId: start.waitlistEntryId ?? null,
          appointmentRequestId: start.appointmentRequestId ?? null,
        },
      }),
  });

  const submit = handleSubmit(async (form) => {
    setServerError(null);
    try {
      const result = await book.mutateAsync(form);
      void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
      const when = `${shortDay(dateOf(result.appointment.startsAt, zone))} at ${formatTime(result.appointment.startsAt, zone)}`;
      onBooked(
        result.series
          ? `Booked ${result.booked} appointments for ${patient?.label ?? 'the patient'}: ${result.series.recurrenceText}.`
          : `Booked ${patient?.label ?? 'the patient'} on ${when}.`,
      );
    } catch (err) {
      if (isApiError(err, 409) && err.code === 'schedule_conflict' && mayOverride) setFocus('overrideReason');
      applyFieldErrors(
        err,
        setError,
        ['patientId', 'providerId', 'appointmentTypeId', 'locationId', 'roomId', 'durationMinutes', 'note'],
        {
          'recurrence.until': 'until',
          'recurrence.count': 'count',
          'recurrence.weekdays': 'weekdays',
          'override.reason': 'overrideReason',
        },
      );
      setServerError(formErrorMessage(err));
    }
  });

  return (
    <Dialog title="Book an appointment" onClose={onClose} className="dialog-wide" testId="booking-dialog">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        {patient ? (
          <div className="chosen-patient">
            <span>
              <span className="field-label">Patient</span>{' '}
              <strong data-testid="booking-patient">{patient.label}</strong>
            </span>
            <Button size="small" onClick={() => setPatient(null)}>
              Change patient
            </Button>
          </div>
        ) : (
          <>
            <PatientFinder
              label="Patient"
              autoFocus
              limit={8}
              onOpen={(p: PatientSummary) => {
                setPatient({ id: p.id, label: `${p.displayName} (${p.dateOfBirth})` });
                setTimeout(() => setFocus('providerId'), 0);
              }}
            />
            {errors.patientId ? <p className="field-error">{errors.patientId.message}</p> : null}
          </>
        )}
        <div className="form-grid form-grid-3">
          <SelectField label="Provider" error={errors.providerId?.message} {...register('providerId')}>
            {activeProviders.map((p) => (
              <option key={p.id} value={p.id}>
                {providerDisplayName(p)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Appointment type"
            error={errors.appointmentTypeId?.message}
            {...register('appointmentTypeId', { onChange: (e) => onTypeChange(e.target.value) })}
          >
            {activeTypes.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.durationMinutes} min{t.modality === 'telehealth' ? ', telehealth' : ''})
              </option>
            ))}
          </SelectField>
          <SelectField label="Location" error={errors.locationId?.message} {...register('locationId')}>
            {activeLocations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Date"
            type="date"
            error={errors.date?.message}
            {...register('date', {
              // A weekly series starts on the chosen day: until the person picks days themselves, the
              // repeat days follow the date.
              onChange: (e: { target: { value: string } }) => {
                const date = e.target.value;
                if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || getFieldState('weekdays').isDirty) return;
                setValue('weekdays', [weekdayCodes[isoWeekday(date) - 1]!]);
              },
            })}
          />
          <TextField
            label="Start time"
            type="time"
            step={300}
            error={errors.time?.message}
            {...register('time')}
          />
          <TextField
            label="Length (minutes)"
            type="number"
            min={5}
            max={720}
            step={5}
            error={errors.durationMinutes?.message}
            {...register('durationMinutes', { valueAsNumber: true })}
          />
          <SelectField label="Room" error={errors.roomId?.message} {...register('roomId')}>
            <option value="">No room</option>
            {(location?.rooms ?? [])
              .filter((r) => r.active)
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
          </SelectField>
          <TextField
            label="Reason for visit (optional)"
            error={errors.note?.message}
            fieldClassName="span-2"
            {...register('note')}
          />
        </div>

        <Fieldset legend="Repeat" className="repeat-options">
          <div className="form-grid form-grid-3">
            <SelectField label="Repeats" {...register('repeat')}>
              <option value="none">Does not repeat</option>
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
            </SelectField>
            {v.repeat !== 'none' ? (
              <TextField
                label={v.repeat === 'weekly' ? 'Every how many weeks' : 'Every how many months'}
                type="number"
                min={1}
                max={52}
                error={errors.interval?.message}
                {...register('interval', { valueAsNumber: true })}
              />
            ) : null}
            {v.repeat === 'monthly' ? (
              <SelectField label="On" error={errors.monthlyBy?.message} {...register('monthlyBy')}>
                <option value="date">{monthly.byDate}</option>
                <option value="weekday">{monthly.nth}</option>
                {monthly.last || v.monthlyBy === 'last' ? (
                  <option value="last">{monthly.last ?? 'The last weekday'}</option>
                ) : null}
              </SelectField>
            ) : null}
          </div>
          {v.repeat === 'weekly' ? (
            <Fieldset legend="On these days" error={errors.weekdays?.message} className="checkbox-row">
              {weekdayCodes.map((code) => (
                <Checkbox key={code} label={WEEKDAY_LABELS[code]} value={code} {...register('weekdays')} />
              ))}
            </Fieldset>
          ) : null}
          {v.repeat !== 'none' ? (
            <div className="form-grid form-grid-3">
              <SelectField label="Ends" {...register('endBy')}>
                <option value="count">After a number of appointments</option>
                <option value="until">On a date</option>
              </SelectField>
              {v.endBy === 'count' ? (
                <TextField
                  label="Number of appointments"
                  type="number"
                  min={1}
                  max={520}
                  error={errors.count?.message}
                  {...register('count', { valueAsNumber: true })}
                />
              ) : (
                <TextField
                  label="Last date"
                  type="date"
                  min={v.date}
                  error={errors.until?.message}
                  {...register('until')}
                />
              )}
            </div>
          ) : null}
        </Fieldset>

        <section aria-label="Schedule check" className="booking-check" data-testid="booking-check">
          {check.isFetching && !check.data ? <p className="muted">Checking the schedule…</p> : null}
          {check.isError ? <Alert tone="error">{errorMessage(check.error)}</Alert> : null}
          {check.data && conflicts.length === 0 ? (
            <p className="booking-ok" role="status">
              ✓ This time is free
              {check.data.occurrences > 1 ? ` for all ${check.data.occurrences} appointments` : ''}.
            </p>
          ) : null}
          {conflicts.length > 0 ? (
            <Alert
              tone="warning"
              title={
                mayOverride ? 'This time conflicts — booking it needs an override' : 'This time conflicts'
              }
            >
              <ul>
                {[...new Set(conflicts.map((c) => c.message))].slice(0, 6).map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          {conflicts.length > 0 && mayOverride ? (
            <TextField
              label="Reason for the override"
              hint="Recorded with the booking and in the audit report."
              error={errors.overrideReason?.message}
              {...register('overrideReason')}
            />
          ) : null}
          <div className="button-row">
            <Button
              size="small"
              onClick={() =>
                setNextFrom(
                  startsAt && Date.parse(startsAt) > Date.now()
                    ? toInstant(v.date, '00:00', zone)
                    : new Date().toISOString(),
                )
              }
            >
              Find next available
            </Button>
            {next.isFetching ? <span className="muted">Looking…</span> : null}
          </div>
          {next.isError ? <Alert tone="error">{errorMessage(next.error)}</Alert> : null}
          {next.data ? (
            next.data.slots.length ? (
              <ul className="slot-list" aria-label="Next free times">
                {next.data.slots.map((slot) => (
                  <li key={slot.startsAt}>
                    <Button
                      size="small"
                      onClick={() => {
                        setValue('date', dateOf(slot.startsAt, zone));
                        setValue('time', timeOf(slot.startsAt, zone));
                        setValue('locationId', slot.locationId);
                      }}
                    >
                      {shortDay(dateOf(slot.startsAt, zone))} {formatTime(slot.startsAt, zone)}
                    </Button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">
                No free time in the next 120 days. Try another provider or a shorter length.
              </p>
            )
          ) : null}
        </section>

        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Booking…">
            {v.repeat === 'none' ? 'Book appointment' : 'Book series'}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
