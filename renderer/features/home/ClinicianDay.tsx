import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { appointmentStatusSchema } from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Loading } from '../../ui/Page';
import { StatusBadge } from '../scheduling/StatusBadge';
import { formatTime } from '../../ui/format';

/** A clinician's home: today's patients with their chart a click away, and the notes still to finish. */
export function ClinicianDay() {
  const session = useSession();
  const zone = session.clinic.timeZone;
  const day = useQuery({
    queryKey: keys.myDay,
    queryFn: () => call('getMyClinicalDay'),
    refetchInterval: 60_000,
  });
  if (day.isPending) return <Loading label="Loading your day…" />;
  if (day.isError) return <Alert tone="error">{errorMessage(day.error)}</Alert>;
  const { visits, drafts, awaitingCosign } = day.data;
  return (
    <div className="home-columns" data-testid="clinician-day">
      <section className="panel home-panel" aria-labelledby="home-myday-title">
        <h2 id="home-myday-title" className="section-title">
          My day{' '}
          <span className="muted small">
            {visits.length} patient{visits.length === 1 ? '' : 's'}
          </span>
        </h2>
        {visits.length ? (
          <ul className="home-list" data-testid="home-visits">
            {visits.map((v) => {
              const status = appointmentStatusSchema.safeParse(v.status);
              return (
                <li key={v.appointmentId}>
                  <span className="home-time">{formatTime(v.startsAt, zone)}</span>
                  <Link className="home-name" to={`/patients/${v.patient.id}/chart`}>
                    {v.patient.legalLastName}, {v.patient.legalFirstName}
                  </Link>
                  {status.success ? <StatusBadge status={status.data} /> : null}
                  {v.encounterId ? <span className="muted small">visit open</span> : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="muted">No appointments with you today.</p>
        )}
        <p className="home-more">
          <Link to="/clinical">Open My day</Link>
        </p>
      </section>
      <section className="panel home-panel" aria-labelledby="home-notes-title" data-testid="home-notes">
        <h2 id="home-notes-title" className="section-title">
          Notes to finish
        </h2>
        {drafts.length || awaitingCosign.length ? (
          <ul className="home-list">
            {drafts.map(({ note, patient }) => (
              <li key={note.id}>
                <Link to={`/notes/${note.id}`}>{note.title}</Link>
                <span className="muted small">
                  {patient.legalLastName}, {patient.legalFirstName} · draft
                </span>
              </li>
            ))}
            {awaitingCosign.map(({ note, patient }) => (
              <li key={note.id}>
                <Link to={`/notes/${note.id}`}>{note.title}</Link>
                <span className="muted small">
                  {patient.legalLastName}, {patient.legalFirstName} · to co-sign
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No drafts and nothing to co-sign.</p>
        )}
      </section>
    </div>
  );
}
