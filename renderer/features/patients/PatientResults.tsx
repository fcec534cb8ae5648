import type { PatientSummary } from '../../../server/contracts/patients';
import { formatCalendarDate } from '../../ui/format';
import { formatPhone, legalName, sexLabel, usesOtherName } from './patient-format';
import { ageOn, todayIn } from '../../../server/contracts/calendar';

/**
 * One result line: everything that tells two similar patients apart (both names, date of birth and age,
 * sex, MRN, phone, city) and the flags that matter before opening the record.
 */
export function PatientResultContent({ patient, timeZone }: { patient: PatientSummary; timeZone: string }) {
  const age = ageOn(patient.dateOfBirth, todayIn(timeZone));
  return (
    <>
      <span>
        <span className="patient-result-name">{legalName(patient)}</span>
        {patient.restricted ? <span className="badge badge-warning">Restricted</span> : null}
        {patient.deceased ? <span className="badge badge-danger">Deceased</span> : null}
        {patient.inactive ? <span className="badge badge-muted">Inactive</span> : null}
        <span className="patient-result-sub">
          {usesOtherName(patient) ? `Name to use: ${patient.displayName}` : ' '}
          {patient.pronouns ? ` · ${patient.pronouns}` : ''}
        </span>
      </span>
      <span>
        {formatCalendarDate(patient.dateOfBirth)}
        {age !== null ? ` (${age} y)` : ''}
        <span className="patient-result-sub">{sexLabel(patient.sex)}</span>
      </span>
      <span>
        MRN <code>{patient.mrn}</code>
      </span>
      <span>
        {formatPhone(patient.phone) || <span className="muted">No phone</span>}
        <span className="patient-result-sub">
          {[patient.city, patient.postalCode].filter(Boolean).join(' ')}
        </span>
      </span>
    </>
  );
}
