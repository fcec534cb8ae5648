import { useEffect, useLayoutEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { Appointment, Schedule } from '../../../server/contracts/scheduling';
import { call, endpointUrl, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { AppointmentDialog } from './AppointmentDialog';
import { BookingDialog, type BookingStart } from './BookingDialog';
import {
  addMonths,
  dateOf,
  hhmm,
  longDay,
  minutesOf,
  monthTitle,
  shortDay,
  toInstant,
  weekDates,
} from './clinic-time';
import { MonthView } from './MonthView';
import { nextFreeSlot } from './next-free-slot';
import { ScheduleLegend } from './ScheduleLegend';
import { useMoveFlow } from './MoveFlow';
import { TimeGrid, type GridColumn, type GridTarget } from './TimeGrid';
import { providerDisplayName } from './provider-name';
import { lookup, useSchedulingSetup } from './use-scheduling-data';
import './scheduling.css';
import { addDays, todayIn } from '../../../server/contracts/calendar';

type View = 'day' | 'week' | 'month';
type Mode = 'providers' | 'rooms';

/**
 * The schedule: a day with one column per provider (or per room), a provider's week, or a month overview.
 * Click or Enter on a free slot books; drag (or Alt+arrows) moves; the grid refreshes by itself when
 * someone else changes the schedule.
 */
export function SchedulePage() {
  const session = useSession();
  const zone = session.clinic.timeZone;
  const can = useCan();
  const canEdit = can('schedule.write');
  const [params, setParams] = useSearchParams();
  const setup = useSchedulingSetup();
  const names = lookup(setup);
  const today = todayIn(zone);
  const view = (params.get('view') as View) || 'day';
  const mode = (params.get('mode') as Mode) || 'providers';
  const date = params.get('date') || today;
  const activeProviders = setup.providers.filter((p) => p.active);
  const myProvider = setup.providers.find((p) => p.userId === session.user.id);
  const providerId = params.get('provider') || myProvider?.id || activeProviders[0]?.id || '';
  const locationId = params.get('location') || setup.locations.find((l) => l.active)?.id || '';
  const [booking, setBooking] = useState<BookingStart | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const notify = (text: string, tone: 'success' | 'error') => setNotice({ text, tone });
  const { move, dialogs } = useMoveFlow(notify);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const days = view === 'week' ? weekDates(date) : [date];
  const from = days[0]!;
  const to = days.at(-1)!;
  const query = { from, to, ...(view === 'week' && providerId && { providerId }) };
  const schedule = useQuery({
    queryKey: keys.schedule(query),
    queryFn: ({ queryKey, signal }) =>
      call('getSchedule', { query, signal, background: isLiveRefresh(queryKey) }),
    enabled: view !== 'month' && setup.ready,
  });

  const step = (n: number) => {
    if (view === 'month') set({ date: addMonths(date, n) });
    else set({ date: addDays(date, view === 'week' ? 7 * n : n) });
  };
  const now = useClinicNow(zone);
  const columns = schedule.data
    ? buildColumns(schedule.data, view, mode, days, providerId, locationId, setup, zone)
    : [];
  /** A new appointment starts at the provider's next free slot, never in the past. */
  const newBooking = (): BookingStart => {
    const column = columns.find((c) => c.providerId === providerId && c.date === date);
    const type = setup.types.find((t) => t.active);
    const minute = nextFreeSlot({
      date,
      today,
      nowMinute: now.minute,
      hours: column?.hours ?? [],
      busy: (column?.appointments ?? []).map((a) => ({
        start: minutesOf(a.startsAt, zone),
        end: minutesOf(a.endsAt, zone) || 24 * 60,
        status: a.status,
      })),
      length: type?.durationMinutes ?? 30,
    });
    return { date, time: hhmm(minute), providerId, locationId };
  };

  // "n" books the next free slot; ← and → step through days (weeks, months) — wherever focus is, except in
  // a field, a dialog or the grid itself (whose arrow keys move between slots). Bound in the commit, before
  // paint, so a key pressed as soon as the new date shows steps from that date, not from the one before.
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || booking || openId) return;
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || document.querySelector('dialog[open]')) return;
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        if (target.closest('.time-grid')) return;
        e.preventDefault();
        step(e.key === 'ArrowLeft' ? -1 : 1);
        return;
      }
      if (e.key !== 'n' || !canEdit) return;
      e.preventDefault();
      setBooking(newBooking());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  const [rangeStart, rangeEnd] = visibleRange(columns, zone);
  const doubleBooked = schedule.data?.appointments.filter((a) => a.doubleBookedAt) ?? [];

  const onMove = (a: Appointment, target: GridTarget) => {
    const length = Date.parse(a.endsAt) - Date.parse(a.startsAt);
    const startsAt = toInstant(target.column.date, hhmm(target.startMinute), zone);
    move(a, {
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + length).toISOString(),
      ...(target.column.providerId &&
        target.column.providerId !== a.providerId && { providerId: target.column.providerId }),
      ...(mode === 'rooms' &&
        view === 'day' &&
        target.column.roomId !== a.roomId && { roomId: target.column.roomId }),
    });
  };
  const onResize = (a: Appointment, endMinute: number) => {
    move(
      a,
      { endsAt: toInstant(dateOf(a.startsAt, zone), hhmm(endMinute), zone) },
      { verb: 'Change the length of' },
    );
  };

  const title =
    view === 'month'
      ? monthTitle(date.slice(0, 7))
      : view === 'week'
        ? `Week of ${shortDay(days[0]!)}`
        : longDay(date);
  const provider = names.provider(providerId);
  const location = names.location(locationId);

  return (
    <section className="page page-wide schedule-page">
      <PageHeader
        title="Schedule"
        actions={
          canEdit ? (
            <Button
              variant="primary"
              aria-keyshortcuts="n"
              title="Book appointment (N)"
              onClick={() => setBooking(newBooking())}
              disabled={!setup.ready || activeProviders.length === 0}
            >
              Book appointment
            </Button>
          ) : null
        }
      />
      <div className="schedule-toolbar" role="toolbar" aria-label="Schedule view">
        <div className="segmented" role="group" aria-label="View">
          {(['day', 'week', 'month'] as const).map((v) => (
            <Button key={v} size="small" aria-pressed={view === v} onClick={() => set({ view: v })}>
              {v === 'day' ? 'Day' : v === 'week' ? 'Week' : 'Month'}
            </Button>
          ))}
        </div>
        {view === 'day' ? (
          <div className="segmented" role="group" aria-label="Columns">
            <Button size="small" aria-pressed={mode === 'providers'} onClick={() => set({ mode: null })}>
              Providers
            </Button>
            <Button size="small" aria-pressed={mode === 'rooms'} onClick={() => set({ mode: 'rooms' })}>
              Rooms
            </Button>
          </div>
        ) : null}
        <div className="segmented" role="group" aria-label="Dates">
          <Button size="small" onClick={() => step(-1)} aria-label={`Previous ${view}`}>
            ‹
          </Button>
          <Button size="small" onClick={() => set({ date: null })}>
            Today
          </Button>
          <Button size="small" onClick={() => step(1)} aria-label={`Next ${view}`}>
            ›
          </Button>
        </div>
        <TextField
          label="Date"
          type="date"
          value={date}
          fieldClassName="field-inline"
          onChange={(e) => e.target.value && set({ date: e.target.value })}
        />
        {view !== 'day' ? (
          <SelectField
            label="Provider"
            fieldClassName="field-inline"
            value={providerId}
            onChange={(e) => set({ provider: e.target.value })}
          >
            {setup.providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.active ? '' : ' (inactive)'}
              </option>
            ))}
          </SelectField>
        ) : null}
        {view === 'day' && mode === 'rooms' && setup.locations.length > 1 ? (
          <SelectField
            label="Location"
            fieldClassName="field-inline"
            value={locationId}
            onChange={(e) => set({ location: e.target.value })}
          >
            {setup.locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        {view === 'week' && provider ? (
          <a
            className="btn btn-secondary btn-small"
            href={endpointUrl('exportProviderSchedule', {
              params: { id: provider.id },
              query: { from: days[0]!, to: addDays(days[0]!, 90) },
            })}
            download
          >
            Export calendar (.ics)
          </a>
        ) : null}
      </div>
      <h2 className="schedule-title" aria-live="polite">
        {title}
        {view !== 'day' && provider ? ` — ${provider.name}` : ''}
        {view === 'day' && mode === 'rooms' && location ? ` — ${location.name}` : ''}
      </h2>

      {notice ? (
        <Alert tone={notice.tone} testId="schedule-notice">
          {notice.text}
        </Alert>
      ) : null}
      {setup.error ? <Alert tone="error">{errorMessage(setup.error)}</Alert> : null}
      {doubleBooked.length ? (
        <Alert tone="warning" title="Double-booked after sync">
          {doubleBooked.length === 1
            ? 'One appointment overlaps'
            : `${doubleBooked.length} appointments overlap`}{' '}
          another booking made on a different workstation while offline. Open each (marked ⚠) to move, cancel
          or mark it resolved.
        </Alert>
      ) : null}

      {setup.ready && activeProviders.length === 0 ? (
        <EmptyState>
          No providers are set up yet.{' '}
          {can('schedule.manage') ? (
            <>
              Add them in <Link to="/schedule/setup">Scheduling set-up</Link>: providers, a location with
              rooms, appointment types and working hours.
            </>
          ) : (
            'An administrator adds providers, rooms and appointment types in Scheduling set-up.'
          )}
        </EmptyState>
      ) : null}

      {view === 'month' ? (
        <MonthView
          month={date.slice(0, 7)}
          providerId={providerId || null}
          today={today}
          onOpenDay={(d) => set({ view: 'day', date: d })}
        />
      ) : schedule.isPending && setup.ready ? (
        <Loading label="Loading the schedule…" />
      ) : schedule.isError ? (
        <Alert tone="error">{errorMessage(schedule.error)}</Alert>
      ) : columns.length ? (
        <>
          {schedule.data && schedule.data.appointments.length === 0 ? (
            <p className="muted schedule-empty">
              No appointments {view === 'week' ? 'this week' : 'on this day'}
              {canEdit ? ' — choose a free slot (or press N) to book one.' : '.'}
            </p>
          ) : null}
          <ScheduleLegend types={setup.types.filter((t) => t.active)} />
          <TimeGrid
            now={now}
            scrollToMinute={Math.max(
              rangeStart,
              Math.min(8 * 60, ...columns.flatMap((c) => c.hours.map((h) => h.start))),
            )}
            label={`${title}: ${view === 'week' ? 'days' : mode === 'rooms' ? 'rooms' : 'providers'} by time`}
            columns={columns}
            zone={zone}
            startMinute={rangeStart}
            endMinute={rangeEnd}
            canEdit={canEdit}
            typeColor={(id) => names.type(id)?.color ?? '#8a939e'}
            typeName={(id) => names.type(id)?.name ?? 'Appointment'}
            roomName={names.roomName}
            onSlot={(t) =>
              setBooking({
                date: t.column.date,
                time: hhmm(t.startMinute),
                providerId: t.column.providerId ?? providerId,
                roomId: t.column.roomId,
                locationId,
              })
            }
            onOpen={(a) => setOpenId(a.id)}
            onMove={onMove}
            onResize={onResize}
          />
        </>
      ) : null}

      {booking ? (
        <BookingDialog
          setup={setup}
          start={booking}
          onClose={() => setBooking(null)}
          onBooked={(text) => {
            setBooking(null);
            notify(text, 'success');
          }}
        />
      ) : null}
      {openId ? (
        <AppointmentDialog
          appointmentId={openId}
          setup={setup}
          onClose={() => setOpenId(null)}
          onNotice={notify}
        />
      ) : null}
      {dialogs}
    </section>
  );
}

/** The clinic's date and minute of the day now, moved on every half minute (the schedule's "now" line). */
function useClinicNow(zone: string): { date: string; minute: number } {
  const [instant, setInstant] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setInstant(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  const iso = instant.toISOString();
  return { date: dateOf(iso, zone), minute: minutesOf(iso, zone) };
}

function buildColumns(
  data: Schedule,
  view: View,
  mode: Mode,
  days: string[],
  providerId: string,
  locationId: string,
  setup: Pick<ReturnType<typeof useSchedulingSetup>, 'providers' | 'locations'>,
  zone: string,
): GridColumn[] {
  const onDay = (iso: string, day: string) => dateOf(iso, zone) === day;
  const hoursFor = (pid: string, day: string) =>
    data.hours
      .filter((h) => h.providerId === pid && onDay(h.startsAt, day))
      .map((h) => ({ start: minutesOf(h.startsAt, zone), end: minutesOf(h.endsAt, zone) || 24 * 60 }));
  const touches = (start: string, end: string, day: string) =>
    dateOf(start, zone) <= day && dateOf(end, zone) >= day;
  if (view === 'week') {
    const provider = setup.providers.find((p) => p.id === providerId);
    return days.map((day) => ({
      key: day,
      label: shortDay(day),
      color: provider?.color,
      date: day,
      providerId,
      roomId: null,
      appointments: data.appointments.filter((a) => a.providerId === providerId && onDay(a.startsAt, day)),
      blocks: data.blocks.filter(
        (b) =>
          (b.providerId === providerId || (b.providerId === null && b.roomId === null)) &&
          touches(b.startsAt, b.endsAt, day),
      ),
      hours: hoursFor(providerId, day),
    }));
  }
  const day = days[0]!;
  if (mode === 'rooms') {
    const location = setup.locations.find((l) => l.id === locationId);
    const rooms = (location?.rooms ?? []).filter((r) => r.active);
    const open = [{ start: 0, end: 24 * 60 }];
    const columns: GridColumn[] = rooms.map((r) => ({
      key: r.id,
      label: r.name,
      date: day,
      providerId: null,
      roomId: r.id,
      appointments: data.appointments.filter((a) => a.roomId === r.id),
      blocks: data.blocks.filter((b) => b.roomId === r.id || (b.providerId === null && b.roomId === null)),
      hours: open,
    }));
    const unassigned = data.appointments.filter((a) => !a.roomId && a.locationId === locationId);
    columns.push({
      key: 'no-room',
      label: 'No room',
      date: day,
      providerId: null,
      roomId: null,
      appointments: unassigned,
      blocks: [],
      hours: open,
    });
    return columns;
  }
  return setup.providers
    .filter((p) => p.active || data.appointments.some((a) => a.providerId === p.id))
    .map((p) => ({
      key: p.id,
      label: p.name,
      // Credentials under the name, unless the name already carries them ("Jordan Lee, MD").
      sublabel: providerDisplayName(p) === p.name.trim() ? undefined : p.credentials,
      color: p.color,
      date: day,
      providerId: p.id,
      roomId: null,
      appointments: data.appointments.filter((a) => a.providerId === p.id),
      blocks: data.blocks.filter(
        (b) => b.providerId === p.id || (b.providerId === null && b.roomId === null),
      ),
      hours: hoursFor(p.id, day),
    }));
}

/** From an hour before the earliest work (or appointment) to an hour after the latest; 07:00–19:00 at least in part. */
function visibleRange(columns: GridColumn[], zone: string): [number, number] {
  let start = 8 * 60;
  let end = 17 * 60;
  for (const c of columns) {
    for (const h of c.hours) {
      if (h.start < start) start = h.start;
      if (h.end > end && h.end <= 24 * 60) end = h.end;
    }
    for (const a of c.appointments) {
      start = Math.min(start, minutesOf(a.startsAt, zone));
      end = Math.max(end, minutesOf(a.endsAt, zone) || 24 * 60);
    }
  }
  return [Math.max(0, Math.floor(start / 60) * 60 - 60), Math.min(24 * 60, Math.ceil(end / 60) * 60 + 60)];
}
