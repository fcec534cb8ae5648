import type { DuplicateReason } from '../../contracts/patients';
import { compactName, editDistance } from './names';

/**
 * Duplicate warning rules at registration: the same person is likely already registered when the legal
 * name and date of birth agree (allowing a one-letter slip in a longer name, first and last swapped, or
 * the registered name to use), or when a phone number is shared. The warning comes before the record is
 * made; the user may still go on.
 */
export interface DuplicateCandidate {
  legalFirstName: string;
  legalLastName: string;
  firstNameToUse: string | null;
  lastNameToUse: string | null;
  dateOfBirth: string;
  phones: readonly (string | null)[];
}

export interface NewRegistration {
  legalFirstName: string;
  legalLastName: string;
  dateOfBirth: string;
  phones: readonly (string | null | undefined)[];
}

function sameName(a: string, b: string): boolean {
  const x = compactName(a);
  const y = compactName(b);
  if (!x || !y) return false;
  if (x === y) return true;
  return Math.min(x.length, y.length) >= 5 && editDistance(x, y, 1) <= 1;
}

export function duplicateReasons(reg: NewRegistration, existing: DuplicateCandidate): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  if (reg.dateOfBirth === existing.dateOfBirth) {
    const firsts = [existing.legalFirstName, existing.firstNameToUse].filter((n): n is string => !!n);
    const lasts = [existing.legalLastName, existing.lastNameToUse].filter((n): n is string => !!n);
    const straight =
      firsts.some((f) => sameName(reg.legalFirstName, f)) &&
      lasts.some((l) => sameName(reg.legalLastName, l));
    const swapped =
      sameName(reg.legalFirstName, existing.legalLastName) &&
      sameName(reg.legalLastName, existing.legalFirstName);
    if (straight || swapped) reasons.push('name_and_date_of_birth');
  }
  const mine = new Set(reg.phones.filter((p): p is string => !!p));
  if (existing.phones.some((p) => p !== null && mine.has(p))) reasons.push('phone');
  return reasons;
}
