import type { Patient } from '../../../server/contracts/patients';
import { Alert } from '../../ui/Alert';

/** What the front desk should confirm at the next check-in: coverage problems and missing demographics. */
export function CheckInGaps({ status }: { status: Patient['coverageStatus'] }) {
  if (!status.issues.length && !status.demographicGaps.length) return null;
  return (
    <Alert tone="warning" title="To confirm at the next check-in" testId="checkin-gaps">
      <ul>
        {status.issues.map((i) => (
          <li key={`${i.code}-${i.coverageId ?? ''}`}>{i.message}</li>
        ))}
        {status.demographicGaps.map((g) => (
          <li key={g.code}>{g.message}</li>
        ))}
      </ul>
    </Alert>
  );
}
