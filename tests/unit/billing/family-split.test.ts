import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitFamilyPayment, type FamilyAccountOpen } from '../../../server/domain/billing/family-split';

/**
 * A family payment's split (server/domain/billing/family-split.ts), for any family and any payment: the
 * shares are whole cents, never negative, add up to the payment, each account's applied lines name only its
 * own charges and never more than is open on them or than its share; oldest first pays no charge while an
 * older one of the family is left open; by balance stays within a cent of each exact share.
 */

const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, '0')}`);
const familyArb: fc.Arbitrary<FamilyAccountOpen[]> = fc
  .array(fc.array(fc.record({ openCents: fc.integer({ min: 1, max: 50_000 }), day }), { maxLength: 6 }), {
    minLength: 1,
    maxLength: 5,
  })
  .map((accounts) =>
    accounts.map((charges, i) => ({
      patientId: `p${i}`,
      charges: charges.map((c, j) => ({
        entryId: `c${i}-${j}`,
        openCents: c.openCents,
        serviceDate: c.day,
        postedAt: `${c.day}T1${i}:0${j}:00.000Z`,
      })),
    })),
  );
const amount = fc.integer({ min: 1, max: 200_000 });
const owed = (a: FamilyAccountOpen) => a.charges.reduce((t, c) => t + c.openCents, 0);

function checkShares(
  family: FamilyAccountOpen[],
  payment: number,
  shares: ReturnType<typeof splitFamilyPayment>,
) {
  expect(shares.reduce((t, s) => t + s.amountCents, 0)).toBe(payment);
  const applied = new Map<string, number>();
  for (const s of shares) {
    expect(Number.isSafeInteger(s.amountCents)).toBe(true);
    expect(s.amountCents).toBeGreaterThan(0);
    const account = family.find((a) => a.patientId === s.patientId)!;
    expect(account).toBeDefined();
    let onAccount = 0;
    for (const l of s.lines) {
      const c = account.charges.find((x) => x.entryId === l.chargeEntryId);
      expect(c, 'applied to a charge of its own account').toBeDefined();
      expect(l.amountCents).toBeGreaterThan(0);
      applied.set(l.chargeEntryId, (applied.get(l.chargeEntryId) ?? 0) + l.amountCents);
      expect(applied.get(l.chargeEntryId)).toBeLessThanOrEqual(c!.openCents);
      onAccount += l.amountCents;
    }
    expect(onAccount).toBeLessThanOrEqual(s.amountCents);
  }
  // Nothing stays as credit while the family still owes on a charge.
  const totalApplied = [...applied.values()].reduce((a, b) => a + b, 0);
  expect(totalApplied).toBe(
    Math.min(
      payment,
      family.reduce((t, a) => t + owed(a), 0),
    ),
  );
  return applied;
}

describe('family payment split', () => {
  it('oldest first: sums to the payment, never negative, no newer charge paid while an older one stays open', () => {
    fc.assert(
      fc.property(familyArb, amount, (family, payment) => {
        const shares = splitFamilyPayment(payment, family, { mode: 'oldest_first' });
        const applied = checkShares(family, payment, shares);
        const all = family.flatMap((a) => a.charges);
        const key = (c: (typeof all)[number]) => `${c.serviceDate}|${c.postedAt}|${c.entryId}`;
        for (const older of all)
          for (const newer of all)
            if (key(older) < key(newer) && (applied.get(newer.entryId) ?? 0) > 0)
              expect(applied.get(older.entryId) ?? 0).toBe(older.openCents);
      }),
      { numRuns: 300 },
    );
  });

  it('by balance: sums to the payment, never negative, each share within a cent of its exact part', () => {
    fc.assert(
      fc.property(familyArb, amount, (family, payment) => {
        const shares = splitFamilyPayment(payment, family, { mode: 'by_balance' });
        checkShares(family, payment, shares);
        const total = family.reduce((t, a) => t + owed(a), 0);
        if (total === 0 || payment > total) return;
        for (const a of family) {
          const share = shares.find((s) => s.patientId === a.patientId)?.amountCents ?? 0;
          expect(Math.abs(share * total - payment * owed(a))).toBeLessThan(total);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('explicit amounts: each account gets what was typed; amounts that do not add up are refused', () => {
    fc.assert(
      fc.property(
        familyArb.chain((family) =>
          fc.tuple(
            fc.constant(family),
            fc.array(fc.integer({ min: 0, max: 40_000 }), {
              minLength: family.length,
              maxLength: family.length,
            }),
          ),
        ),
        ([family, typed]) => {
          const payment = typed.reduce((a, b) => a + b, 0);
          const lines = family.map((a, i) => ({ patientId: a.patientId, amountCents: typed[i]! }));
          if (payment === 0) return;
          const shares = splitFamilyPayment(payment, family, { mode: 'explicit', lines });
          expect(shares.reduce((t, s) => t + s.amountCents, 0)).toBe(payment);
          for (const s of shares) {
            expect(s.amountCents).toBe(lines.find((l) => l.patientId === s.patientId)!.amountCents);
            expect(s.lines.reduce((t, l) => t + l.amountCents, 0)).toBe(
              Math.min(s.amountCents, owed(family.find((a) => a.patientId === s.patientId)!)),
            );
          }
          expect(() => splitFamilyPayment(payment + 1, family, { mode: 'explicit', lines })).toThrow(
            /add up/,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
