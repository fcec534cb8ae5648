import { isValidNpi, normaliseTin, TAXONOMY } from '../../contracts/claims/npi';

/**
 * The claim scrubber (pure): what must be fixed before a claim may leave ("refuse") and what the biller should
 * look at first ("warn"). It runs on the claim as it would be sent, so the same findings show on the claims
 * board and block the batch builder. The ICD-10-CM check is passed in as a function, so the rule stays pure and
 * the installed code set (services/clinical/icd10) answers it.
 */

export type FindingSeverity = 'refuse' | 'warn';

export interface ScrubFinding {
  severity: FindingSeverity;
  /** A stable code for filters and tests. */
  code: string;
  /** 0-based claim line, when the finding is about one line. */
  line?: number;
  message: string;
}

export type CodeCheck = 'valid' | 'unknown' | 'not_billable' | 'no_code_set';

export interface ScrubInput {
  /** The clinic's today, YYYY-MM-DD. */
  today: string;
  billingProvider: { npi: string | null; taxonomy: string | null; taxId: string | null } | null;
  renderingProvider: { npi: string | null; taxonomy: string | null } | null;
  payer: {
    payerId: string | null;
    claimEnrollment: 'enrolled' | 'pending' | 'not_enrolled';
    /** Days from the date of service the payer accepts a claim; null when unknown. */
    timelyFilingDays: number | null;
  };
  coverage: {
    memberId: string | null;
    relationship: 'self' | 'spouse' | 'child' | 'other';
    subscriberFirstName: string | null;
    subscriberLastName: string | null;
    subscriberDateOfBirth: string | null;
    effectiveFrom: string | null;
    effectiveTo: string | null;
  } | null;
  /** ICD-10-CM codes in claim order. */
  diagnoses: string[];
  lines: {
    code: string;
    modifiers: string[];
    units: number;
    amountCents: number;
    placeOfService: string | null;
    dateOfService: string;
    diagnosisPointers: number[];
  }[];
  checkDiagnosis: (code: string, dateOfService: string) => CodeCheck;
}

/** Warn this many days before the payer's timely-filing limit. */
export const TIMELY_FILING_WARNING_DAYS = 30;

const dayNumber = (date: string) => Math.floor(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 86_400_000);

