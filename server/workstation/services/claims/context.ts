import { eq } from 'drizzle-orm';
import { FREQUENCY_CODE, type ClaimStatus } from '../../../contracts/claims/records';
import type { ClaimAddress } from '../../../contracts/claims/setup';
import { RELATIONSHIP_CODES } from '../../../domain/claims/from-visit';
import { canSend, scrubClaim, type ScrubFinding } from '../../../domain/claims/scrubber';
import type { Address, Claim as X12Claim, Gender, OtherCoverage, Person } from '../../../domain/claims/x12/837p/model';
import { patientCoverages, patients, users } from '../../db/schema';
import type { Store } from '../../db/store';
import { clinicToday } from '../patients/patient-rows';
import { diagnosisChecker } from './diagnosis-check';
import type { ClaimLineRow, ClaimRow } from './rows';
import { billingProviderRow, payerRow, renderingProviderRow, toPayer, type PayerRow } from './setup';

/**
 * Everything one claim needs from the rest of the record, read once: the patient, the coverage, the payer,
 * the billing and rendering providers. The scrubber and the 837P mapping both read from it, so a claim is
 * judged on exactly what would be sent.
 */
export interface ClaimContext {
  claim: ClaimRow;
  lines: ClaimLineRow[];
  patient: typeof patients.$inferSelect;
  coverage: typeof patientCoverages.$inferSelect | null;
  payer: PayerRow;
  /** The payer id at the configured clearinghouse (its first when none matches). */
  payerElectronicId: string | null;
  renderingName: { firstName: string; lastName: string };
}

export function claimContext(store: Store, claim: ClaimRow, lines: ClaimLineRow[], clearinghouse?: string | null): ClaimContext {
  const patient = store.orm.select().from(patients).where(eq(patients.id, claim.patientId)).get()!;
  const coverage = store.orm.select().from(patientCoverages).where(eq(patientCoverages.id, claim.coverageId)).get() ?? null;
  const payer = payerRow(store, claim.payerId);
  const ids = toPayer(payer).clearinghouseIds;
  const at = clearinghouse ? ids.find((i) => i.clearinghouse.toLowerCase() === clearinghouse.toLowerCase()) : undefined;
  const user = store.orm.select({ fullName: users.fullName }).from(users).where(eq(users.id, claim.renderingProviderUserId)).get();
  return {
    claim,
    lines,
    patient,
    coverage: coverage && !coverage.deletedAt ? coverage : null,
    payer,
    payerElectronicId: (at ?? ids[0])?.payerId ?? null,
    renderingName: splitName(user?.fullName ?? ''),
  };
}

/** "Grace Okafor" → first Grace, last Okafor (NM1 wants them apart; a single word is the last name). */
export function splitName(full: string): { firstName: string; lastName: string } {
  const parts = full.trim().split(/\s+/).filter(Boolean);
  if (parts.length <= 1) return { firstName: '', lastName: parts[0] ?? '' };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1]! };
}

export function scrub(store: Store, ctx: ClaimContext): ScrubFinding[] {
  const bp = billingProviderRow(store);
  const rp = renderingProviderRow(store, ctx.claim.renderingProviderUserId);
  const c = ctx.coverage;
  const p = ctx.patient;
  // Loops 2010BA/2010CA require the street, city, state and ZIP: a claim without them is refused by the
  // clearinghouse, so it is refused here, next to the fix.
  const address: ScrubFinding[] =
    p.addressLine1?.trim() && p.city?.trim() && /^[A-Za-z]{2}$/.test(p.state?.trim() ?? '') && /^\d{5}(\d{4})?$/.test((p.postalCode ?? '').replace(/\D/g, ''))
      ? []
      : [{ severity: 'refuse', code: 'patient_address_missing', message: 'The patient’s address (street, city, state and ZIP code) is needed on a claim; complete it in the patient’s record.' }];
  return [...address, ...scrubClaim({
    today: clinicToday(store),
    billingProvider: bp ? { npi: bp.npi, taxonomy: bp.taxonomy, taxId: bp.taxId } : null,
    renderingProvider: rp ? { npi: rp.npi, taxonomy: rp.taxonomy } : null,
    payer: {
      payerId: ctx.payerElectronicId,
      claimEnrollment: ctx.payer.claimEnrollment,
      timelyFilingDays: ctx.payer.timelyFilingDays,
    },
    coverage: c
      ? {
          memberId: c.memberId || null,
          relationship: c.subscriberRelationship as 'self' | 'spouse' | 'child' | 'other',
          subscriberFirstName: c.subscriberFirstName,
          subscriberLastName: c.subscriberLastName,
          subscriberDateOfBirth: c.subscriberDateOfBirth,
          effectiveFrom: c.effectiveFrom,
          effectiveTo: c.effectiveTo,
        }
      : null,
    diagnoses: JSON.parse(ctx.claim.diagnoses) as string[],
    lines: ctx.lines.map((l) => ({
      code: l.code,
      modifiers: JSON.parse(l.modifiers) as string[],
      units: l.units,
      amountCents: l.chargeCents,
      placeOfService: l.placeOfService,
      dateOfService: l.dateOfService,
      diagnosisPointers: JSON.parse(l.diagnosisPointers) as number[],
    })),
    checkDiagnosis: diagnosisChecker(store),
  })];
}

