import { describe, expect, it } from 'vitest';
import { planClaims, toX12Claim, type VisitChargeLine } from '../../../server/domain/claims/from-visit';
import { build837p } from '../../../server/domain/claims/x12/837p/build';
import { validate837p } from '../../../server/domain/claims/x12/837p/validate';
import { batchBase } from '../../fixtures/claims/batches';

const line = (id: string, pointers: number[], provider = 'dr-a', amountCents = 10000): VisitChargeLine => ({
  id,
  code: '90837',
  modifiers: [],
  units: 1,
  amountCents,
  placeOfService: '11',
  dateOfService: '2026-03-02',
  diagnosisPointers: pointers,
  renderingProviderUserId: provider,
});
const diagnoses = ['F41.1', 'Z63.0', 'F43.23', 'F90.0'];

describe('claims from a visit’s charge lines', () => {
  it('renumbers diagnoses per claim and splits by rendering provider', () => {
    const plans = planClaims({ diagnoses, lines: [line('a', [3, 1]), line('b', [4], 'dr-b'), line('c', [1])] });
    expect(plans.map((p) => [p.renderingProviderUserId, p.diagnoses, p.lines.map((l) => `${l.id}:${l.claimPointers}`), p.totalCents])).toEqual([
      ['dr-a', ['F43.23', 'F41.1'], ['a:1,2', 'c:2'], 20000],
      ['dr-b', ['F90.0'], ['b:1'], 10000],
    ]);
  });

  it('leaves out lines already claimed and resubmits denied lines on a claim of their own', () => {
    const plans = planClaims({
      diagnoses,
      lines: [line('a', [1]), line('b', [2]), line('c', [3])],
      claimedLineIds: new Set(['a', 'b']),
      resubmitLineIds: new Set(['b']),
    });
    expect(plans.map((p) => p.lines.map((l) => l.id))).toEqual([['c'], ['b']]);
  });

  it('starts a new claim past 12 diagnoses or 50 lines', () => {
    const many = Array.from({ length: 14 }, (_, i) => `F${10 + i}.0`);
    const plans = planClaims({ diagnoses: many, lines: many.map((_, i) => line(`l${i}`, [i + 1])) });
    expect(plans.map((p) => p.diagnoses.length)).toEqual([12, 2]);
    const long = planClaims({ diagnoses, lines: Array.from({ length: 51 }, (_, i) => line(`x${i}`, [1])) });
    expect(long.map((p) => p.lines.length)).toEqual([50, 1]);
    expect(() => planClaims({ diagnoses, lines: [line('z', [9])] })).toThrow(/does not have/);
  });

  it('builds a valid 837P claim for a child on a parent’s coverage', () => {
    const [planned] = planClaims({ diagnoses, lines: [line('a', [2, 1])] });
    const address = { line1: '12 Elm St', city: 'Springfield', state: 'IL', postalCode: '62704' };
    const claim = toX12Claim({
      planned: planned!,
      patientControlNumber: 'C1',
      lineControlNumbers: ['L1'],
      placeOfService: '11',
      patient: { lastName: 'Rivera', firstName: 'Leo', dateOfBirth: '2015-09-01', gender: 'M', address },
      coverage: {
        priority: 'primary',
        payerName: 'Acme',
        payerId: '60054',
        memberId: 'M1',
        groupNumber: null,
        subscriberRelationship: 'child',
        subscriber: { lastName: 'Rivera', firstName: 'Ana', dateOfBirth: '1988-04-12', gender: 'F', address },
        claimFilingIndicator: 'CI',
      },
      rendering: { lastName: 'Okafor', firstName: 'Grace', npi: '9876543213', taxonomy: '103T00000X' },
    });
    expect([claim.relationship, claim.responsibility, claim.diagnoses, claim.lines[0]!.diagnosisPointers]).toEqual([
      '19',
      'P',
      ['Z63.0', 'F41.1'],
      [1, 2],
    ]);
    const text = build837p(batchBase([claim])).text;
    expect(validate837p(text).issues).toEqual([]);
    expect(text).toContain('PAT*19~');
  });
});
