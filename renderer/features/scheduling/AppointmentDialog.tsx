import { useState, type ComponentProps } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  appointmentStatusLabels,
  modalityLabels,
  type Appointment,
  type AppointmentDetail,
} from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { StartVideoVisitLink } from '../telehealth/StartVideoVisit';
import { VisitTimes } from '../telehealth/VisitTimes';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { providerDisplayName } from './provider-name';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { dateOf, duration, longDay, timeOf, toInstant } from './clinic-time';
import { useMoveFlow } from './MoveFlow';
import { StatusBadge } from './StatusBadge';
import { lookup, patientName, type SchedulingSetup } from './use-scheduling-data';
import { todayIn } from '../../../server/contracts/calendar';
import { formatTimeRange } from '../../ui/format';

interface AppointmentDialogProps {
  appointmentId: string;
  setup: SchedulingSetup;
  onClose(): void;
  onNotice(message: string, tone: 'success' | 'error'): void;
}

type Mode = 'view' | 'edit' | 'cancel';

/** One appointment: who, when, where, its status steps and change history; edit, cancel or mark a no-show. */
export function AppointmentDialog({ appointmentId, setup, onClose, onNotice }: AppointmentDialogProps) {
  const detail = useQuery({
    queryKey: keys.appointment(appointmentId),
    queryFn: ({ queryKey, signal }) =>
      call('getAppointment', { params: { id: appointmentId }, signal, background: isLiveRefresh(queryKey) }),
  });
  const [mode, setMode] = useState<Mode>('view');
  const title = detail.data ? patientName(detail.data.appointment) : 'Appointment';
  return (
    <Dialog title={title} onClose={onClose} className="dialog-wide" testId="appointment-dialog">
      {detail.isPending ? <p className="loading">Loading…</p> : null}
      {detail.isError ? <Alert tone="error">{errorMessage(detail.error)}</Alert> : null}
      {detail.data && mode === 'view' ? (
        <AppointmentView
          detail={detail.data}
          setup={setup}
          onMode={setMode}
          onNotice={onNotice}
          onClose={onClose}
        />
      ) : null}
      {detail.data && mode === 'edit' ? (
        <EditForm
          appointment={detail.data.appointment}
          setup={setup}
          onDone={(m) => {
            onNotice(m, 'success');
            setMode('view');
          }}
          onCancel={() => setMode('view')}
        />
      ) : null}
      {detail.data && mode === 'cancel' ? (
        <CancelForm
          appointment={detail.data.appointment}
          onDone={(m) => {
            onNotice(m, 'success');
            onClose();
          }}
          onCancel={() => setMode('view')}
        />
      ) : null}
    </Dialog>
  );
}

