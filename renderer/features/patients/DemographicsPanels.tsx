import {
  clinicalSexParameterOptions,
  contactMethodLabels,
  ethnicityCodeIndex,
  genderIdentityOptions,
  ombRaceCategories,
  raceCodeIndex,
  sexualOrientationOptions,
  type Patient,
} from '../../../server/contracts/patients';
import { formatCalendarDate } from '../../ui/format';
import { ethnicityText, formatPhone, languageName, pronounsOf, raceText, sexLabel } from './patient-format';
import { Facts, RecordPanel } from './RecordPanel';

/** Read-only demographics of the record: identity (sex, gender, race, language) and how to reach them. */
export function DemographicsPanel({ patient }: { patient: Patient }) {
  return (
    <RecordPanel title="Demographics">
      <Facts
        rows={[
          ['Date of birth', formatCalendarDate(patient.dateOfBirth)],
          ['Sex', sexLabel(patient.sex)],
          ['Sex for clinical use', clinicalSexText(patient)],
          ['Gender identity', genderIdentityText(patient)],
          ['Sexual orientation', orientationText(patient)],
          ['Pronouns', patient.pronouns === 'declined' ? 'Declined to specify' : (pronounsOf(patient) ?? '')],
          ['Race', raceText(patient.race)],
          [
            'Race (OMB)',
            patient.raceCategories
              .filter((c) => ombRaceCategories.includes(c))
              .map((c) => raceCodeIndex.get(c)?.display ?? c)
              .join(', '),
          ],
          ['Ethnicity', ethnicityText(patient.ethnicity)],
          [
            'Ethnicity (OMB)',
            patient.ethnicityCategory
              ? (ethnicityCodeIndex.get(patient.ethnicityCategory)?.display ?? '')
              : '',
          ],
          [
            'Language',
            `${languageName(patient.preferredLanguage)}${patient.interpreterNeeded ? ' — interpreter needed' : ''}`,
          ],
        ]}
      />
    </RecordPanel>
  );
}

export function ContactPanel({ patient }: { patient: Patient }) {
  return (
    <RecordPanel title="Address and contact">
      <Facts
        rows={[
          [
            'Address',
            [
              patient.addressLine1,
              patient.addressLine2,
              [patient.city, patient.state, patient.postalCode].filter(Boolean).join(' '),
              patient.country !== 'US' ? patient.country : '',
            ]
              .filter(Boolean)
              .join(', '),
          ],
          ['Mobile', formatPhone(patient.phoneMobile)],
          ['Home', formatPhone(patient.phoneHome)],
          ['Work', formatPhone(patient.phoneWork)],
          ['Email', patient.email ?? ''],
          ['Prefers', patient.contactMethod ? contactMethodLabels[patient.contactMethod] : ''],
          [
            'May',
            [patient.voicemailOk && 'leave voicemail', patient.textOk && 'text', patient.emailOk && 'email']
              .filter(Boolean)
              .join(', ') || 'No consent recorded',
          ],
        ]}
      />
    </RecordPanel>
  );
}

function clinicalSexText(patient: Patient): string {
  if (!patient.clinicalSexParameter) return '';
  const label = clinicalSexParameterOptions[patient.clinicalSexParameter].label;
  return patient.clinicalSexParameterComment ? `${label} (${patient.clinicalSexParameterComment})` : label;
}

function genderIdentityText(patient: Patient): string {
  if (patient.genderIdentity === 'other') return patient.genderIdentityOther ?? 'Another identity';
  return patient.genderIdentity ? genderIdentityOptions[patient.genderIdentity].label : '';
}

function orientationText(patient: Patient): string {
  if (patient.sexualOrientation === 'other') return patient.sexualOrientationOther ?? 'Something else';
  return patient.sexualOrientation ? sexualOrientationOptions[patient.sexualOrientation].label : '';
}
