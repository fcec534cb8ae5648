import { Link } from 'react-router';
import { useSession } from '../../app/auth';
import { adminItems, scheduleItems, visibleItems } from '../../app/nav';
import { PageHeader } from '../../ui/Page';

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

export function HomePage() {
  const session = useSession();
  const firstName = session.user.fullName.split(/\s+/)[0] ?? session.user.fullName;
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

  return (
    <section className="page">
      <PageHeader title="Home">
        <p className="greeting">
          {greeting(clinicHour(session.clinic.timeZone))}, {firstName}. This is {session.clinic.name}.
        </p>
      </PageHeader>
      {areas.length > 0 ? (
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
        <p>
          Your roles do not open any area of Tessera yet. Ask an administrator to give you the role you need.
        </p>
      )}
    </section>
  );
}
