import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { SetupStepKey } from '../../../server/contracts/admin/setup-checklist';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';

const STEPS: Record<SetupStepKey, { label: string; to: string | null; how: string }> = {
  locations: { label: 'Locations and rooms', to: '/schedule/setup', how: 'Scheduling set-up' },
  appointment_types: { label: 'Appointment types', to: '/schedule/setup', how: 'Scheduling set-up' },
  providers: { label: 'Providers and their hours', to: '/schedule/setup', how: 'Scheduling set-up' },
  staff: { label: 'Staff accounts', to: '/admin/users', how: 'Admin › Users' },
  code_set: { label: 'ICD-10-CM code set', to: '/admin/code-sets', how: 'Admin › Code sets' },
  central_server: { label: 'Central server', to: '/admin/sync', how: 'Admin › Sync' },
};

/**
 * A new clinic's first screen: what still stands between it and its first day, ticked off from its real
 * data. It steps aside once every required step is done.
 */
export function SetupChecklist() {
  const list = useQuery({ queryKey: keys.setupChecklist, queryFn: () => call('setupChecklist') });
  if (list.isError) return <Alert tone="error">{errorMessage(list.error)}</Alert>;
  if (!list.data || list.data.complete) return null;
  const required = list.data.steps.filter((s) => !s.optional);
  const doneCount = required.filter((s) => s.done).length;
  return (
    <section
      className="panel home-panel home-setup"
      aria-labelledby="home-setup-title"
      data-testid="setup-checklist"
    >
      <h2 id="home-setup-title" className="section-title">
        Set up the clinic{' '}
        <span className="muted small">
          {doneCount} of {required.length} done
        </span>
      </h2>
      <ol className="checklist">
        {list.data.steps.map((step) => {
          const meta = STEPS[step.key];
          return (
            <li
              key={step.key}
              className={step.done ? 'checklist-done' : undefined}
              data-testid={`setup-${step.key}`}
            >
              <span className="checklist-mark" aria-hidden="true">
                {step.done ? '✓' : ''}
              </span>
              <span className="checklist-text">
                <span className="checklist-label">
                  {meta.label}
                  {step.optional ? <span className="muted"> (optional)</span> : null}
                  <span className="visually-hidden">{step.done ? ': done' : ': to do'}</span>
                </span>
                <span className="muted small">
                  {step.detail}
                  {step.done ? null : (
                    <>
                      {' · '}
                      {meta.to ? <Link to={meta.to}>{meta.how}</Link> : meta.how}
                    </>
                  )}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
