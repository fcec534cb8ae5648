import { describe, expect, it } from 'vitest';
import { placeOfService, type PosRule } from '../../../server/domain/billing/place-of-service';

describe('placeOfService', () => {
  it('uses the built-in defaults when no rule applies', () => {
    expect(placeOfService('office', null, [])).toEqual({ placeOfService: '11', modifiers: [], ruleId: null });
    expect(placeOfService('telehealth_home', 'P1', [])).toMatchObject({ placeOfService: '10', modifiers: ['95'] });
    expect(placeOfService('telehealth_other', 'P1', [])).toMatchObject({ placeOfService: '02', modifiers: ['95'] });
    expect(placeOfService('audio_only', null, [])).toMatchObject({ placeOfService: '10', modifiers: ['93'] });
  });

  const rules: PosRule[] = [
    { id: 'any', payerId: null, modality: 'telehealth_home', placeOfService: '02', modifiers: ['95'] },
    { id: 'medicare', payerId: 'MCR01', modality: 'telehealth_home', placeOfService: '10', modifiers: [] },
  ];

  it('prefers the payer’s own rule, then a rule for any payer', () => {
    expect(placeOfService('telehealth_home', 'mcr01 ', rules)).toEqual({ placeOfService: '10', modifiers: [], ruleId: 'medicare' });
    expect(placeOfService('telehealth_home', 'OTHER', rules).ruleId).toBe('any');
    expect(placeOfService('telehealth_home', null, rules).ruleId).toBe('any');
  });

  it('leaves other modalities on their defaults', () => {
    expect(placeOfService('office', 'MCR01', rules)).toEqual({ placeOfService: '11', modifiers: [], ruleId: null });
  });

  it('hands back a copy the caller may change', () => {
    const a = placeOfService('audio_only', null, []);
    a.modifiers.push('XX');
    expect(placeOfService('audio_only', null, []).modifiers).toEqual(['93']);
  });
});
