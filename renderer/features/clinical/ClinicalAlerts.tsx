import { useQuery } from '@tanstack/react-query';
import type { PatientAlert } from '../../../server/contracts/clinical';
import { call } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan } from '../../app/auth';

const tone: Record<PatientAlert['severity'], string> = {
  critical: 'danger',
  warning: 'warning',
  info: 'muted',
};
const prefix: Record<PatientAlert['severity'], string> = { critical: 'Critical: ', warning: '', info: '' };

/**
 * The patient's clinical alerts (fall risk, latex allergy, needs an interpreter…) for the banner on every
 * patient screen. The word "Critical" carries the severity, colour only helps.
 */
export function ClinicalAlerts({ patientId }: { patientId: string }) {
  const can = useCan();
  const alerts = useQuery({
    queryKey: keys.patientAlerts(patientId),
    queryFn: () => call('getPatientAlerts', { params: { id: patientId } }),
    enabled: can('patients.read'),
  });
  const list = alerts.data?.alerts ?? [];
  if (!list.length) return null;
  return (
    <div>
      <dt className="visually-hidden">Clinical alerts</dt>
      <dd>
        <ul className="patient-alerts" data-testid="clinical-alerts">
          {list.map((a) => (
            <li key={a.id} className={`badge badge-${tone[a.severity]}`}>
              {prefix[a.severity]}
              {a.text}
            </li>
          ))}
        </ul>
      </dd>
    </div>
  );
}
