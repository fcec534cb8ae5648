import type { Claim, Gender, OtherCoverage, Person, RelationshipCode } from './x12/837p/model';

/**
 * From a visit's charge lines to claims (pure). A visit is not one claim: lines by different rendering
 * providers go on different claims (the rendering provider is claim-level, loop 2310B), a claim holds at most
 * 50 lines and 12 diagnoses, and a denied line is resubmitted on a claim of its own while its paid siblings stay
 * where they are. Each claim carries only the diagnoses its lines point at, renumbered, so pointers stay valid
 * whatever the visit's diagnosis list looks like.
 */

export interface VisitChargeLine {
  id: string;
  code: string;
  modifiers: string[];
  units: number;
  amountCents: number;
  placeOfService: string;
  dateOfService: string;
  /** 1-based pointers into the visit's diagnoses. */
  diagnosisPointers: number[];
  renderingProviderUserId: string;
}

export interface PlannedClaimLine extends VisitChargeLine {
  /** Pointers into the planned claim's own diagnoses. */
  claimPointers: number[];
}

export interface PlannedClaim {
  renderingProviderUserId: string;
  diagnoses: string[];
  lines: PlannedClaimLine[];
  totalCents: number;
}

export const MAX_LINES_PER_CLAIM = 50;
export const MAX_DIAGNOSES_PER_CLAIM = 12;

export function planClaims(input: {
  /** The visit's ICD-10-CM codes in rank order. */
  diagnoses: string[];
  lines: VisitChargeLine[];
  /** Lines already on a live claim to this payer: left out. */
  claimedLineIds?: ReadonlySet<string>;
  /** Denied lines being resubmitted: each group goes on a claim without the visit's other lines. */
  resubmitLineIds?: ReadonlySet<string>;
}): PlannedClaim[] {
  const claimed = input.claimedLineIds ?? new Set<string>();
  const resubmit = input.resubmitLineIds ?? new Set<string>();
  const fresh = input.lines.filter((l) => !claimed.has(l.id) && !resubmit.has(l.id));
  const again = input.lines.filter((l) => resubmit.has(l.id));
  return [...groupByProvider(fresh), ...groupByProvider(again)].flatMap((group) => pack(group, input.diagnoses));
}

function groupByProvider(lines: VisitChargeLine[]): VisitChargeLine[][] {
  const groups = new Map<string, VisitChargeLine[]>();
  for (const l of lines) groups.set(l.renderingProviderUserId, [...(groups.get(l.renderingProviderUserId) ?? []), l]);
  return [...groups.values()];
}

/** Fills claims in line order, starting a new one when the next line would pass 50 lines or 12 diagnoses. */
function pack(lines: VisitChargeLine[], visitDiagnoses: string[]): PlannedClaim[] {
  const out: PlannedClaim[] = [];
  let current: PlannedClaim | null = null;
  for (const line of lines) {
    const codes = line.diagnosisPointers.map((p) => {
      const code = visitDiagnoses[p - 1];
      if (!code) throw new Error(`Line ${line.code} points at diagnosis ${p}, which the visit does not have.`);
      return code;
    });
    const fits = (c: PlannedClaim) =>
      c.lines.length < MAX_LINES_PER_CLAIM &&
      new Set([...c.diagnoses, ...codes]).size <= MAX_DIAGNOSES_PER_CLAIM;
    if (!current || !fits(current)) {
      current = { renderingProviderUserId: line.renderingProviderUserId, diagnoses: [], lines: [], totalCents: 0 };
      out.push(current);
    }
    const claim: PlannedClaim = current;
    const claimPointers = codes.map((code) => {
      let i = claim.diagnoses.indexOf(code);
      if (i < 0) i = claim.diagnoses.push(code) - 1;
      return i + 1;
    });
    claim.lines.push({ ...line, claimPointers });
    claim.totalCents += line.amountCents;
  }
  return out;
}

/** The patient's coverage as the registry keeps it (server/contracts/patients). */
export interface CoverageForClaim {
  priority: 'primary' | 'secondary' | 'tertiary';
  payerName: string;
  payerId: string;
  memberId: string;
  groupNumber: string | null;
  subscriberRelationship: 'self' | 'spouse' | 'child' | 'other';
  subscriber: Person | null;
  claimFilingIndicator: string;
}

export const RELATIONSHIP_CODES: Record<CoverageForClaim['subscriberRelationship'], RelationshipCode> = {
  self: '18',
  spouse: '01',
  child: '19',
  other: 'G8',
};
const RESPONSIBILITY = { primary: 'P', secondary: 'S', tertiary: 'T' } as const;

/** Turns a planned claim into the 837P model for one coverage (and, for a secondary, the primary's results). */
export function toX12Claim(args: {
  planned: PlannedClaim;
  patientControlNumber: string;
  lineControlNumbers: string[];
  placeOfService: string;
  patient: Person & { gender: Gender };
  coverage: CoverageForClaim;
  rendering: { lastName: string; firstName: string; npi: string; taxonomy: string };
  frequency?: Claim['frequency'];
  payerClaimNumber?: string | null;
  otherCoverages?: OtherCoverage[];
}): Claim {
  const { planned, coverage } = args;
  const self = coverage.subscriberRelationship === 'self';
  const subscriberPerson = self ? args.patient : coverage.subscriber;
  if (!subscriberPerson) throw new Error('The coverage needs the subscriber’s name, date of birth and address.');
  return {
    patientControlNumber: args.patientControlNumber,
    frequency: args.frequency ?? '1',
    payerClaimNumber: args.payerClaimNumber ?? null,
    placeOfService: args.placeOfService,
    responsibility: RESPONSIBILITY[coverage.priority],
    relationship: RELATIONSHIP_CODES[coverage.subscriberRelationship],
    subscriber: {
      ...subscriberPerson,
      memberId: coverage.memberId,
      groupNumber: coverage.groupNumber,
      claimFilingIndicator: coverage.claimFilingIndicator,
    },
    patient: self ? null : args.patient,
    payer: { name: coverage.payerName, payerId: coverage.payerId },
    diagnoses: planned.diagnoses,
    renderingProvider: args.rendering,
    otherCoverages: args.otherCoverages ?? [],
    lines: planned.lines.map((l, i) => ({
      procedureCode: l.code,
      modifiers: l.modifiers,
      chargeCents: l.amountCents,
      units: l.units,
      placeOfService: l.placeOfService,
      diagnosisPointers: l.claimPointers,
      dateOfService: l.dateOfService,
      lineControlNumber: args.lineControlNumbers[i] ?? l.id,
    })),
  };
}
