import { useQuery } from '@tanstack/react-query';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { ChangesTable } from './ChangesTable';
import './forms.css';

/**
 * The review queue in the Inbox: demographic changes patients proposed in the portal's intake, oldest
 * first, each accepted or rejected on its own. Nothing reaches the patient record without a decision here.
 * Hidden when the queue is empty, so the inbox stays about messages.
 */
export function FormChangesQueue() {
  const zone = useSession().clinic.timeZone;
  const can = useCan();
  const key = keys.formChanges;
  const queue = useQuery({
    queryKey: key,
    queryFn: () => call('formChanges', { background: isLiveRefresh(key) }),
    enabled: can('patients.read'),
  });
  if (queue.error) return <Alert tone="error">{errorMessage(queue.error)}</Alert>;
  const changes = queue.data?.changes ?? [];
  if (!changes.length) return null;
  return (
    <section className="panel form-changes-queue" aria-label="Changes from patients to review">
      <div className="section-header">
        <h2 className="section-title">Changes from patients to review</h2>
        <span className="badge badge-warning">{changes.length} waiting</span>
      </div>
      <p className="muted">
        Patients proposed these in the portal’s intake form. Accept writes the value to the record; Reject
        leaves the record as it is.
      </p>
      <ChangesTable changes={changes} zone={zone} canDecide={can('patients.write')} showPatient />
    </section>
  );
}
