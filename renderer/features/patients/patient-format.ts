import { formatCents } from '../../../server/contracts/billing/money';
import {
  raceCodeIndex,
  ethnicityCodeIndex,
  sexOptions,
  pronounOptions,
  type Patient,
  type PatientSummary,
} from '../../../server/contracts/patients';

/** How registry values read on screen. */

/** Stored digits as people read them: (512) 555-0142; international numbers as stored (+44…). */
export function formatPhone(digits: string | null | undefined): string {
  if (!digits) return '';
  if (/^\d{10}$/.test(digits)) return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
  return digits;
}

export function sexLabel(sex: PatientSummary['sex']): string {
  return sex ? sexOptions[sex].label : 'Not recorded';
}

/** The pronouns as the patient put them, or null when not recorded or declined. */
export function pronounsOf(p: Pick<Patient, 'pronouns' | 'pronounsOther'>): string | null {
  if (!p.pronouns || p.pronouns === 'declined') return null;
  return p.pronouns === 'other' ? p.pronounsOther : pronounOptions[p.pronouns].label;
}

/** "Smith, Katherine Ann Jr" */
export function legalName(
  p: Pick<PatientSummary, 'legalFirstName' | 'legalMiddleName' | 'legalLastName' | 'nameSuffix'>,
): string {
  const given = [p.legalFirstName, p.legalMiddleName].filter(Boolean).join(' ');
  return `${p.legalLastName}, ${given}${p.nameSuffix ? ` ${p.nameSuffix}` : ''}`;
}

/** True when the name to use differs from the legal name, so both must be shown. */
export function usesOtherName(
  p: Pick<PatientSummary, 'firstNameToUse' | 'lastNameToUse' | 'legalFirstName' | 'legalLastName'>,
): boolean {
  return (
    (!!p.firstNameToUse && p.firstNameToUse !== p.legalFirstName) ||
    (!!p.lastNameToUse && p.lastNameToUse !== p.legalLastName)
  );
}

const languageNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' });
  } catch {
    return null;
  }
})();

/** "Spanish (Mexico)" for es-MX; the tag itself when the runtime does not know it. */
export function languageName(tag: string | null | undefined): string {
  if (!tag) return '';
  if (tag === 'declined') return 'Declined to specify';
  try {
    return languageNames?.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function raceText(race: Patient['race']): string {
  if (race === 'declined') return 'Declined to specify';
  return race.map((c) => raceCodeIndex.get(c)?.display ?? c).join(', ');
}

export function ethnicityText(ethnicity: Patient['ethnicity']): string {
  if (ethnicity === 'declined') return 'Declined to specify';
  return ethnicity.map((c) => ethnicityCodeIndex.get(c)?.display ?? c).join(', ');
}

export function formatMoney(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  return formatCents(cents);
}

/** A full record in the shape search results and banners use. */
export function summaryOf(
  p: Patient,
): PatientSummary & Pick<Patient, 'alertNote' | 'interpreterNeeded' | 'preferredLanguage' | 'deceasedDate'> {
  const byKind = { mobile: p.phoneMobile, home: p.phoneHome, work: p.phoneWork };
  return {
    id: p.id,
    mrn: p.mrn,
    displayName: p.displayName,
    legalFirstName: p.legalFirstName,
    legalMiddleName: p.legalMiddleName,
    legalLastName: p.legalLastName,
    nameSuffix: p.nameSuffix,
    firstNameToUse: p.firstNameToUse,
    lastNameToUse: p.lastNameToUse,
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    pronouns: pronounsOf(p),
    phone: (p.preferredPhone && byKind[p.preferredPhone]) || p.phoneMobile || p.phoneHome || p.phoneWork,
    city: p.city,
    postalCode: p.postalCode,
    restricted: p.restricted,
    inactive: p.inactive,
    deceased: p.deceased,
    alertNote: p.alertNote,
    interpreterNeeded: p.interpreterNeeded,
    preferredLanguage: p.preferredLanguage,
    deceasedDate: p.deceasedDate,
  };
}