function AppointmentView({
  detail,
  setup,
  onMode,
  onNotice,
  onClose,
}: {
  detail: AppointmentDetail;
  setup: SchedulingSetup;
  onMode(mode: Mode): void;
  onNotice(message: string, tone: 'success' | 'error'): void;
  onClose(): void;
}) {
  const session = useSession();
  const zone = session.clinic.timeZone;
  const can = useCan();
  const queryClient = useQueryClient();
  const a = detail.appointment;
  const names = lookup(setup);
  const provider = names.provider(a.providerId);
  const type = names.type(a.appointmentTypeId);
  const location = names.location(a.locationId);
  const editable = can('schedule.write') && a.status === 'scheduled';
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
  const noShow = useMutation({
    mutationFn: () => call('markNoShow', { params: { id: a.id } }),
    onSuccess: () => {
      refresh();
      onNotice('Recorded as a no-show.', 'success');
    },
    onError: (err) => onNotice(errorMessage(err), 'error'),
  });
  const resolve = useMutation({
    mutationFn: () => call('resolveDoubleBooking', { params: { id: a.id } }),
    onSuccess: refresh,
    onError: (err) => onNotice(errorMessage(err), 'error'),
  });
  const date = dateOf(a.startsAt, zone);
  return (
    <div className="appt-detail">
      {a.doubleBookedAt ? (
        <Alert tone="warning" title="Double-booked">
          <p>
            Two workstations booked overlapping times while offline. Move or cancel one of them, then mark it
            as dealt with.
          </p>
          {can('schedule.write') ? (
            <Button size="small" busy={resolve.isPending} onClick={() => resolve.mutate()}>
              Mark as resolved
            </Button>
          ) : null}
        </Alert>
      ) : null}
      <dl className="facts">
        <div>
          <dt>Patient</dt>
          <dd>
            <Link to={`/patients/${a.patient.id}`} onClick={onClose}>
              {patientName(a)}
            </Link>{' '}
            · DOB {formatCalendarDate(a.patient.dateOfBirth)} · MRN <code>{a.patient.mrn}</code>
            {a.patient.restricted ? <span className="badge badge-warning">Restricted record</span> : null}
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            {longDay(date)}, {formatTimeRange(a.startsAt, a.endsAt, zone)} (
            {duration(Date.parse(a.endsAt) - Date.parse(a.startsAt))})
          </dd>
        </div>
        <div>
          <dt>With</dt>
          <dd>{provider ? providerDisplayName(provider) : 'Unknown provider'}</dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>
            {type?.name ?? 'Appointment'} · {modalityLabels[a.modality]}
          </dd>
        </div>
        <div>
          <dt>Where</dt>
          <dd>
            {location?.name ?? ''}
            {a.roomId ? `, ${names.roomName(a.roomId)}` : ''}
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={a.status} />
            {a.status === 'cancelled' && a.cancelReason
              ? ` — ${a.cancelReason}${a.lateCancel ? ' (late cancel)' : ''}`
              : ''}
          </dd>
        </div>
        {detail.series ? (
          <div>
            <dt>Repeats</dt>
            <dd>
              {detail.series.recurrenceText}
              {a.detached ? ' (this one changed on its own)' : ''}
            </dd>
          </div>
        ) : null}
        {a.note ? (
          <div>
            <dt>Reason</dt>
            <dd>{a.note}</dd>
          </div>
        ) : null}
        {a.overrideReason ? (
          <div>
            <dt>Override</dt>
            <dd>{a.overrideReason}</dd>
          </div>
        ) : null}
      </dl>
      <VisitTimes appointment={a} timeZone={zone} />
      <div className="button-row">
        <StartVideoVisitLink appointment={a} />
        <Link className="btn btn-secondary" to={`/patients/${a.patient.id}`} onClick={onClose}>
          Open chart
        </Link>
        {editable ? <Button onClick={() => onMode('edit')}>Edit or reschedule</Button> : null}
        {can('schedule.write') && (a.status === 'scheduled' || a.status === 'arrived') ? (
          <Button variant="danger" onClick={() => onMode('cancel')}>
            Cancel appointment
          </Button>
        ) : null}
        {can('checkin.write') && a.status === 'scheduled' && date <= todayIn(zone) ? (
          <Button busy={noShow.isPending} busyLabel="Saving…" onClick={() => noShow.mutate()}>
            Mark no-show
          </Button>
        ) : null}
      </div>
      {detail.steps.length ? (
        <section aria-labelledby="appt-steps">
          <h3 id="appt-steps" className="section-title">
            Visit steps
          </h3>
          <ol className="history">
            {detail.steps.map((s, i) => (
              <li key={i} className={s.undoneAt ? 'history-undone' : ''}>
                {appointmentStatusLabels[s.to]} — {formatShortDateTime(s.at, zone)} by{' '}
                {s.userName ?? 'the system'}
                {s.undoneAt ? ` (undone ${formatShortDateTime(s.undoneAt, zone)})` : ''}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {detail.changes.length ? (
        <section aria-labelledby="appt-changes">
          <h3 id="appt-changes" className="section-title">
            Changes
          </h3>
          <ol className="history">
            {detail.changes.map((c, i) => (
              <li key={i}>
                {changeText(c, zone)} — {formatShortDateTime(c.at, zone)} by {c.userName ?? 'the system'}
                {c.reason ? `: “${c.reason}”` : ''}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}

function changeText(c: AppointmentDetail['changes'][number], zone: string): string {
  const from = typeof c.before.startsAt === 'string' ? c.before.startsAt : null;
  const to = typeof c.after.startsAt === 'string' ? c.after.startsAt : null;
  if (from && to) return `Moved from ${formatShortDateTime(from, zone)} to ${formatShortDateTime(to, zone)}`;
  if (c.kind === 'resized') return 'Length changed';
  if (c.kind === 'reassigned') return 'Provider or room changed';
  if (c.kind === 'series_edit') return 'Changed with the series';
  return 'Details changed';
}

function ScopeSelect(props: Omit<ComponentProps<typeof SelectField>, 'label' | 'children'>) {
  return (
    <SelectField label="Apply to" {...props}>
      <option value="this">Only this appointment</option>
      <option value="following">This and the following ones</option>
      <option value="series">Every appointment in the series (from now on)</option>
    </SelectField>
  );
}

const seriesScope = z.enum(['this', 'following', 'series']);

/** Changing an appointment: a real date and time, a length of 5 to 720 minutes (sentences by each field). */
export const editAppointmentSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date.'),
  time: z.string().regex(/^\d{2}:\d{2}$/, 'Enter the start time.'),
  length: z.string().refine((v) => {
    const n = Number(v);
    return v.trim() !== '' && Number.isInteger(n) && n >= 5 && n <= 720;
  }, 'Enter a length from 5 to 720 minutes.'),
  providerId: z.string().min(1, 'Choose the provider.'),
  roomId: z.string(),
  scope: seriesScope,
  note: z.string().trim().max(500, 'At most 500 characters.'),
  reason: z.string().trim().max(500, 'At most 500 characters.'),
});
type EditValues = z.infer<typeof editAppointmentSchema>;

function EditForm({
  appointment: a,
  setup,
  onDone,
  onCancel,
}: {
  appointment: Appointment;
  setup: SchedulingSetup;
  onDone(message: string): void;
  onCancel(): void;
}) {
  const zone = useSession().clinic.timeZone;
  const { register, handleSubmit, setError, watch, formState } = useForm<EditValues>({
    resolver: zodResolver(editAppointmentSchema),
    defaultValues: {
      date: dateOf(a.startsAt, zone),
      time: timeOf(a.startsAt, zone),
      length: String((Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000),
      providerId: a.providerId,
      roomId: a.roomId ?? '',
      scope: 'this',
      note: a.note,
      reason: '',
    },
  });
  const { errors } = formState;
  const server = useServerErrors(
    { setError, watch },
    ['date', 'time', 'length', 'providerId', 'roomId', 'scope', 'note', 'reason'],
    { startsAt: 'date', endsAt: 'length' },
  );
  const location = setup.locations.find((l) => l.id === a.locationId);
  const { move, busy, dialogs } = useMoveFlow((message, tone) =>
    tone === 'success' ? onDone(message) : server.setBanner(message),
  );
  const submit = handleSubmit((v) => {
    server.clear();
    const startsAt = toInstant(v.date, v.time, zone);
    move(
      a,
      {
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + Number(v.length) * 60_000).toISOString(),
        providerId: v.providerId,
        roomId: v.roomId || null,
        note: v.note,
        ...(v.reason && { reason: v.reason }),
      },
      { verb: 'Change', scope: v.scope },
    );
  });
  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      <div className="form-grid form-grid-3">
        <TextField
          label="Date"
          type="date"
          data-autofocus
          error={errors.date?.message}
          {...register('date')}
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
          error={errors.length?.message}
          {...register('length')}
        />
        <SelectField label="Provider" error={errors.providerId?.message} {...register('providerId')}>
          {setup.providers
            .filter((p) => p.active || p.id === a.providerId)
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
        </SelectField>
        <SelectField label="Room" error={errors.roomId?.message} {...register('roomId')}>
          <option value="">No room</option>
          {(location?.rooms ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </SelectField>
        {a.seriesId ? <ScopeSelect error={errors.scope?.message} {...register('scope')} /> : null}
      </div>
      <TextField label="Reason for visit" error={errors.note?.message} {...register('note')} />
      <TextField
        label="Why it changed (optional, kept in the history)"
        error={errors.reason?.message}
        {...register('reason')}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={busy} busyLabel="Saving…">
          Save appointment
        </Button>
        <Button onClick={onCancel}>Back to the appointment</Button>
      </div>
      {dialogs}
    </form>
  );
}

/** Cancelling: a reason (at least a few words), late or not, and how much of a series. */
export const cancelAppointmentSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(3, 'Say why the appointment is cancelled.')
    .max(500, 'At most 500 characters.'),
  late: z.boolean(),
  scope: seriesScope,
});
type CancelValues = z.infer<typeof cancelAppointmentSchema>;

function CancelForm({
  appointment: a,
  onDone,
  onCancel,
}: {
  appointment: Appointment;
  onDone(message: string): void;
  onCancel(): void;
}) {
  const queryClient = useQueryClient();
  // Read once, when the form opens (as the state initialiser did before).
  const [lateNow] = useState(() => Date.parse(a.startsAt) - Date.now() < 24 * 3_600_000);
  const { register, handleSubmit, setError, watch, formState } = useForm<CancelValues>({
    resolver: zodResolver(cancelAppointmentSchema),
    // Late when less than 24 hours before the start (the server applies the same rule when not told).
    defaultValues: {
      reason: '',
      late: lateNow,
      scope: 'this',
    },
  });
  const { errors } = formState;
  const server = useServerErrors({ setError, watch }, ['reason', 'late', 'scope'], {
    lateCancel: 'late',
  });
  const submit = handleSubmit(async (v) => {
    server.clear();
    try {
      const r = await call('cancelAppointment', {
        params: { id: a.id },
        body: { reason: v.reason, lateCancel: v.late, scope: v.scope },
      });
      void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
      onDone(r.affected > 1 ? `Cancelled ${r.affected} appointments.` : 'Appointment cancelled.');
    } catch (err) {
      server.report(err);
    }
  });
  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      <TextField
        label="Reason for cancelling"
        data-autofocus
        error={errors.reason?.message}
        {...register('reason')}
      />
      <Checkbox
        label="Late cancel (less than 24 hours before the start)"
        error={errors.late?.message}
        {...register('late')}
      />
      {a.seriesId ? <ScopeSelect error={errors.scope?.message} {...register('scope')} /> : null}
      <div className="button-row">
        <Button type="submit" variant="danger" busy={formState.isSubmitting} busyLabel="Cancelling…">
          Cancel appointment
        </Button>
        <Button onClick={onCancel}>Keep appointment</Button>
      </div>
    </form>
  );
}
