import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  appointmentStatusLabels,
  modalityLabels,
  type Appointment,
  type AppointmentDetail,
  type SeriesScope,
} from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { StartVideoVisitLink } from '../telehealth/StartVideoVisit';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
import { providerDisplayName } from './provider-name';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { dateOf, duration, longDay, timeOf, toInstant } from './clinic-time';
import { useMoveFlow } from './MoveFlow';
import { StatusBadge } from './StatusBadge';
import { lookup, patientName, type SchedulingSetup } from './use-scheduling-data';
import { todayIn } from '../../../server/contracts/calendar';

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
            {longDay(date)}, {timeOf(a.startsAt, zone)}–{timeOf(a.endsAt, zone)} (
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
            No-show
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

function ScopeSelect({ value, onChange }: { value: SeriesScope; onChange(scope: SeriesScope): void }) {
  return (
    <SelectField label="Apply to" value={value} onChange={(e) => onChange(e.target.value as SeriesScope)}>
      <option value="this">Only this appointment</option>
      <option value="following">This and the following ones</option>
      <option value="series">Every appointment in the series (from now on)</option>
    </SelectField>
  );
}

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
  const [date, setDate] = useState(dateOf(a.startsAt, zone));
  const [time, setTime] = useState(timeOf(a.startsAt, zone));
  const [length, setLength] = useState(String((Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000));
  const [providerId, setProviderId] = useState(a.providerId);
  const [roomId, setRoomId] = useState(a.roomId ?? '');
  const [note, setNote] = useState(a.note);
  const [scope, setScope] = useState<SeriesScope>('this');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const location = setup.locations.find((l) => l.id === a.locationId);
  const { move, busy, dialogs } = useMoveFlow((message, tone) =>
    tone === 'success' ? onDone(message) : setError(message),
  );
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const minutes = Number(length);
        if (
          !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
          !/^\d{2}:\d{2}$/.test(time) ||
          !(minutes >= 5 && minutes <= 720)
        ) {
          setError('Check the date, the start time and the length (5 to 720 minutes).');
          return;
        }
        setError(null);
        const startsAt = toInstant(date, time, zone);
        move(
          a,
          {
            startsAt,
            endsAt: new Date(Date.parse(startsAt) + minutes * 60_000).toISOString(),
            providerId,
            roomId: roomId || null,
            note,
            ...(reason.trim() && { reason: reason.trim() }),
          },
          { verb: 'Change', scope },
        );
      }}
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="form-grid form-grid-3">
        <TextField
          label="Date"
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          data-autofocus
        />
        <TextField
          label="Start time"
          type="time"
          step={300}
          value={time}
          onChange={(e) => setTime(e.target.value)}
        />
        <TextField
          label="Length (minutes)"
          type="number"
          min={5}
          max={720}
          step={5}
          value={length}
          onChange={(e) => setLength(e.target.value)}
        />
        <SelectField label="Provider" value={providerId} onChange={(e) => setProviderId(e.target.value)}>
          {setup.providers
            .filter((p) => p.active || p.id === a.providerId)
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
        </SelectField>
        <SelectField label="Room" value={roomId} onChange={(e) => setRoomId(e.target.value)}>
          <option value="">No room</option>
          {(location?.rooms ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </SelectField>
        {a.seriesId ? <ScopeSelect value={scope} onChange={setScope} /> : null}
      </div>
      <TextField label="Reason for visit" value={note} onChange={(e) => setNote(e.target.value)} />
      <TextField
        label="Why it changed (optional, kept in the history)"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={busy} busyLabel="Saving…">
          Save
        </Button>
        <Button onClick={onCancel}>Back</Button>
      </div>
      {dialogs}
    </form>
  );
}

function CancelForm({
  appointment: a,
  onDone,
  onCancel,
}: {
  appointment: Appointment;
  onDone(message: string): void;
  onCancel(): void;
}) {
  const [reason, setReason] = useState('');
  // Late when less than 24 hours before the start (the server applies the same rule when not told).
  const [late, setLate] = useState(() => Date.parse(a.startsAt) - Date.now() < 24 * 3_600_000);
  const [scope, setScope] = useState<SeriesScope>('this');
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () =>
      call('cancelAppointment', {
        params: { id: a.id },
        body: { reason: reason.trim(), lateCancel: late, scope },
      }),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
      onDone(r.affected > 1 ? `Cancelled ${r.affected} appointments.` : 'Appointment cancelled.');
    },
    onError: (err) => setError(formErrorMessage(err)),
  });
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim().length < 3) setError('Say why the appointment is cancelled.');
        else cancel.mutate();
      }}
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      <TextField
        label="Reason for cancelling"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-autofocus
      />
      <Checkbox
        label="Late cancel (less than 24 hours before the start)"
        checked={late}
        onChange={(e) => setLate(e.target.checked)}
      />
      {a.seriesId ? <ScopeSelect value={scope} onChange={setScope} /> : null}
      <div className="button-row">
        <Button type="submit" variant="danger" busy={cancel.isPending} busyLabel="Cancelling…">
          Cancel appointment
        </Button>
        <Button onClick={onCancel}>Keep it</Button>
      </div>
    </form>
  );
}
