import type { CoverageStanding, CoverageStatus } from '../../contracts/patients';
import { ageOn } from '../../contracts/calendar';

/** Insurance coverage rules: where a coverage stands on a day, and what check-in should raise. */

export interface CoverageFacts {
  id: string;
  priority: 'primary' | 'secondary' | 'tertiary';
  subscriberRelationship: string;
  subscriberFirstName: string | null;
  subscriberLastName: string | null;
  subscriberDateOfBirth: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  copayCents: number | null;
}

const order = { primary: 0, secondary: 1, tertiary: 2 } as const;

/** Effective dates are inclusive calendar dates; an open end means "until further notice". */
export function coverageStanding(
  c: Pick<CoverageFacts, 'effectiveFrom' | 'effectiveTo'>,
  onDate: string,
): CoverageStanding {
  if (c.effectiveFrom && c.effectiveFrom > onDate) return 'future';
  if (c.effectiveTo && c.effectiveTo < onDate) return 'expired';
  return 'active';
}

/** Whether two coverages' date ranges share a day (open ends reach forever). */
export function rangesOverlap(
  a: Pick<CoverageFacts, 'effectiveFrom' | 'effectiveTo'>,
  b: Pick<CoverageFacts, 'effectiveFrom' | 'effectiveTo'>,
): boolean {
  const aFrom = a.effectiveFrom ?? '0000-01-01';
  const bFrom = b.effectiveFrom ?? '0000-01-01';
  const aTo = a.effectiveTo ?? '9999-12-31';
  const bTo = b.effectiveTo ?? '9999-12-31';
  return aFrom <= bTo && bFrom <= aTo;
}

export const byPriority = <T extends Pick<CoverageFacts, 'priority'>>(a: T, b: T) =>
  order[a.priority] - order[b.priority];

type Issue = CoverageStatus['issues'][number];
type Gap = CoverageStatus['demographicGaps'][number];

/** What is missing, expired or not yet in effect on `onDate`, in the order reception should deal with it. */
export function coverageIssues(coverages: readonly CoverageFacts[], onDate: string): Issue[] {
  const issues: Issue[] = [];
  const active = coverages.filter((c) => coverageStanding(c, onDate) === 'active').sort(byPriority);
  const activePriorities = new Set(active.map((c) => c.priority));
  for (const c of coverages) {
    const standing = coverageStanding(c, onDate);
    // An ended coverage matters only when nothing replaced it at that priority.
    if (standing === 'expired' && !activePriorities.has(c.priority)) {
      issues.push({
        code: 'coverage_expired',
        message: `The ${c.priority} coverage ended on ${c.effectiveTo}. Ask for a current insurance card.`,
        coverageId: c.id,
      });
    }
    if (standing === 'future' && !activePriorities.has(c.priority)) {
      issues.push({
        code: 'coverage_not_started',
        message: `The ${c.priority} coverage starts on ${c.effectiveFrom}; it does not cover this visit.`,
        coverageId: c.id,
      });
    }
  }
  if (!active.length) {
    issues.unshift({
      code: 'no_active_coverage',
      message: 'No insurance in effect today. Add a current coverage or confirm the visit is self-pay.',
      coverageId: null,
    });
  } else if (!activePriorities.has('primary')) {
    issues.push({
      code: 'no_primary',
      message: 'There is no primary coverage in effect; mark the main insurance as primary.',
      coverageId: null,
    });
  }
  for (const c of active) {
    if (
      c.subscriberRelationship !== 'self' &&
      (!c.subscriberFirstName || !c.subscriberLastName || !c.subscriberDateOfBirth)
    ) {
      issues.push({
        code: 'subscriber_incomplete',
        message: `The ${c.priority} coverage needs the subscriber’s name and date of birth.`,
        coverageId: c.id,
      });
    }
  }
  return issues;
}

/** The copay of the primary coverage in effect (null when none is listed). */
export function copayDue(coverages: readonly CoverageFacts[], onDate: string): number | null {
  const primary = coverages.find((c) => c.priority === 'primary' && coverageStanding(c, onDate) === 'active');
  return primary?.copayCents ?? null;
}

export interface RegistrationFacts {
  dateOfBirth: string;
  sex: string | null;
  phones: readonly (string | null)[];
  addressLine1: string | null;
  city: string | null;
  postalCode: string | null;
  emergencyContacts: number;
  hasGuarantor: boolean;
}

/** Registration details check-in should ask for. */
export function demographicGaps(p: RegistrationFacts, onDate: string): Gap[] {
  const gaps: Gap[] = [];
  if (!p.phones.some(Boolean)) gaps.push({ code: 'missing_phone', message: 'No phone number on file.' });
  if (!p.addressLine1 || !p.city || !p.postalCode) {
    gaps.push({ code: 'missing_address', message: 'The home address is missing or incomplete.' });
  }
  if (!p.sex) gaps.push({ code: 'missing_sex', message: 'Sex is not recorded.' });
  if (p.emergencyContacts === 0) {
    gaps.push({ code: 'missing_emergency_contact', message: 'No emergency contact on file.' });
  }
  const age = ageOn(p.dateOfBirth, onDate);
  if (!p.hasGuarantor && (age === null || age < 18)) {
    gaps.push({ code: 'missing_guarantor', message: 'A minor needs a guarantor (a parent or guardian).' });
  }
  return gaps;
}
