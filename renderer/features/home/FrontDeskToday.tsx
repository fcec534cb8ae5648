import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Loading } from '../../ui/Page';
import { duration } from '../scheduling/clinic-time';
import { StatusBadge } from '../scheduling/StatusBadge';
import { patientName, useNow } from '../scheduling/use-scheduling-data';
import { deskToday, type DeskTask } from './desk-today';
import { formatTime } from '../../ui/format';

const SHOWN = 8;

/**
 * The front desk's day at a glance: who arrives next, who is waiting, and what needs someone to act (late
 * arrivals, long waits, double bookings). Every line leads to the check-in board, where the work is done.
 */
export function FrontDeskToday() {
  const session = useSession();
  const can = useCan();
  const zone = session.clinic.timeZone;
  const now = useNow(30_000);
  const board = useQuery({
    queryKey: keys.board(null),
    queryFn: ({ queryKey, signal }) =>
      call('getCheckInBoard', { signal, background: isLiveRefresh(queryKey) }),
  });
  if (board.isPending) return <Loading label="Loading today’s arrivals…" />;
  if (board.isError) return <Alert tone="error">{errorMessage(board.error)}</Alert>;
  const day = deskToday(board.data.appointments, now);
  const total = board.data.appointments.length;

  return (
    <div className="home-columns" data-testid="front-desk-today">
      <section className="panel home-panel" aria-labelledby="home-arrivals-title">
        <h2 id="home-arrivals-title" className="section-title">
          Today’s arrivals{' '}
          <span className="muted small">
            {total} booked · {day.waiting.length} waiting · {day.inRooms} in rooms · {day.finished} done
          </span>
        </h2>
        {total === 0 ? (
          <p className="muted">
            No appointments today.{' '}
            {can('schedule.write') ? <Link to="/schedule">Book one on the schedule</Link> : null}
          </p>
        ) : (
          <>
            <h3 className="home-subtitle">Waiting</h3>
            {day.waiting.length ? (
              <ul className="home-list" data-testid="home-waiting">
                {day.waiting.map((a) => (
                  <li key={a.id}>
                    <span className="home-time">{formatTime(a.startsAt, zone)}</span>
                    <span className="home-name">{patientName(a)}</span>
                    <StatusBadge status={a.status} />
                    <span className="muted small">
                      waiting {duration(now - Date.parse(a.arrivedAt ?? a.checkedInAt ?? a.statusChangedAt))}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">Nobody is waiting.</p>
            )}
            <h3 className="home-subtitle">Next to arrive</h3>
            {day.arriving.length ? (
              <ul className="home-list" data-testid="home-arriving">
                {day.arriving.slice(0, SHOWN).map((a) => (
                  <li key={a.id}>
                    <span className="home-time">{formatTime(a.startsAt, zone)}</span>
                    <span className="home-name">{patientName(a)}</span>
                  </li>
                ))}
                {day.arriving.length > SHOWN ? (
                  <li className="muted small">and {day.arriving.length - SHOWN} more</li>
                ) : null}
              </ul>
            ) : (
              <p className="muted small">Everyone booked today has arrived or been dealt with.</p>
            )}
          </>
        )}
        <p className="home-more">
          <Link to="/schedule/board">Open the check-in board</Link>
        </p>
      </section>
      <section className="panel home-panel" aria-labelledby="home-todo-title" data-testid="home-todo">
        <h2 id="home-todo-title" className="section-title">
          Still to do
        </h2>
        {day.tasks.length ? (
          <ul className="home-list">
            {day.tasks.map((task) => (
              <li key={`${task.kind}-${task.appointment.id}`}>
                <span className="home-time">{formatTime(task.appointment.startsAt, zone)}</span>
                <span className="home-name">{patientName(task.appointment)}</span>
                <span className="small">{taskText(task)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing needs attention right now.</p>
        )}
      </section>
    </div>
  );
}

function taskText(task: DeskTask): string {
  switch (task.kind) {
    case 'late':
      return `not here ${task.minutes} min after the start: call, or record a no-show`;
    case 'long_wait':
      return `waiting ${task.minutes} min: room the patient or tell them why`;
    case 'double_booked':
      return 'double-booked with another visit: resolve it on the board';
  }
}
