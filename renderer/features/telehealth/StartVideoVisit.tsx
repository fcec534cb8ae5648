import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { Modality } from '../../../server/contracts/scheduling';
import { call } from '../../api/client';
import { useCan } from '../../app/auth';
import { elapsedLabel } from './session/SessionTimer';

/** A video visit can be started from this long before its start (the patient's link opens then too). */
export const VIDEO_START_MINUTES_BEFORE = 30;
/** … and until this long after it. */
export const VIDEO_START_HOURS_AFTER = 4;

const OVER = new Set(['cancelled', 'no_show', 'checked_out']);

export function canStartVideo(a: { modality: Modality; startsAt: string; status: string }, now: number): boolean {
  if (a.modality !== 'telehealth' || OVER.has(a.status)) return false;
  const start = Date.parse(a.startsAt);
  return now >= start - VIDEO_START_MINUTES_BEFORE * 60_000 && now <= start + VIDEO_START_HOURS_AFTER * 3_600_000;
}

/** "Video visit" on the appointment, the board and My day: telehealth appointments, from 30 minutes before. */
export function StartVideoVisitLink({
  appointment,
  label,
  small = false,
}: {
  appointment: { id: string; modality: Modality; startsAt: string; status: string };
  label?: string;
  small?: boolean;
}) {
  const can = useCan();
  // eslint-disable-next-line react-hooks/purity -- the window is checked when the row renders (it re-renders with its data)
  if (!can('telehealth.host') || !canStartVideo(appointment, Date.now())) return null;
  return (
    <Link className={`btn btn-primary${small ? ' btn-small' : ''}`} to={`/telehealth/${appointment.id}`} aria-label={label}>
      Video visit
    </Link>
  );
}

/** My day: open video visits and who waits in them (with how long), refreshed every 15 s. */
export function OpenVideoVisits() {
  const can = useCan();
  const allowed = can('telehealth.invite');
  // Only when central is reachable and telehealth configured (the status answers offline too).
  const status = useQuery({
    queryKey: ['telehealth', 'status'],
    queryFn: () => call('telehealthStatus', { background: true }),
    enabled: allowed,
    refetchInterval: 60_000,
    retry: false,
  });
  const enabled = allowed && status.data?.available === true;
  const sessions = useQuery({
    queryKey: ['telehealth', 'open-sessions'],
    queryFn: () => call('telehealthOpenSessions', { background: true }),
    enabled,
    refetchInterval: 15_000,
    retry: false,
  });
  if (!enabled || !sessions.data || sessions.data.sessions.length === 0) return null;
  return (
    <section aria-labelledby="video-visits-title" className="panel" data-testid="open-video-visits">
      <h2 id="video-visits-title" className="section-title">
        Video visits
      </h2>
      <ul className="link-list">
        {sessions.data.sessions.map((s) => (
          <li key={s.session.id}>
            <Link to={`/telehealth/${s.session.appointmentId}`}>Open the video visit ({s.session.hostName})</Link>{' '}
            {s.waiting > 0 ? (
              <span className="badge badge-warning">
                {s.waiting} waiting{s.waitingSince ? ` · ${elapsedLabel(sessions.dataUpdatedAt - Date.parse(s.waitingSince))}` : ''}
              </span>
            ) : (
              <span className="muted small">{s.inRoom} in the visit</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
