import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToInput, formatCents, parseCents } from '../../../server/contracts/billing/money';
import {
  allocateOldestFirst,
  allocateProportional,
  oldestFirst,
  splitLargestRemainder,
  type OpenChargeRef,
} from '../../../server/domain/billing/allocation';

const charges = fc.uniqueArray(
  fc.record({
    entryId: fc.uuid(),
    openCents: fc.integer({ min: 0, max: 500_000 }),
    serviceDate: fc.option(
      fc
        .integer({ min: 0, max: 3000 })
        .map((d) => new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
      { nil: null },
    ),
    postedAt: fc
      .integer({ min: 0, max: 3000 })
      .map((d) => new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString()),
  }),
  { maxLength: 12, selector: (c) => c.entryId },
);

describe('splitLargestRemainder', () => {
  it('always adds up to the total, each part within a cent of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc
          .array(fc.integer({ min: 0, max: 100_000_000 }), { minLength: 1, maxLength: 20 })
          .filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = splitLargestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + BigInt(b), 0n);
          parts.forEach((p, i) => {
            expect(Number.isSafeInteger(p) && p >= 0).toBe(true);
            const floor = (BigInt(total) * BigInt(weights[i]!)) / sum;
            expect(BigInt(p) === floor || BigInt(p) === floor + 1n).toBe(true);
          });
          // Deterministic: the same input splits the same way.
          expect(splitLargestRemainder(total, weights)).toEqual(parts);
        },
      ),
    );
  });

  it('gives the odd cents to the largest remainders, earlier first on a tie', () => {
    expect(splitLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(splitLargestRemainder(10, [1, 2])).toEqual([3, 7]);
    expect(splitLargestRemainder(1, [5, 5])).toEqual([1, 0]);
    expect(splitLargestRemainder(0, [0, 0])).toEqual([0, 0]);
    expect(() => splitLargestRemainder(5, [0, 0])).toThrow();
    expect(() => splitLargestRemainder(5, [1.5])).toThrow();
  });
});

describe('allocateOldestFirst', () => {
  it('applies exactly the amount (or all that is open), never more than open on a charge, oldest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_000_000 }), charges, (amount, open) => {
        const plan = allocateOldestFirst(amount, open);
        const applied = plan.lines.reduce((a, l) => a + l.amountCents, 0);
        expect(applied + plan.unappliedCents).toBe(amount);
        const totalOpen = open.reduce((a, c) => a + c.openCents, 0);
        expect(applied).toBe(Math.min(amount, totalOpen));
        const byId = new Map(open.map((c) => [c.entryId, c]));
        for (const l of plan.lines) {
          expect(l.amountCents).toBeGreaterThan(0);
          expect(l.amountCents).toBeLessThanOrEqual(byId.get(l.chargeEntryId)!.openCents);
        }
        // Only the last charge touched may be left partly open.
        const order = oldestFirst(open).filter((c) => c.openCents > 0);
        plan.lines.slice(0, -1).forEach((l, i) => {
          expect(l.chargeEntryId).toBe(order[i]!.entryId);
          expect(l.amountCents).toBe(order[i]!.openCents);
        });
      }),
    );
  });

  it('orders by date of service, then posting time', () => {
    const open: OpenChargeRef[] = [
      { entryId: 'b', openCents: 100, serviceDate: '2026-03-02', postedAt: '2026-03-01T00:00:00.000Z' },
      { entryId: 'a', openCents: 100, serviceDate: '2026-03-01', postedAt: '2026-03-05T00:00:00.000Z' },
      { entryId: 'c', openCents: 100, serviceDate: null, postedAt: '2026-02-01T00:00:00.000Z' },
    ];
    expect(allocateOldestFirst(250, open).lines).toEqual([
      { chargeEntryId: 'c', amountCents: 100 },
      { chargeEntryId: 'a', amountCents: 100 },
      { chargeEntryId: 'b', amountCents: 50 },
    ]);
  });
});

describe('allocateProportional', () => {
  it('adds up, never exceeds what is open on a charge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_000_000 }), charges, (amount, open) => {
        const plan = allocateProportional(amount, open);
        const applied = plan.lines.reduce((a, l) => a + l.amountCents, 0);
        expect(applied + plan.unappliedCents).toBe(amount);
        const byId = new Map(open.map((c) => [c.entryId, c]));
        for (const l of plan.lines)
          expect(l.amountCents).toBeLessThanOrEqual(byId.get(l.chargeEntryId)!.openCents);
      }),
    );
  });
});

describe('money text', () => {
  it('parses what people type into cents without floating point, and formats back', () => {
    expect(parseCents('25')).toBe(2500);
    expect(parseCents('25.5')).toBe(2550);
    expect(parseCents('$1,234.56')).toBe(123456);
    expect(parseCents('.75')).toBe(75);
    expect(parseCents('0.1')).toBe(10);
    for (const bad of ['', '-5', '1.234', 'abc', '1,23', '$']) expect(parseCents(bad), bad).toBeNull();
    expect(formatCents(123456)).toBe('$1,234.56');
    expect(formatCents(-5)).toBe('−$0.05');
    expect(centsToInput(2550)).toBe('25.50');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (c) => {
        expect(parseCents(formatCents(c))).toBe(c);
      }),
    );
  });
});
