import { describe, expect, it } from 'vitest';
import { canSend, scrubClaim, type ScrubInput } from '../../../server/domain/claims/scrubber';
import { isValidNpi } from '../../../server/contracts/claims/npi';

const codes: Record<string, 'valid' | 'not_billable'> = { 'F41.1': 'valid', 'Z63.0': 'valid', F41: 'not_billable' };
const clean: ScrubInput = {
  today: '2026-03-10',
  billingProvider: { npi: '1234567893', taxonomy: '101YM0800X', taxId: '12-3456789' },
  renderingProvider: { npi: '9876543213', taxonomy: '103T00000X' },
  payer: { payerId: '60054', claimEnrollment: 'enrolled', timelyFilingDays: 90 },
  coverage: {
    memberId: 'XJH1',
    relationship: 'self',
    subscriberFirstName: null,
    subscriberLastName: null,
    subscriberDateOfBirth: null,
    effectiveFrom: '2026-01-01',
    effectiveTo: null,
  },
  diagnoses: ['F41.1', 'Z63.0'],
  lines: [
    { code: '90837', modifiers: [], units: 1, amountCents: 18000, placeOfService: '11', dateOfService: '2026-03-02', diagnosisPointers: [1, 2] },
  ],
  checkDiagnosis: (code) => codes[code] ?? 'unknown',
};
const codesOf = (input: Partial<ScrubInput>) => scrubClaim({ ...clean, ...input }).map((f) => `${f.severity} ${f.code}`);

describe('claim scrubber', () => {
  it('passes a complete claim', () => {
    expect(scrubClaim(clean)).toEqual([]);
    expect(canSend(scrubClaim(clean))).toBe(true);
  });

  it('checks NPIs with the check digit and taxonomy codes', () => {
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect(codesOf({ billingProvider: { npi: '1234567890', taxonomy: '101Y', taxId: '123' } })).toEqual([
      'refuse billing_npi_invalid',
      'refuse billing_taxonomy_invalid',
      'refuse billing_tin_missing',
    ]);
    expect(codesOf({ billingProvider: null, renderingProvider: { npi: null, taxonomy: null } })).toEqual([
      'refuse billing_provider_missing',
      'refuse rendering_npi_missing',
      'refuse rendering_taxonomy_missing',
    ]);
  });

  it('refuses missing subscriber data, payer id, and a coverage not in effect', () => {
    expect(codesOf({ coverage: { ...clean.coverage!, relationship: 'child', memberId: null } })).toEqual([
      'refuse member_id_missing',
      'refuse subscriber_missing',
    ]);
    expect(codesOf({ payer: { ...clean.payer, payerId: null, claimEnrollment: 'pending' } })).toEqual([
      'refuse payer_id_missing',
      'warn payer_enrollment_pending',
    ]);
    const ended = scrubClaim({ ...clean, coverage: { ...clean.coverage!, effectiveTo: '2026-02-28' } });
    expect(ended).toEqual([
      { severity: 'refuse', code: 'coverage_not_in_effect', line: 0, message: "The coverage is not in effect on line 1's date of service (2026-03-02)." },
    ]);
    expect(canSend(ended)).toBe(false);
  });

  it('refuses lines without place of service or with pointers the claim does not have', () => {
    const line = clean.lines[0]!;
    expect(codesOf({ lines: [{ ...line, placeOfService: null, diagnosisPointers: [] }] })).toEqual([
      'refuse place_of_service_missing',
      'refuse pointer_missing',
    ]);
    expect(codesOf({ lines: [{ ...line, diagnosisPointers: [1, 3], modifiers: ['95', '25', '59', 'HO', 'GT'] }] })).toEqual([
      'refuse pointer_invalid',
      'refuse modifiers_too_many',
    ]);
  });

  it('checks each diagnosis against the code set for its date of service', () => {
    expect(scrubClaim({ ...clean, diagnoses: ['F41', 'Q99.9'], lines: [{ ...clean.lines[0]! }] }).map((f) => f.message)).toEqual([
      'F41 is a category, not a billable ICD-10-CM code; choose a more specific code.',
      'Q99.9 is not an ICD-10-CM code for services on 2026-03-02.',
    ]);
    expect(codesOf({ checkDiagnosis: () => 'no_code_set' })).toEqual(['warn icd10_unchecked']);
    const seen: string[] = [];
    scrubClaim({ ...clean, checkDiagnosis: (code, date) => (seen.push(`${code}@${date}`), 'valid') });
    expect(seen).toEqual(['F41.1@2026-03-02', 'Z63.0@2026-03-02']);
  });

  it('warns when the timely-filing limit is near or passed', () => {
    expect(codesOf({ today: '2026-05-01' })).toEqual(['warn timely_filing_near']);
    expect(scrubClaim({ ...clean, today: '2026-05-01' })[0]!.message).toBe("30 day(s) left before the payer's 90-day filing limit.");
    expect(codesOf({ today: '2026-06-15' })).toEqual(['warn timely_filing_passed']);
    expect(codesOf({ today: '2026-04-30' })).toEqual([]);
    expect(codesOf({ payer: { ...clean.payer, timelyFilingDays: null }, today: '2027-01-01' })).toEqual([]);
    expect(codesOf({ today: '2026-03-05' })).toEqual([]);
    expect(codesOf({ today: '2026-03-01' })).toEqual(['refuse service_in_future']);
  });
});
