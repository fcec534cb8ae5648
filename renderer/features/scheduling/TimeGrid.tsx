import {
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import {
  appointmentStatusLabels,
  blockKindLabels,
  type Appointment,
  type BlockOccurrence,
} from '../../../server/contracts/scheduling';
import { dateOf, minutesOf, shortDay } from './clinic-time';
import { formatWallTime } from '../../ui/format';
import { SLOT_MINUTES } from './slots';
import { patientName } from './use-scheduling-data';

/**
 * The calendar grid behind the day, room and week views: one column per provider, room or day; 15-minute
 * slots down the side. Empty slots are buttons (click or Enter books there); arrow keys move between slots.
 * Appointments can be dragged to another slot or column, resized from their bottom edge, or moved with
 * Alt+arrows (Alt+Shift+↑/↓ changes the length) — the keyboard way to do what dragging does.
 */

/** Dense enough that 08:00–18:00 (450 px) fits a 1366×768 screen with the toolbar; the rest scrolls inside. */
const PX_PER_MINUTE = 0.75;

export interface GridColumn {
  key: string;
  label: string;
  sublabel?: string;
  color?: string;
  /** The clinic-local date this column shows. */
  date: string;
  providerId: string | null;
  roomId: string | null;
  appointments: Appointment[];
  blocks: BlockOccurrence[];
  /** Working hours as minutes of the day. */
  hours: { start: number; end: number }[];
}

export interface GridTarget {
  column: GridColumn;
  startMinute: number;
}

interface TimeGridProps {
  label: string;
  /** Where "now" is in clinic time: a line across the columns showing that date. */
  now?: { date: string; minute: number } | undefined;
  /** Scrolled into view when the grid first shows (the start of the working day). */
  scrollToMinute?: number | undefined;
  columns: GridColumn[];
  zone: string;
  startMinute: number;
  endMinute: number;
  canEdit: boolean;
  typeColor(id: string): string;
  typeName(id: string): string;
  roomName(id: string | null): string;
  onSlot(target: GridTarget): void;
  onOpen(appointment: Appointment): void;
  onMove(appointment: Appointment, target: GridTarget): void;
  onResize(appointment: Appointment, endMinute: number): void;
}

interface Drag {
  appointment: Appointment;
  mode: 'move' | 'resize';
  pointerId: number;
  x: number;
  y: number;
  moved: boolean;
  columnIndex: number;
  startMinute: number;
  endMinute: number;
}

const snap = (minutes: number) => Math.floor(minutes / SLOT_MINUTES) * SLOT_MINUTES;

/** Side-by-side lanes for appointments that overlap (double bookings made with an override or by sync). */
function lanes(list: Appointment[]): Map<string, { lane: number; of: number }> {
  const sorted = [...list].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const out = new Map<string, { lane: number; of: number }>();
  let cluster: { id: string; lane: number }[] = [];
  let clusterEnd = '';
  const ends: string[] = [];
  const flush = () => {
    const of = Math.max(1, ...cluster.map((c) => c.lane + 1));
    for (const c of cluster) out.set(c.id, { lane: c.lane, of });
    cluster = [];
    ends.length = 0;
    clusterEnd = '';
  };
  for (const a of sorted) {
    if (cluster.length && a.startsAt >= clusterEnd) flush();
    let lane = ends.findIndex((end) => end <= a.startsAt);
    if (lane === -1) {
      lane = ends.length;
      ends.push(a.endsAt);
    } else ends[lane] = a.endsAt;
    cluster.push({ id: a.id, lane });
    if (a.endsAt > clusterEnd) clusterEnd = a.endsAt;
  }
  flush();
  return out;
}

export function TimeGrid(props: TimeGridProps) {
  const { columns, zone, startMinute, endMinute } = props;
  const slotCount = Math.max(1, (endMinute - startMinute) / SLOT_MINUTES);
  const [focus, setFocus] = useState<{ col: number; slot: number }>({ col: 0, slot: 0 });
  const [drag, setDrag] = useState<Drag | null>(null);
  const dragged = useRef(false);
  const gridRef = useRef<HTMLDivElement>(null);
  const height = (endMinute - startMinute) * PX_PER_MINUTE;
  const y = (minute: number) => (minute - startMinute) * PX_PER_MINUTE;
  // Open at the start of the working day; earlier and later hours are a scroll away inside the grid.
  const scrollTo = props.scrollToMinute;
  useLayoutEffect(() => {
    const grid = gridRef.current;
    if (!grid || scrollTo === undefined) return;
    grid.scrollTop = Math.max(0, (scrollTo - startMinute) * PX_PER_MINUTE - 4);
  }, [scrollTo, startMinute]);
  const nowMinute = props.now?.minute;
  const showsNow = (column: GridColumn) =>
    props.now !== undefined &&
    column.date === props.now.date &&
    nowMinute !== undefined &&
    nowMinute >= startMinute &&
    nowMinute <= endMinute;

  const focusSlot = (col: number, slot: number) => {
    const c = Math.max(0, Math.min(columns.length - 1, col));
    const s = Math.max(0, Math.min(slotCount - 1, slot));
    setFocus({ col: c, slot: s });
    gridRef.current?.querySelector<HTMLElement>(`[data-slot="${c}:${s}"]`)?.focus();
  };

  const onSlotKey = (e: KeyboardEvent<HTMLButtonElement>, col: number, slot: number) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      PageUp: [0, -4],
      PageDown: [0, 4],
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      focusSlot(col + move[0], slot + move[1]);
    } else if (e.key === 'Home') {
      e.preventDefault();
      focusSlot(col, 0);
    } else if (e.key === 'End') {
      e.preventDefault();
      focusSlot(col, slotCount - 1);
    }
  };

  const movable = (a: Appointment) => props.canEdit && a.status === 'scheduled';

  const onAppointmentKey = (e: KeyboardEvent<HTMLButtonElement>, a: Appointment, col: number) => {
    if (!e.altKey || !movable(a)) return;
    const start = minutesOf(a.startsAt, zone);
    const end = start + (Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000;
    if (e.shiftKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      const next = end + (e.key === 'ArrowDown' ? SLOT_MINUTES : -SLOT_MINUTES);
      if (next > start) props.onResize(a, next);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      props.onMove(a, {
        column: columns[col]!,
        startMinute: start + (e.key === 'ArrowDown' ? SLOT_MINUTES : -SLOT_MINUTES),
      });
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      const target = columns[col + (e.key === 'ArrowRight' ? 1 : -1)];
      if (target) props.onMove(a, { column: target, startMinute: start });
    }
  };

  const targetAt = (clientX: number, clientY: number): { columnIndex: number; minute: number } | null => {
    for (const el of document.elementsFromPoint(clientX, clientY)) {
      const index = (el as HTMLElement).dataset?.columnIndex;
      if (index === undefined) continue;
      const rect = el.getBoundingClientRect();
      const minute = startMinute + (clientY - rect.top) / PX_PER_MINUTE;
      return { columnIndex: Number(index), minute };
    }
    return null;
  };

  const onPointerDown = (e: PointerEvent<HTMLElement>, a: Appointment, col: number, mode: Drag['mode']) => {
    if (e.button !== 0 || !movable(a)) return;
    e.stopPropagation();
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    const start = minutesOf(a.startsAt, zone);
    const length = (Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000;
    dragged.current = false;
    setDrag({
      appointment: a,
      mode,
      pointerId: e.pointerId,
      x: e.clientX,
      y: e.clientY,
      moved: false,
      columnIndex: col,
      startMinute: start,
      endMinute: start + length,
    });
  };

  const onPointerMove = (e: PointerEvent<HTMLElement>) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const far = Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 4;
    if (!drag.moved && !far) return;
    const at = targetAt(e.clientX, e.clientY);
    if (!at) return;
    const a = drag.appointment;
    const length = (Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000;
    if (drag.mode === 'move') {
      const start = Math.max(startMinute, Math.min(endMinute - SLOT_MINUTES, snap(at.minute)));
      setDrag({
        ...drag,
        moved: true,
        columnIndex: at.columnIndex,
        startMinute: start,
        endMinute: start + length,
      });
    } else {
      const end = Math.max(drag.startMinute + SLOT_MINUTES, snap(at.minute) + SLOT_MINUTES);
      setDrag({ ...drag, moved: true, endMinute: Math.min(end, endMinute) });
    }
  };

  const onPointerUp = (e: PointerEvent<HTMLElement>) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const d = drag;
    setDrag(null);
    if (!d.moved) return;
    dragged.current = true;
    const a = d.appointment;
    const originalStart = minutesOf(a.startsAt, zone);
    const original = columns.findIndex((c) => c.appointments.some((x) => x.id === a.id));
    if (d.mode === 'move') {
      if (d.columnIndex === original && d.startMinute === originalStart) return;
      props.onMove(a, { column: columns[d.columnIndex]!, startMinute: d.startMinute });
    } else {
      props.onResize(a, d.endMinute);
    }
  };

  const hourMarks = [];
  for (let m = Math.ceil(startMinute / 60) * 60; m < endMinute; m += 60) hourMarks.push(m);

  return (
    <div className="time-grid" ref={gridRef} role="group" aria-label={props.label}>
      <div className="time-grid-head" aria-hidden="true">
        <div className="time-grid-corner" />
        {columns.map((c) => (
          <div
            key={c.key}
            className="time-grid-colhead"
            style={{ '--col-color': c.color ?? 'transparent' } as CSSProperties}
          >
            <span className="time-grid-colname">{c.label}</span>
            {c.sublabel ? <span className="time-grid-colsub">{c.sublabel}</span> : null}
          </div>
        ))}
      </div>
      <div className="time-grid-body">
        <div className="time-grid-times" style={{ height }} aria-hidden="true">
          {hourMarks.map((m) => (
            <span key={m} className="time-grid-hour" style={{ top: y(m) }}>
              {formatWallTime(m)}
            </span>
          ))}
        </div>
        {columns.map((column, col) => {
          const laneOf = lanes(column.appointments);
          return (
            <div
              key={column.key}
              className="time-grid-col"
              style={{ height }}
              data-column-index={col}
              data-testid={`column-${column.key}`}
              role="group"
              aria-label={`${column.label}${column.sublabel ? `, ${column.sublabel}` : ''}`}
            >
              {column.hours.map((h, i) => (
                <div
                  key={i}
                  className="time-grid-open"
                  style={{ top: y(h.start), height: (h.end - h.start) * PX_PER_MINUTE }}
                />
              ))}
              {Array.from({ length: slotCount }, (_, slot) => {
                const minute = startMinute + slot * SLOT_MINUTES;
                return (
                  <button
                    key={slot}
                    type="button"
                    className={['time-grid-slot', minute % 60 === 0 ? 'time-grid-slot-hour' : ''].join(' ')}
                    style={{ top: y(minute), height: SLOT_MINUTES * PX_PER_MINUTE }}
                    tabIndex={focus.col === col && focus.slot === slot ? 0 : -1}
                    data-slot={`${col}:${slot}`}
                    aria-label={`Book ${column.label === shortDay(column.date) ? column.label : `${column.label}, ${shortDay(column.date)}`} ${formatWallTime(minute)}`}
                    disabled={!props.canEdit}
                    onFocus={() => setFocus({ col, slot })}
                    onKeyDown={(e) => onSlotKey(e, col, slot)}
                    onClick={() => props.onSlot({ column, startMinute: minute })}
                  />
                );
              })}
              {column.blocks.map((b, i) => {
                // A block may run over several days (time off): clip it to this column's day.
                const s = Math.max(
                  startMinute,
                  dateOf(b.startsAt, zone) < column.date ? 0 : minutesOf(b.startsAt, zone),
                );
                const e = Math.min(
                  endMinute,
                  dateOf(b.endsAt, zone) > column.date ? 24 * 60 : minutesOf(b.endsAt, zone),
                );
                if (e <= s) return null;
                return (
                  <div
                    key={`${b.blockId}-${i}`}
                    className="time-grid-block"
                    style={{ top: y(s), height: (e - s) * PX_PER_MINUTE }}
                  >
                    {blockKindLabels[b.kind]}
                    {b.label ? `: ${b.label}` : ''}
                  </div>
                );
              })}
              {showsNow(column) ? (
                <div
                  className="time-grid-now"
                  style={{ top: y(nowMinute!) }}
                  data-testid="now-line"
                  aria-hidden="true"
                />
              ) : null}
              {column.appointments.map((a) => {
                const start = minutesOf(a.startsAt, zone);
                const length = (Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000;
                const lane = laneOf.get(a.id) ?? { lane: 0, of: 1 };
                const isDragging = drag?.appointment.id === a.id && drag.moved;
                const style = {
                  top: y(start),
                  height: Math.max(length * PX_PER_MINUTE, 14),
                  left: `${(lane.lane / lane.of) * 100}%`,
                  width: `calc(${100 / lane.of}% - 4px)`,
                  '--type-color': props.typeColor(a.appointmentTypeId),
                } as CSSProperties;
                const room = props.roomName(a.roomId);
                const description = `${formatWallTime(start)}–${formatWallTime(start + length)}, ${patientName(a)}, ${props.typeName(a.appointmentTypeId)}${room ? `, ${room}` : ''}, ${appointmentStatusLabels[a.status]}${a.seriesId ? ', repeating' : ''}${a.doubleBookedAt ? ', double-booked' : ''}${a.patientConfirmedAt && a.status === 'scheduled' ? ', confirmed by patient' : ''}${a.overrideReason ? ', booked outside the rules' : ''}`;
                return (
                  <button
                    key={a.id}
                    type="button"
                    className={[
                      'appt',
                      `appt-${a.status}`,
                      a.doubleBookedAt ? 'appt-double' : '',
                      isDragging ? 'appt-dragging' : '',
                      movable(a) ? 'appt-movable' : '',
                    ].join(' ')}
                    style={style}
                    aria-label={description}
                    aria-keyshortcuts={
                      movable(a) ? 'Alt+ArrowUp Alt+ArrowDown Alt+ArrowLeft Alt+ArrowRight' : undefined
                    }
                    data-testid={`appt-${a.id}`}
                    onPointerDown={(e) => onPointerDown(e, a, col, 'move')}
                    onPointerMove={onPointerMove}
                    onPointerUp={onPointerUp}
                    onPointerCancel={() => setDrag(null)}
                    onKeyDown={(e) => onAppointmentKey(e, a, col)}
                    onClick={() => {
                      if (dragged.current) {
                        dragged.current = false;
                        return;
                      }
                      props.onOpen(a);
                    }}
                  >
                    <span className="appt-time">{formatWallTime(start)}</span>{' '}
                    <span className="appt-name">{patientName(a)}</span>
                    {a.seriesId ? (
                      <span className="appt-flag" aria-hidden="true">
                        {' '}
                        ↻
                      </span>
                    ) : null}
                    {a.patientConfirmedAt && a.status === 'scheduled' ? (
                      <span className="appt-flag" aria-hidden="true" title="Confirmed by patient">
                        {' '}
                        ✓
                      </span>
                    ) : null}
                    {a.doubleBookedAt ? (
                      <span className="appt-flag appt-flag-warn" aria-hidden="true" title="Double-booked">
                        {' '}
                        ⚠
                      </span>
                    ) : null}
                    {a.overrideReason ? (
                      <span className="appt-flag appt-flag-override" aria-hidden="true" title="Override">
                        {' '}
                        ⊘
                      </span>
                    ) : null}
                    {a.status !== 'scheduled' ? (
                      <span className={`appt-status appt-status-${a.status}`} aria-hidden="true">
                        {appointmentStatusLabels[a.status]}
                      </span>
                    ) : null}
                    <span className="appt-type">{props.typeName(a.appointmentTypeId)}</span>
                    {movable(a) ? (
                      <span
                        className="appt-resize"
                        aria-hidden="true"
                        onPointerDown={(e) => onPointerDown(e, a, col, 'resize')}
                        onPointerMove={onPointerMove}
                        onPointerUp={onPointerUp}
                      />
                    ) : null}
                  </button>
                );
              })}
              {drag?.moved && drag.columnIndex === col ? (
                <div
                  className="appt-ghost"
                  style={{
                    top: y(drag.startMinute),
                    height: (drag.endMinute - drag.startMinute) * PX_PER_MINUTE,
                  }}
                  aria-hidden="true"
                >
                  {formatWallTime(drag.startMinute)}–{formatWallTime(drag.endMinute)}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
