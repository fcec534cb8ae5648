import { pronounOptions, type Pronouns } from '../../contracts/patients/codes';

/** How a patient is named and reached on screen. */

export interface NameParts {
  legalFirstName: string;
  legalLastName: string;
  firstNameToUse: string | null;
  lastNameToUse: string | null;
}

/** The name to use, part by part, falling back to the legal name ("Kate Smith" for legal "Katherine Smith"). */
export function displayName(p: NameParts): string {
  return `${p.firstNameToUse ?? p.legalFirstName} ${p.lastNameToUse ?? p.legalLastName}`;
}

/** Pronouns as shown: the standard wording, or the patient's own words for "other". */
export function pronounText(pronouns: Pronouns | null, other: string | null): string | null {
  if (!pronouns || pronouns === 'declined') return null;
  if (pronouns === 'other') return other ?? null;
  return pronounOptions[pronouns].label;
}

export interface Phones {
  phoneMobile: string | null;
  phoneHome: string | null;
  phoneWork: string | null;
  preferredPhone: 'mobile' | 'home' | 'work' | null;
}

/** The number to call: the preferred one when it is on file, else mobile, home, work. */
export function primaryPhone(p: Phones): string | null {
  const byKind = { mobile: p.phoneMobile, home: p.phoneHome, work: p.phoneWork };
  return (
    (p.preferredPhone && byKind[p.preferredPhone]) || p.phoneMobile || p.phoneHome || p.phoneWork || null
  );
}

/** A problem with the deceased fields, or null. */
export function deceasedProblem(
  p: { deceased: boolean; deceasedDate: string | null; dateOfBirth: string },
  today: string,
): { field: 'deceasedDate'; message: string } | null {
  if (!p.deceasedDate) return null;
  if (!p.deceased)
    return { field: 'deceasedDate', message: 'A date of death needs the patient marked deceased.' };
  if (p.deceasedDate > today)
    return { field: 'deceasedDate', message: 'The date of death cannot be in the future.' };
  if (p.deceasedDate < p.dateOfBirth) {
    return { field: 'deceasedDate', message: 'The date of death is before the date of birth.' };
  }
  return null;
}

/** A problem with a date of birth, or null. */
export function dateOfBirthProblem(dateOfBirth: string, today: string): string | null {
  if (dateOfBirth > today) return 'The date of birth cannot be in the future.';
  if (dateOfBirth < '1900-01-01') return 'Check the date of birth: it is before 1900.';
  return null;
}
