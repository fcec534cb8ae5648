import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  appointmentStatusLabels,
  type Appointment,
  type AppointmentStatus,
  type VisitStep,
} from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { StartVideoVisitLink } from '../telehealth/StartVideoVisit';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField } from '../../ui/Field';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { AppointmentDialog } from './AppointmentDialog';
import { CheckInDialog } from './CheckInDialog';
import { RoomDialog } from './RoomDialog';
import { duration, longDay } from './clinic-time';
import { recordLink } from './record-link';
import { StatusBadge } from './StatusBadge';
import { lookup, patientName, useNow, useSchedulingSetup } from './use-scheduling-data';
import { usePaymentPolicyGate } from '../billing/charges/PaymentPolicyGate';
import './scheduling.css';
import { formatTime, formatTimeRange } from '../../ui/format';

/** What the main button on a row does next, in the words of the front desk. */
const NEXT: Partial<Record<AppointmentStatus, { to: VisitStep; label: string }>> = {
  scheduled: { to: 'arrived', label: 'Mark arrived' },
  arrived: { to: 'checked_in', label: 'Check in' },
  checked_in: { to: 'roomed', label: 'Room patient' },
  roomed: { to: 'with_provider', label: 'Send in to provider' },
  with_provider: { to: 'checked_out', label: 'Check out' },
};

type Filter = 'all' | 'expected' | 'waiting' | 'in_rooms' | 'done';
const FILTERS: Record<Filter, { label: string; statuses: AppointmentStatus[] | null }> = {
  all: { label: 'Everyone', statuses: null },
  expected: { label: 'Expected', statuses: ['scheduled'] },
  waiting: { label: 'Waiting', statuses: ['arrived', 'checked_in'] },
  in_rooms: { label: 'In rooms', statuses: ['roomed', 'with_provider'] },
  done: { label: 'Done or not coming', statuses: ['checked_out', 'cancelled', 'no_show'] },
};

/**
 * Today's check-in board: arrivals by time, each visit's status with the next step one click away, the
 * newest step undoable, and the time waiting counted live. Clinicians see their roomed patients on top
 * with the chart a click away. Refreshes by itself when anyone moves a patient along.
 */