export function scrubClaim(input: ScrubInput): ScrubFinding[] {
  const out: ScrubFinding[] = [];
  const refuse = (code: string, message: string, line?: number) => out.push({ severity: 'refuse', code, message, ...(line !== undefined && { line }) });
  const warn = (code: string, message: string, line?: number) => out.push({ severity: 'warn', code, message, ...(line !== undefined && { line }) });

  const bp = input.billingProvider;
  if (!bp) refuse('billing_provider_missing', 'Set up the billing provider (Admin > Billing > Claims set-up) before sending claims.');
  else {
    if (!bp.npi) refuse('billing_npi_missing', 'The billing provider has no NPI.');
    else if (!isValidNpi(bp.npi)) refuse('billing_npi_invalid', `The billing provider's NPI ${bp.npi} is not valid (check digit).`);
    if (!bp.taxonomy) refuse('billing_taxonomy_missing', 'The billing provider has no taxonomy code.');
    else if (!TAXONOMY.test(bp.taxonomy)) refuse('billing_taxonomy_invalid', `The billing provider's taxonomy ${bp.taxonomy} is not a taxonomy code.`);
    if (!bp.taxId || !normaliseTin(bp.taxId)) refuse('billing_tin_missing', 'The billing provider needs a 9-digit tax id (EIN).');
  }
  const rp = input.renderingProvider;
  if (!rp || !rp.npi) refuse('rendering_npi_missing', 'The rendering provider has no NPI.');
  else if (!isValidNpi(rp.npi)) refuse('rendering_npi_invalid', `The rendering provider's NPI ${rp.npi} is not valid (check digit).`);
  if (rp && !rp.taxonomy) refuse('rendering_taxonomy_missing', 'The rendering provider has no taxonomy code.');
  else if (rp?.taxonomy && !TAXONOMY.test(rp.taxonomy))
    refuse('rendering_taxonomy_invalid', `The rendering provider's taxonomy ${rp.taxonomy} is not a taxonomy code.`);

  if (!input.payer.payerId) refuse('payer_id_missing', 'The payer has no electronic payer id for the clearinghouse.');
  if (input.payer.claimEnrollment === 'not_enrolled')
    refuse('payer_not_enrolled', 'The practice is not enrolled for electronic claims with this payer.');
  else if (input.payer.claimEnrollment === 'pending')
    warn('payer_enrollment_pending', 'Claim enrollment with this payer is still pending; the payer may reject the claim.');

  const c = input.coverage;
  if (!c) refuse('coverage_missing', 'The patient has no coverage with this payer.');
  else {
    if (!c.memberId) refuse('member_id_missing', 'The coverage has no member id.');
    if (c.relationship !== 'self' && (!c.subscriberFirstName || !c.subscriberLastName || !c.subscriberDateOfBirth))
      refuse('subscriber_missing', 'The subscriber is not the patient: enter the subscriber’s name and date of birth on the coverage.');
  }

  if (input.diagnoses.length === 0) refuse('diagnosis_missing', 'The claim has no diagnosis.');
  if (input.diagnoses.length > 12) refuse('diagnosis_too_many', 'A professional claim carries at most 12 diagnoses; split the claim.');
  if (input.lines.length === 0) refuse('lines_missing', 'The claim has no lines.');
  if (input.lines.length > 50) refuse('lines_too_many', 'A professional claim carries at most 50 lines; split the claim.');

  const checkedCodes = new Map<string, CodeCheck>();
  input.lines.forEach((line, i) => {
    const n = i + 1;
    if (!line.placeOfService || !/^\d{2}$/.test(line.placeOfService))
      refuse('place_of_service_missing', `Line ${n} (${line.code}) has no place of service.`, i);
    if (line.diagnosisPointers.length === 0)
      refuse('pointer_missing', `Line ${n} (${line.code}) does not point at a diagnosis.`, i);
    if (line.diagnosisPointers.length > 4) refuse('pointer_too_many', `Line ${n} (${line.code}) points at more than 4 diagnoses.`, i);
    for (const p of line.diagnosisPointers)
      if (p < 1 || p > input.diagnoses.length)
        refuse('pointer_invalid', `Line ${n} (${line.code}) points at diagnosis ${p}, which the claim does not have.`, i);
    if (line.modifiers.length > 4) refuse('modifiers_too_many', `Line ${n} (${line.code}) has more than 4 modifiers.`, i);
    if (line.units < 1) refuse('units_invalid', `Line ${n} (${line.code}) needs at least 1 unit.`, i);
    if (line.amountCents <= 0) refuse('charge_invalid', `Line ${n} (${line.code}) has no charge.`, i);
    if (line.dateOfService > input.today) refuse('service_in_future', `Line ${n} (${line.code}) is dated in the future.`, i);
    if (c) {
      const before = c.effectiveFrom && line.dateOfService < c.effectiveFrom;
      const after = c.effectiveTo && line.dateOfService > c.effectiveTo;
      if (before || after)
        refuse('coverage_not_in_effect', `The coverage is not in effect on line ${n}'s date of service (${line.dateOfService}).`, i);
    }
    for (const p of line.diagnosisPointers) {
      const code = input.diagnoses[p - 1];
      if (!code) continue;
      const key = `${code}|${line.dateOfService}`;
      if (!checkedCodes.has(key)) checkedCodes.set(key, input.checkDiagnosis(code, line.dateOfService));
    }
  });

  // Each diagnosis is checked once per date of service it is billed for.
  const reported = new Set<string>();
  for (const [key, result] of checkedCodes) {
    const [code, date] = key.split('|') as [string, string];
    // An unchecked code set is said once for the claim, a bad code once per code.
    const once = result === 'no_code_set' ? result : `${code}|${result}`;
    if (result === 'valid' || reported.has(once)) continue;
    reported.add(once);
    if (result === 'unknown') refuse('icd10_invalid', `${code} is not an ICD-10-CM code for services on ${date}.`);
    else if (result === 'not_billable')
      refuse('icd10_not_billable', `${code} is a category, not a billable ICD-10-CM code; choose a more specific code.`);
    else warn('icd10_unchecked', 'No ICD-10-CM code set covers the date of service, so the diagnoses were not checked.');
  }

  const limit = input.payer.timelyFilingDays;
  if (limit != null && input.lines.length > 0) {
    const earliest = input.lines.map((l) => l.dateOfService).sort()[0]!;
    const left = dayNumber(earliest) + limit - dayNumber(input.today);
    if (left < 0) warn('timely_filing_passed', `The payer's ${limit}-day filing limit passed ${-left} day(s) ago; attach proof of timely filing or expect a denial.`);
    else if (left <= TIMELY_FILING_WARNING_DAYS) warn('timely_filing_near', `${left} day(s) left before the payer's ${limit}-day filing limit.`);
  }
  return out;
}

/** A claim may be sent when nothing refuses it. */
export const canSend = (findings: readonly ScrubFinding[]) => findings.every((f) => f.severity !== 'refuse');
