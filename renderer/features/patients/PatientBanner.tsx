import type { Patient, PatientSummary } from '../../../server/contracts/patients';
import { formatCalendarDate } from '../../ui/format';
import { languageName, legalName, sexLabel, usesOtherName } from './patient-format';
import { ClinicalAlerts } from '../clinical/ClinicalAlerts';
import { ageOn, todayIn } from '../../../server/contracts/calendar';

/** What a banner needs; a full record adds its alerts (alert note, interpreter, deceased date). */
export type BannerPatient = PatientSummary &
  Partial<Pick<Patient, 'alertNote' | 'interpreterNeeded' | 'preferredLanguage' | 'deceasedDate'>>;

/**
 * On every patient-specific screen: legal name and the name to use, date of birth with age, sex, MRN,
 * pronouns and alerts, so no one writes into the wrong chart. Alerts carry words as well as colour.
 */
export function PatientBanner({ patient, timeZone }: { patient: BannerPatient; timeZone: string }) {
  const onDate = patient.deceased && patient.deceasedDate ? patient.deceasedDate : todayIn(timeZone);
  const age = ageOn(patient.dateOfBirth, onDate);
  const alerts: { text: string; tone: 'warning' | 'danger' | 'muted' }[] = [];
  if (patient.restricted) alerts.push({ text: 'Restricted record', tone: 'warning' });
  if (patient.deceased) {
    alerts.push({
      text: patient.deceasedDate ? `Deceased ${formatCalendarDate(patient.deceasedDate)}` : 'Deceased',
      tone: 'danger',
    });
  }
  if (patient.inactive) alerts.push({ text: 'Inactive', tone: 'muted' });
  if (patient.interpreterNeeded) {
    const language = languageName(patient.preferredLanguage);
    alerts.push({ text: `Interpreter needed${language ? `: ${language}` : ''}`, tone: 'warning' });
  }
  if (patient.alertNote) alerts.push({ text: patient.alertNote, tone: 'warning' });

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
                  <li key={a.text} className={`badge badge-${a.tone}`}>
                    {a.text}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        ) : null}
        <ClinicalAlerts patientId={patient.id} />
      </dl>
    </section>
  );
}
