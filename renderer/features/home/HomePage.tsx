import { Link } from 'react-router';
import { useCan, useSession } from '../../app/auth';
import { adminItems, scheduleItems, visibleItems } from '../../app/nav';
import { PageHeader } from '../../ui/Page';
import { ShowWhenSettled } from '../../ui/ShowWhenSettled';
import { ClinicianDay } from './ClinicianDay';
import { FrontDeskToday } from './FrontDeskToday';
import { SetupChecklist } from './SetupChecklist';
import './home.css';

function greeting(hour: number): string {
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

/** Clinic hour, not workstation hour: the greeting follows the clinic's day. */
function clinicHour(timeZone: string): number {
  try {
    const hour = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(
      new Date(),
    );
    return Number(hour);
  } catch {
    return new Date().getHours();
  }
}

/**
 * Home is a workspace: what this person does today, not a list of links. A new clinic's administrator sees
 * what is left to set up; the front desk sees today's arrivals and what still needs doing; a clinician sees
 * their day and the notes to finish. Roles without a workspace of their own keep the list of their areas.
 */
export function HomePage() {
  const session = useSession();
  const can = useCan();
  // "Good morning, Dr" greets a title: skip a leading honorific and use the name after it.
  const names = session.user.fullName.replace(/^(dr|mr|mrs|ms|mx|prof)\.?\s+/i, '').split(/\s+/);
  const firstName = names[0] || session.user.fullName;
  const clinician = session.user.roles.includes('clinician');
  const desk = !clinician && can('checkin.write') && can('schedule.read');
  const setup = can('users.manage');

  return (
    <section className="page page-wide home-page">
      <PageHeader title="Home">
        <p className="greeting">
          {greeting(clinicHour(session.clinic.timeZone))}, {firstName}. This is {session.clinic.name}.
        </p>
      </PageHeader>
      {/* The set-up checklist sits above the day and answers separately: shown together, once. */}
      <ShowWhenSettled label="Loading your day…">
        {setup ? <SetupChecklist /> : null}
        {clinician ? <ClinicianDay /> : null}
        {desk ? <FrontDeskToday /> : null}
        {!clinician && !desk ? <YourAreas /> : null}
      </ShowWhenSettled>
    </section>
  );
}

function YourAreas() {
  const session = useSession();
  const areas = visibleItems(
    [
      {
        to: '/schedule',
        label: 'Schedule',
        anyOf: ['schedule.read'],
        description: 'Day, week and month views; book and move appointments',
      },
      ...scheduleItems,
      ...adminItems,
    ],
    session.user.permissions,
  );
  return areas.length > 0 ? (
    <section aria-labelledby="home-areas">
      <h2 id="home-areas" className="section-title">
        Your areas
      </h2>
      <ul className="link-list">
        {areas.map((area) => (
          <li key={area.to}>
            <Link to={area.to}>{area.label}</Link>
            {area.description ? <span className="link-list-note"> — {area.description}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  ) : (
    <p>Your roles do not open any area of Tessera yet. Ask an administrator to give you the role you need.</p>
  );
}