/** Where the scrubber puts a claim on the board. */
export const statusAfterScrub = (findings: readonly ScrubFinding[]): ClaimStatus =>
  !canSend(findings) ? 'draft' : findings.length ? 'warnings' : 'ready';

const GENDER: Record<string, Gender> = { female: 'F', male: 'M', F: 'F', M: 'M' };

function address(p: ClaimContext['patient']): Address {
  return {
    line1: p.addressLine1 ?? '',
    line2: p.addressLine2,
    city: p.city ?? '',
    state: p.state ?? '',
    postalCode: (p.postalCode ?? '').replace(/\D/g, ''),
  };
}

export const toModelAddress = (a: ClaimAddress): Address => ({ ...a, line2: a.line2 ?? null });

/** The 837P model of a stored claim (secondary claims get the primary's adjudication passed in). */
export function toX12(ctx: ClaimContext, rendering: { npi: string; taxonomy: string }, otherCoverages: OtherCoverage[] = []): X12Claim {
  const { claim, patient: p, coverage } = ctx;
  if (!coverage) throw new Error('A claim without its coverage cannot be built; the scrubber refuses it first.');
  const person: Person = {
    lastName: p.legalLastName,
    firstName: p.legalFirstName,
    middleName: p.legalMiddleName,
    dateOfBirth: p.dateOfBirth,
    gender: GENDER[p.sex ?? ''] ?? 'U',
    address: address(p),
  };
  const relationship = coverage.subscriberRelationship as keyof typeof RELATIONSHIP_CODES;
  const self = relationship === 'self';
  const subscriber: Person = self
    ? person
    : {
        lastName: coverage.subscriberLastName ?? '',
        firstName: coverage.subscriberFirstName ?? '',
        dateOfBirth: coverage.subscriberDateOfBirth ?? '',
        // The registry keeps the subscriber's name and birth date only; they live with the patient.
        gender: 'U',
        address: person.address,
      };
  return {
    patientControlNumber: claim.patientControlNumber,
    frequency: FREQUENCY_CODE[claim.frequency],
    payerClaimNumber: claim.payerClaimNumber,
    placeOfService: claim.placeOfService,
    responsibility: claim.priority === 'primary' ? 'P' : claim.priority === 'secondary' ? 'S' : 'T',
    relationship: RELATIONSHIP_CODES[relationship],
    subscriber: {
      ...subscriber,
      memberId: coverage.memberId,
      groupNumber: coverage.groupNumber,
      claimFilingIndicator: ctx.payer.claimFilingIndicator,
    },
    patient: self ? null : person,
    payer: { name: ctx.payer.name, payerId: ctx.payerElectronicId ?? '' },
    diagnoses: JSON.parse(claim.diagnoses) as string[],
    renderingProvider: { ...ctx.renderingName, ...rendering },
    otherCoverages,
    lines: ctx.lines.map((l) => ({
      procedureCode: l.code,
      modifiers: JSON.parse(l.modifiers) as string[],
      chargeCents: l.chargeCents,
      units: l.units,
      placeOfService: l.placeOfService,
      diagnosisPointers: JSON.parse(l.diagnosisPointers) as number[],
      dateOfService: l.dateOfService,
      lineControlNumber: l.lineControlNumber,
    })),
  };
}
