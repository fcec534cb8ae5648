import { useQuery } from '@tanstack/react-query';
import type { Modality } from '../../../server/contracts/scheduling';
import { call } from '../../api/client';
import { useCan } from '../../app/auth';
import { formatTime } from '../../ui/format';
import { elapsedLabel } from './session/SessionTimer';

const ROLE: Record<string, string> = { host: 'Clinician', patient: 'Patient', guest: 'Guest' };

/**
 * Who was in the video room and for how long: each person's stretches (joined → left) and their total,
 * read from this workstation's replicated copy of the visit record (so it works offline too). A stretch
 * still open says "still in"; someone who only waited shows "not connected".
 */
export function VisitTimes({
  appointment,
  timeZone,
  refreshMs,
}: {
  appointment: { id: string; modality: Modality };
  timeZone: string;
  /** Just after a visit the last events are still on their way from central: read again this often. */
  refreshMs?: number;
}) {
  const can = useCan();
  const allowed = can('chart.read') && appointment.modality === 'telehealth';
  const record = useQuery({
    queryKey: ['telehealth', 'record', appointment.id],
    queryFn: () => call('telehealthRecord', { params: { appointmentId: appointment.id } }),
    enabled: allowed,
    ...(refreshMs ? { refetchInterval: refreshMs } : {}),
  });
  if (!allowed || !record.data || record.data.participants.length === 0) return null;
  const people = record.data.participants;
  return (
    <section className="visit-times" aria-labelledby="visit-times-title" data-testid="visit-times">
      <h2 className="section-title" id="visit-times-title">
        Time in the video visit
      </h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">In the room</th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={`${p.sessionId}:${p.participantId}`}>
                <td>
                  {p.name ?? 'Participant'} <span className="muted small">{p.role ? ROLE[p.role] : ''}</span>
                </td>
                <td>
                  {p.intervals.length === 0
                    ? 'Not connected'
                    : p.intervals
                        .map((i) => `${formatTime(i.joinedAt, timeZone)}–${i.leftAt ? formatTime(i.leftAt, timeZone) : 'still in'}`)
                        .join(', ')}
                </td>
                <td className="num">{elapsedLabel(p.connectedSeconds * 1000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
