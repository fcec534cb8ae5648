import { describe, expect, it } from 'vitest';
import { defaultPaymentPolicy, dueAtVisitCents, visitClearance } from '../../../server/domain/billing/payment-policy';

const facts = { dueCents: 2500, insuranceInEffect: false, claimCreated: false, answered: null } as const;
const block = { ...defaultPaymentPolicy, mode: 'block' as const };
const warn = { ...defaultPaymentPolicy, mode: 'warn' as const };

describe('visitClearance', () => {
  it('clears everything when the policy is off', () => {
    expect(visitClearance(defaultPaymentPolicy, facts)).toMatchObject({ cleared: true, reason: 'policy_off' });
  });

  it('blocks or warns while something is due and nothing else clears the visit', () => {
    expect(visitClearance(block, facts)).toEqual({ cleared: false, reason: null, outcome: 'block' });
    expect(visitClearance(warn, facts)).toEqual({ cleared: false, reason: null, outcome: 'warn' });
  });

  it('clears when paid (within the tolerance), insured, claimed or overridden', () => {
    expect(visitClearance(block, { ...facts, dueCents: 0 }).reason).toBe('nothing_due');
    expect(visitClearance({ ...block, toleranceCents: 2500 }, facts).reason).toBe('nothing_due');
    expect(visitClearance(block, { ...facts, insuranceInEffect: true }).reason).toBe('insurance_in_effect');
    expect(visitClearance({ ...block, insuranceClears: false }, { ...facts, insuranceInEffect: true }).cleared).toBe(false);
    expect(visitClearance(block, { ...facts, claimCreated: true }).reason).toBe('claim_created');
    expect(visitClearance(block, { ...facts, answered: 'override' }).reason).toBe('overridden');
  });

  it('does not let an acknowledged warning lift a block', () => {
    expect(visitClearance(block, { ...facts, answered: 'acknowledge' }).cleared).toBe(false);
    expect(visitClearance(warn, { ...facts, answered: 'acknowledge' }).reason).toBe('acknowledged');
  });
});

describe('dueAtVisitCents', () => {
  it('adds the unpaid copay to the balance, and a credit covers it', () => {
    expect(dueAtVisitCents(5000, 2000, 0)).toBe(7000);
    expect(dueAtVisitCents(5000, 2000, 2000)).toBe(5000);
    expect(dueAtVisitCents(-2000, 2000, 0)).toBe(0);
    expect(dueAtVisitCents(-5000, 0, 0)).toBe(0);
  });
});
