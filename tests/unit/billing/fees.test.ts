import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  lineAmountCents,
  mergeModifiers,
  pointerProblems,
  resolveFee,
  sumCents,
  type FeeRate,
} from '../../../server/domain/billing/fees';

const CODE = 'code-1';
const rate = (over: Partial<FeeRate>): FeeRate => ({
  id: 'r',
  serviceCodeId: CODE,
  scope: 'practice',
  providerUserId: null,
  patientId: null,
  amountCents: 15000,
  effectiveFrom: null,
  endsOn: null,
  ...over,
});
const visit = { serviceCodeId: CODE, providerUserId: 'dr-a', patientId: 'pat-1', dateOfService: '2026-12-04' };

describe('resolveFee', () => {
  it('takes the practice rate when nothing overrides it', () => {
    expect(resolveFee([rate({ id: 'p' })], visit)).toEqual({ unitFeeCents: 15000, source: 'practice', rateId: 'p' });
  });

  it('prefers the patient’s sliding scale, then the provider’s rate, then the practice rate', () => {
    const rates = [
      rate({ id: 'p' }),
      rate({ id: 'v', scope: 'provider', providerUserId: 'dr-a', amountCents: 18000 }),
      rate({ id: 's', scope: 'patient', patientId: 'pat-1', amountCents: 4000, endsOn: '2027-06-30' }),
    ];
    expect(resolveFee(rates, visit)?.rateId).toBe('s');
    expect(resolveFee(rates, { ...visit, patientId: 'pat-2' })?.rateId).toBe('v');
    expect(resolveFee(rates, { ...visit, patientId: 'pat-2', providerUserId: 'dr-b' })?.rateId).toBe('p');
  });

  it('drops a sliding scale after its end date (inclusive) and ignores rates not yet started', () => {
    const rates = [
      rate({ id: 'p' }),
      rate({ id: 's', scope: 'patient', patientId: 'pat-1', amountCents: 4000, endsOn: '2026-12-04' }),
      rate({ id: 'future', amountCents: 99999, effectiveFrom: '2027-01-01' }),
    ];
    expect(resolveFee(rates, visit)?.rateId).toBe('s');
    expect(resolveFee(rates, { ...visit, dateOfService: '2026-12-05' })?.rateId).toBe('p');
    expect(resolveFee(rates, { ...visit, dateOfService: '2027-01-01' })?.rateId).toBe('future');
  });

  it('lets the rate that started last win within a scope', () => {
    const rates = [rate({ id: 'old', amountCents: 100 }), rate({ id: 'new', amountCents: 200, effectiveFrom: '2026-01-01' })];
    expect(resolveFee(rates, visit)?.unitFeeCents).toBe(200);
    expect(resolveFee(rates, { ...visit, dateOfService: '2025-12-31' })?.unitFeeCents).toBe(100);
  });

  it('answers null for a code without a rate, and never matches another code', () => {
    expect(resolveFee([rate({ serviceCodeId: 'other' })], visit)).toBeNull();
  });
});

describe('line amounts are exact integer cents', () => {
  it('multiplies unit fee by units', () => {
    expect(lineAmountCents(12345, 3)).toBe(37035);
  });

  it('refuses fractions of a cent, negative fees and unsafe totals instead of rounding', () => {
    expect(() => lineAmountCents(10.5, 1)).toThrow(RangeError);
    expect(() => lineAmountCents(-1, 1)).toThrow(RangeError);
    expect(() => lineAmountCents(100, 0)).toThrow(RangeError);
    expect(() => lineAmountCents(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
  });

  it('adds up lines to the same cents as adding amounts one by one (any lines)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ fee: fc.integer({ min: 0, max: 100_000_000 }), units: fc.integer({ min: 1, max: 99 }) })), (lines) => {
        const total = sumCents(lines.map((l) => lineAmountCents(l.fee, l.units)));
        expect(Number.isSafeInteger(total)).toBe(true);
        expect(total).toBe(lines.reduce((t, l) => t + l.fee * l.units, 0));
      }),
    );
  });
});

describe('diagnosis pointers', () => {
  it('accepts 1-4 distinct pointers into the visit’s diagnoses', () => {
    expect(pointerProblems([1], 1)).toEqual([]);
    expect(pointerProblems([2, 1, 3, 4], 4)).toEqual([]);
  });

  it('names what is wrong', () => {
    expect(pointerProblems([1], 0)[0]).toMatch(/Add the visit’s diagnoses/);
    expect(pointerProblems([], 2)[0]).toMatch(/1 to 4/);
    expect(pointerProblems([1, 2, 3, 4, 5], 5)[0]).toMatch(/1 to 4/);
    expect(pointerProblems([1, 1], 2)).toContain('Point at each diagnosis once.');
    expect(pointerProblems([3], 2)[0]).toMatch(/2 diagnoses; there is no diagnosis 3/);
  });
});

describe('modifiers', () => {
  it('keeps the line’s own first, adds place-of-service ones once, and stops at 4', () => {
    expect(mergeModifiers(['25'], ['95'])).toEqual(['25', '95']);
    expect(mergeModifiers(['95'], ['95'])).toEqual(['95']);
    expect(mergeModifiers(['25', '59', 'XU', 'GT'], ['95'])).toEqual(['25', '59', 'XU', 'GT']);
  });
});