export function BoardPage() {
  const session = useSession();
  const zone = session.clinic.timeZone;
  const can = useCan();
  const setup = useSchedulingSetup();
  const names = lookup(setup);
  const now = useNow(15_000);
  const queryClient = useQueryClient();
  const myProvider = setup.providers.find((p) => p.userId === session.user.id) ?? null;
  const [providerFilter, setProviderFilter] = useState<string>('');
  const [filter, setFilter] = useState<Filter>('all');
  const [checkingIn, setCheckingIn] = useState<Appointment | null>(null);
  const [rooming, setRooming] = useState<Appointment | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const board = useQuery({
    queryKey: keys.board(null),
    queryFn: ({ queryKey, signal }) =>
      call('getCheckInBoard', { signal, background: isLiveRefresh(queryKey) }),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });

  const policy = usePaymentPolicyGate();
  const advance = useMutation({
    mutationFn: async (v: { a: Appointment; to: VisitStep; roomId?: string | null }) => {
      const step = () =>
        call('changeVisitStatus', {
          params: { id: v.a.id },
          body: { to: v.to, ...(v.roomId !== undefined && { roomId: v.roomId }) },
        });
      // "With provider" starts the visit: the clinic's payment policy may ask first (the dialog retries).
      if (v.to !== 'with_provider') return step();
      let moved: Appointment | null = null;
      await policy.guard({ appointmentId: v.a.id }, 'start_visit', async () => {
        moved = await step();
        refresh();
      });
      return moved;
    },
    onSuccess: (a) => {
      if (!a) return;
      setNotice({
        tone: 'success',
        text: `${patientName(a)}: ${appointmentStatusLabels[a.status].toLowerCase()}.`,
      });
      refresh();
    },
    onError: (err) => setNotice({ tone: 'error', text: errorMessage(err) }),
  });
  const undo = useMutation({
    mutationFn: (a: Appointment) => call('undoVisitStatus', { params: { id: a.id } }),
    onSuccess: (a) => {
      setNotice({
        tone: 'success',
        text: `Undone: ${patientName(a)} is back to ${appointmentStatusLabels[a.status].toLowerCase()}.`,
      });
      refresh();
    },
    onError: (err) => setNotice({ tone: 'error', text: errorMessage(err) }),
  });
  const noShow = useMutation({
    mutationFn: (a: Appointment) => call('markNoShow', { params: { id: a.id } }),
    onSuccess: (a) => {
      setNotice({ tone: 'success', text: `${patientName(a)} recorded as a no-show.` });
      refresh();
    },
    onError: (err) => setNotice({ tone: 'error', text: errorMessage(err) }),
  });

  const onNext = (a: Appointment) => {
    const next = NEXT[a.status];
    if (!next) return;
    if (next.to === 'checked_in') setCheckingIn(a);
    else if (next.to === 'roomed') setRooming(a);
    else advance.mutate({ a, to: next.to });
  };

  const all = board.data?.appointments ?? [];
  const statuses = FILTERS[filter].statuses;
  const rows = all.filter(
    (a) => (!providerFilter || a.providerId === providerFilter) && (!statuses || statuses.includes(a.status)),
  );
  const mine = myProvider
    ? all.filter(
        (a) => a.providerId === myProvider.id && (a.status === 'roomed' || a.status === 'with_provider'),
      )
    : [];
  const canStep = can('checkin.write');
  // The board shows once its set-up lists (whose providers decide "Your patients in rooms") and today's
  // appointments have answered: a panel appearing later pushed the rows down under the pointer.
  const ready = (setup.ready || !!setup.error) && !board.isPending;

  return (
    <section className="page page-wide board-page">
      <PageHeader title="Check-in board">
        <p>
          {board.data ? `${longDay(board.data.date)}: today’s` : 'Today’s'} appointments by time. The board
          updates by itself.
        </p>
      </PageHeader>
      {notice ? (
        <Alert tone={notice.tone} testId="board-notice">
          {notice.text}
        </Alert>
      ) : null}
      {setup.error ? <Alert tone="error">{errorMessage(setup.error)}</Alert> : null}
      {policy.dialog}

      {ready && myProvider ? (
        <section aria-labelledby="my-patients" className="panel my-patients" data-testid="my-patients">
          <h2 id="my-patients" className="section-title">
            Your patients in rooms
          </h2>
          {mine.length ? (
            <ul className="my-patient-list">
              {mine.map((a) => (
                <li key={a.id}>
                  <strong>{patientName(a)}</strong> — {names.roomName(a.roomId) || 'no room'} ·{' '}
                  {appointmentStatusLabels[a.status].toLowerCase()} for{' '}
                  {duration(now - Date.parse(a.roomedAt ?? a.statusChangedAt))} ·{' '}
                  <Link to={recordLink(a.patient.id, can('chart.read')).to}>Open chart</Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">
              Nobody is roomed for you right now. Patients appear here when the front desk rooms them.
            </p>
          )}
        </section>
      ) : null}

      {!ready ? <Loading label="Loading today’s appointments…" /> : null}
      {ready ? (
        <div className="board-filters" role="group" aria-label="Filter the board">
          <SelectField
            label="Provider"
            fieldClassName="field-inline"
            value={providerFilter}
            onChange={(e) => setProviderFilter(e.target.value)}
          >
            <option value="">All providers</option>
            {setup.providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <div className="segmented" role="group" aria-label="Status">
            {(Object.keys(FILTERS) as Filter[]).map((f) => (
              <Button key={f} size="small" aria-pressed={filter === f} onClick={() => setFilter(f)}>
                {FILTERS[f].label}
              </Button>
            ))}
          </div>
        </div>
      ) : null}

      {board.isError ? <Alert tone="error">{errorMessage(board.error)}</Alert> : null}
      {ready && board.isSuccess && all.length === 0 ? (
        <EmptyState>
          No appointments today.{' '}
          {can('schedule.write') ? <Link to="/schedule">Book one on the schedule</Link> : null}
        </EmptyState>
      ) : null}
      {ready && board.isSuccess && all.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-dense board-table" aria-label="Today’s appointments">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Patient</th>
                <th scope="col">Provider</th>
                <th scope="col">Type</th>
                <th scope="col">Room</th>
                <th scope="col">Status</th>
                <th scope="col">Waiting</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => {
                const next = NEXT[a.status];
                const record = recordLink(a.patient.id, can('chart.read'));
                const busy =
                  (advance.isPending && advance.variables?.a.id === a.id) ||
                  (undo.isPending && undo.variables?.id === a.id);
                return (
                  <tr
                    key={a.id}
                    data-testid={`board-row-${a.id}`}
                    className={a.doubleBookedAt ? 'row-warning' : undefined}
                  >
                    <td className="nowrap">{formatTimeRange(a.startsAt, a.endsAt, zone)}</td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-link board-patient"
                        onClick={() => setOpenId(a.id)}
                      >
                        {patientName(a)}
                      </button>
                      <span className="muted small">
                        {' '}
                        {formatCalendarDate(a.patient.dateOfBirth)} · MRN {a.patient.mrn}
                      </span>
                      {a.doubleBookedAt ? <span className="badge badge-warning">Double-booked</span> : null}
                      {a.patientConfirmedAt && a.status === 'scheduled' ? (
                        <span
                          className="badge badge-ok"
                          data-testid="patient-confirmed"
                          title={`Confirmed from the reminder ${formatShortDateTime(a.patientConfirmedAt, zone)}`}
                        >
                          Confirmed by patient
                        </span>
                      ) : null}
                    </td>
                    <td>{names.provider(a.providerId)?.name ?? ''}</td>
                    <td>{names.type(a.appointmentTypeId)?.name ?? ''}</td>
                    <td>{names.roomName(a.roomId)}</td>
                    <td>
                      <StatusBadge status={a.status} />
                    </td>
                    <td className="nowrap" data-testid="waiting">
                      {waiting(a, now)}
                    </td>
                    <td>
                      <div className="row-actions">
                        <StartVideoVisitLink appointment={a} small label={`Video visit: ${patientName(a)}`} />
                        {canStep && next ? (
                          <Button
                            size="small"
                            variant="primary"
                            busy={busy}
                            aria-label={`${next.label}: ${patientName(a)}`}
                            onClick={() => onNext(a)}
                          >
                            {next.label}
                          </Button>
                        ) : null}
                        {canStep && a.status === 'scheduled' ? (
                          <Button
                            size="small"
                            aria-label={`Check in now: ${patientName(a)}`}
                            onClick={() => setCheckingIn(a)}
                          >
                            Check in
                          </Button>
                        ) : null}
                        {canStep && a.lastStep ? (
                          <Button
                            size="small"
                            aria-label={`Undo ${appointmentStatusLabels[a.lastStep.to].toLowerCase()}: ${patientName(a)}`}
                            title={`Undo “${appointmentStatusLabels[a.lastStep.to]}” (${formatTime(a.lastStep.at, zone)}, ${a.lastStep.userName ?? 'unknown'})`}
                            onClick={() => undo.mutate(a)}
                          >
                            Undo last step
                          </Button>
                        ) : null}
                        {canStep && a.status === 'scheduled' && Date.parse(a.startsAt) < now ? (
                          <Button
                            size="small"
                            aria-label={`No-show: ${patientName(a)}`}
                            onClick={() => noShow.mutate(a)}
                          >
                            Mark no-show
                          </Button>
                        ) : null}
                        {can('billing.post') &&
                        ['checked_in', 'roomed', 'with_provider', 'checked_out'].includes(a.status) ? (
                          <Link
                            className="btn btn-secondary btn-small"
                            to={`/billing/checkout/${a.patient.id}?appointment=${a.id}`}
                            aria-label={`Checkout (payment): ${patientName(a)}`}
                          >
                            Pay
                          </Link>
                        ) : null}
                        <Link
                          className="btn btn-secondary btn-small"
                          to={record.to}
                          aria-label={`Open ${record.label.toLowerCase()}: ${patientName(a)}`}
                        >
                          {record.label}
                        </Link>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="muted board-none">Nobody matches this filter.</p> : null}
        </div>
      ) : null}

      {checkingIn ? (
        <CheckInDialog
          appointment={checkingIn}
          onClose={() => setCheckingIn(null)}
          onDone={(a) => {
            setCheckingIn(null);
            setNotice({
              tone: 'success',
              text: `${patientName(a)} is checked in; the visit is open in the chart.`,
            });
            refresh();
          }}
        />
      ) : null}
      {rooming ? (
        <RoomDialog
          appointment={rooming}
          rooms={
            setup.locations.find((l) => l.id === rooming.locationId)?.rooms.filter((r) => r.active) ?? []
          }
          onClose={() => setRooming(null)}
          onRoom={(roomId) => {
            advance.mutate({ a: rooming, to: 'roomed', roomId });
            setRooming(null);
          }}
        />
      ) : null}
      {openId ? (
        <AppointmentDialog
          appointmentId={openId}
          setup={setup}
          onClose={() => setOpenId(null)}
          onNotice={(text, tone) => setNotice({ text, tone })}
        />
      ) : null}
    </section>
  );
}

/** Time since arrival until the patient is roomed; then time in the room; nothing before or after. */
function waiting(a: Appointment, now: number): string {
  if ((a.status === 'arrived' || a.status === 'checked_in') && (a.arrivedAt ?? a.checkedInAt)) {
    return duration(now - Date.parse((a.arrivedAt ?? a.checkedInAt)!));
  }
  if ((a.status === 'roomed' || a.status === 'with_provider') && a.roomedAt)
    return `in room ${duration(now - Date.parse(a.roomedAt))}`;
  return '';
}
