import type { Patient } from '../../../server/contracts/patients';
import { ageOn, formatCalendarDate, todayIn } from '../../ui/format';

/**
 * On every patient-specific screen: name, date of birth with age, MRN, so no one writes into the wrong
 * chart. Pronouns and alerts join when the registry adds them.
 */
export function PatientBanner({ patient, timeZone }: { patient: Patient; timeZone: string }) {
  const age = ageOn(patient.dateOfBirth, todayIn(timeZone));
  return (
    <section className="patient-banner" aria-label="Patient" data-testid="patient-banner">
      <h1 className="patient-name">
        {patient.legalLastName}, {patient.legalFirstName}
      </h1>
      <dl className="patient-facts">
        <div>
          <dt>DOB</dt>
          <dd>
            {formatCalendarDate(patient.dateOfBirth)}
            {age !== null ? ` (${age} y)` : ''}
          </dd>
        </div>
        <div>
          <dt>MRN</dt>
          <dd>
            <code>{patient.mrn}</code>
          </dd>
        </div>
        {patient.restricted ? (
          <div>
            <dt className="visually-hidden">Record</dt>
            <dd>
              <span className="badge badge-warning">Restricted record</span>
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
