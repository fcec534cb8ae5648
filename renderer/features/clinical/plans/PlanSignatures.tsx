import type { TreatmentPlan } from '../../../../server/contracts/clinical';
import { formatCalendarDate, formatShortDateTime } from '../../../ui/format';

/** Who signed this version and when: the clinician first (with the digest of what was locked), then the client. */
export function PlanSignatures({ plan, timeZone }: { plan: TreatmentPlan; timeZone: string }) {
  return (
    <>
      {plan.clinicianSignature ? (
        <p>
          Clinician: <strong>{plan.clinicianSignature.by.name}</strong>, signed{' '}
          {formatShortDateTime(plan.clinicianSignature.at, timeZone)}
          <br />
          <span className="digest">SHA-256 {plan.clinicianSignature.digest}</span>
        </p>
      ) : (
        <p className="muted">
          Not signed yet. The clinician signs first; the client then signs that version.
        </p>
      )}
      {plan.clientSignature ? (
        <p>
          Client: <strong>{plan.clientSignature.name}</strong>, signed{' '}
          {formatCalendarDate(plan.clientSignature.signedOn)} (
          {plan.clientSignature.method === 'paper' ? 'on paper' : 'in person'}; recorded by{' '}
          {plan.clientSignature.recordedBy.name})
        </p>
      ) : null}
    </>
  );
}
