import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { MyDay } from '../../../server/contracts/clinical';
import type { PatientSummary } from '../../../server/contracts/patients';
import { appointmentStatusSchema } from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatCalendarDate, formatShortDateTime, formatTime } from '../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { StatusBadge } from '../scheduling/StatusBadge';
import { usePaymentPolicyGate } from '../billing/charges/PaymentPolicyGate';
import { OpenVideoVisits } from '../telehealth/StartVideoVisit';
import './clinical.css';

const CHECKED_IN = new Set(['checked_in', 'roomed', 'with_provider', 'checked_out']);
const time = (iso: string, timeZone: string) => formatTime(iso, timeZone);
const who = (p: PatientSummary) => `${p.legalLastName}, ${p.legalFirstName}`;

/**
 * The clinician's day: today's patients (start the visit's encounter once they are checked in), drafts
 * still to finish, and notes waiting for their co-signature.
 */
export function MyDayPage() {
  const session = useSession();
  const can = useCan();
  const navigate = useNavigate();
  const day = useQuery({
    queryKey: keys.myDay,
    queryFn: () => call('getMyClinicalDay'),
    refetchInterval: 60_000,
  });
  const [starting, setStarting] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timeZone = session.clinic.timeZone;
  const policy = usePaymentPolicyGate();

  const startVisit = async (appointmentId: string, patientId: string) => {
    setStarting(appointmentId);
    setError(null);
    try {
      // The clinic's payment policy may ask first; the dialog starts the visit once it is answered.
      const start = async () => {
        await call('createEncounterFromAppointment', { params: { id: appointmentId } });
        void navigate(`/patients/${patientId}/chart`);
      };
      if ((await policy.guard({ appointmentId }, 'start_visit', start)) === 'stopped') setStarting(null);
    } catch (err) {
      setError(errorMessage(err));
      setStarting(null);
    }
  };

  return (
    <section className="page">
      <PageHeader title="My day">{day.data ? <p>{formatCalendarDate(day.data.date)}</p> : null}</PageHeader>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {policy.dialog}
      <OpenVideoVisits />
      {day.isPending ? <Loading label="Loading your day…" /> : null}
      {day.isError ? <Alert tone="error">{errorMessage(day.error)}</Alert> : null}
      {day.data ? (
        <>
          <Visits
            day={day.data}
            timeZone={timeZone}
            canStart={can('chart.write')}
            starting={starting}
            onStart={(a, p) => void startVisit(a, p)}
          />
          <NoteList
            title="Drafts to finish"
            empty="No drafts waiting. Notes you start and have not signed appear here."
            rows={day.data.drafts}
            timeZone={timeZone}
            testId="my-drafts"
          />
          <NoteList
            title="Waiting for your co-signature"
            empty="Nothing to co-sign."
            rows={day.data.awaitingCosign}
            timeZone={timeZone}
            testId="my-cosign"
          />
        </>
      ) : null}
    </section>
  );
}

function Visits({
  day,
  timeZone,
  canStart,
  starting,
  onStart,
}: {
  day: MyDay;
  timeZone: string;
  canStart: boolean;
  starting: string | null;
  onStart: (appointmentId: string, patientId: string) => void;
}) {
  return (
    <section aria-labelledby="visits-title">
      <h2 id="visits-title" className="section-title">
        Today’s patients
      </h2>
      {day.visits.length ? (
        <div className="table-wrap">
          <table className="table" data-testid="my-visits">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Patient</th>
                <th scope="col">Status</th>
                <th scope="col">Location</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {day.visits.map((v) => {
                const status = appointmentStatusSchema.safeParse(v.status);
                return (
                  <tr key={v.appointmentId}>
                    <td className="nowrap">{time(v.startsAt, timeZone)}</td>
                    <th scope="row">
                      {who(v.patient)}{' '}
                      <span className="muted small">
                        DOB {formatCalendarDate(v.patient.dateOfBirth)} · MRN {v.patient.mrn}
                      </span>
                    </th>
                    <td>{status.success ? <StatusBadge status={status.data} /> : v.status}</td>
                    <td>{v.locationName}</td>
                    <td>
                      <span className="row-actions">
                        {!v.encounterId && canStart && CHECKED_IN.has(v.status) ? (
                          <Button
                            size="small"
                            variant="primary"
                            busy={starting === v.appointmentId}
                            busyLabel="Starting…"
                            aria-label={`Start visit: ${who(v.patient)}`}
                            onClick={() => onStart(v.appointmentId, v.patient.id)}
                          >
                            Start visit
                          </Button>
                        ) : null}
                        <Link
                          className="btn btn-secondary btn-small"
                          to={`/patients/${v.patient.id}/chart`}
                          aria-label={`Open chart: ${who(v.patient)}`}
                        >
                          Open chart
                        </Link>
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState>
          No appointments with you today. Patients booked with you appear here as they are checked in.
        </EmptyState>
      )}
    </section>
  );
}

function NoteList({
  title,
  empty,
  rows,
  timeZone,
  testId,
}: {
  title: string;
  empty: string;
  rows: MyDay['drafts'];
  timeZone: string;
  testId: string;
}) {
  return (
    <section aria-label={title} data-testid={testId}>
      <h2 className="section-title">{title}</h2>
      {rows.length ? (
        <ul className="chart-list">
          {rows.map(({ note, patient }) => (
            <li key={note.id}>
              <Link to={`/notes/${note.id}`}>{note.title}</Link> — {who(patient)}{' '}
              <span className="muted small">
                {note.author.name} · {formatShortDateTime(note.signedAt ?? note.createdAt, timeZone)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{empty}</p>
      )}
    </section>
  );
}
