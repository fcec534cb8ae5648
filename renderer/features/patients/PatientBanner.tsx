import type { Patient, PatientSummary } from '../../../server/contracts/patients';
import { formatCalendarDate } from '../../ui/format';
import { legalName, sexLabel, usesOtherName } from './patient-format';
import { usePatientAlerts } from './patient-alerts';
import { ageOn, todayIn } from '../../../server/contracts/calendar';

/** What a banner needs; a full record adds its alerts (alert note, interpreter, deceased date). */
export type BannerPatient = PatientSummary &
  Partial<Pick<Patient, 'alertNote' | 'interpreterNeeded' | 'preferredLanguage' | 'deceasedDate'>>;

/**
 * On every patient-specific screen: legal name and the name to use, date of birth with age, sex, MRN,
 * pronouns and alerts (the one list of patient-alerts.ts, the same as the chart's Alerts panel), so no one
 * writes into the wrong chart. Alerts carry words as well as colour.
 */
export function PatientBanner({ patient, timeZone }: { patient: BannerPatient; timeZone: string }) {
  const onDate = patient.deceased && patient.deceasedDate ? patient.deceasedDate : todayIn(timeZone);
  const age = ageOn(patient.dateOfBirth, onDate);
  const alerts = usePatientAlerts(patient).items;

  return (
    <section className="patient-banner" aria-label="Patient" data-testid="patient-banner">
      <div className="patient-names">
        <h1 className="patient-name">{legalName(patient)}</h1>
        {usesOtherName(patient) ? (
          <p className="patient-name-to-use">
            Name to use: <strong>{patient.displayName}</strong>
          </p>
        ) : null}
      </div>
      <dl className="patient-facts">
        <div>
          <dt>DOB</dt>
          <dd>
            {formatCalendarDate(patient.dateOfBirth)}
            {age !== null ? ` (${age} y)` : ''}
          </dd>
        </div>
        <div>
          <dt>Sex</dt>
          <dd>{sexLabel(patient.sex)}</dd>
        </div>
        <div>
          <dt>MRN</dt>
          <dd>
            <code>{patient.mrn}</code>
          </dd>
        </div>
        {patient.pronouns ? (
          <div>
            <dt>Pronouns</dt>
            <dd>{patient.pronouns}</dd>
          </div>
        ) : null}
        {alerts.length ? (
          <div>
            <dt className="visually-hidden">Alerts</dt>
            <dd>
              <ul className="patient-alerts" data-testid="patient-alerts">
                {alerts.map((a) => (
                  <li key={a.key} className={`badge badge-${a.tone}`}>
                    {a.text}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
