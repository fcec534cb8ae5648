import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../server/platform/errors';
import { ledgerProblems, ledgerState } from '../../../server/domain/billing/balances';
import { accountQuerySchema, type AccountQuery } from '../../../server/contracts/billing/ledger';
import {
  applyCredit,
  openAccount,
  postAdjustment,
  postPayment,
  postRefund,
  postTransfer,
  reverseEntry,
  unallocate,
} from '../../../server/workstation/services/billing/account';
import {
  accountRows,
  postEntries,
  type AllocationRow,
  type EntryRow,
} from '../../../server/workstation/services/billing/ledger';
import { verifyLedger } from '../../../server/workstation/services/billing/verify';
import { ledgerStore, type LedgerStore } from './support';

/**
 * The ledger's invariants, for any sequence of postings a user (or a buggy screen) could send: every
 * operation either stores rows that keep the rules or is refused and stores nothing; afterwards the
 * balances equal the plain sum of the entries, no allocation is negative, allocations never exceed their
 * payment or their charge, refunds never exceed payments, and `ledger verify` finds nothing wrong.
 */

let s: LedgerStore;
beforeAll(() => {
  s = ledgerStore();
});
afterAll(() => s.close());

const amount = fc.oneof(fc.integer({ min: 1, max: 50_000 }), fc.constantFrom(1, 99, 100, 2500, 10_000));
const resp = fc.constantFrom('patient' as const, 'insurance' as const);
const pick = fc.nat({ max: 1000 });

const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('charge' as const),
      amount,
      resp,
      day: fc.integer({ min: 1, max: 28 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('payment' as const),
      amount,
      resp,
      method: fc.constantFrom('cash' as const, 'check' as const, 'card' as const),
      mode: fc.constantFrom(
        'oldest_first' as const,
        'proportional' as const,
        'none' as const,
        'explicit' as const,
      ),
      pick,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constantFrom('adjustment' as const, 'write_off' as const),
      amount,
      resp,
      pick,
      onCharge: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('refund' as const), amount, pick, unapply: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('transfer' as const), amount, resp, pick, onCharge: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reversal' as const), pick }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('apply' as const),
      mode: fc.constantFrom('oldest_first' as const, 'proportional' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('unallocate' as const), pick }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function run(patientId: string, o: Op): void {
  const { store, actor } = s;
  const { entries, allocations } = accountRows(store, patientId);
  const of = <T>(list: T[], i: number) => (list.length ? list[i % list.length] : undefined);
  const charges = entries.filter((e) => e.kind === 'charge');
  const payments = entries.filter((e) => e.kind === 'payment');
  switch (o.t) {
    case 'charge':
      postEntries(store, actor, [
        {
          patientId,
          kind: 'charge',
          amountCents: o.amount,
          responsibility: o.resp,
          serviceDate: `2026-03-${String(o.day).padStart(2, '0')}`,
        },
      ]);
      return;
    case 'payment': {
      const c = of(charges, o.pick);
      const explicit =
        o.mode === 'explicit' && c
          ? [{ chargeEntryId: c.id, amountCents: Math.min(o.amount, c.amountCents) }]
          : [];
      postPayment(store, actor, patientId, {
        amountCents: o.amount,
        responsibility: o.resp,
        method: o.method,
        checkNumber: o.method === 'check' ? '1001' : undefined,
        allocation: { mode: o.mode === 'explicit' && !c ? 'none' : o.mode, lines: explicit },
      });
      return;
    }
    case 'adjustment':
    case 'write_off':
      postAdjustment(store, actor, patientId, o.t, {
        amountCents: o.amount,
        responsibility: o.resp,
        chargeEntryId: o.onCharge ? of(charges, o.pick)?.id : undefined,
        memo: 'Property test',
      });
      return;
    case 'refund': {
      const p = of(payments, o.pick);
      if (!p) return;
      postRefund(store, actor, patientId, {
        paymentEntryId: p.id,
        amountCents: o.amount,
        method: 'cash',
        unapplyIfNeeded: o.unapply,
        memo: 'Property test',
      });
      return;
    }
    case 'transfer':
      postTransfer(store, actor, patientId, {
        from: o.resp,
        to: o.resp === 'patient' ? 'insurance' : 'patient',
        amountCents: o.amount,
        chargeEntryId: o.onCharge ? of(charges, o.pick)?.id : undefined,
      });
      return;
    case 'reversal': {
      const e = of(entries, o.pick);
      if (e) reverseEntry(store, actor, patientId, e.id, 'Property test');
      return;
    }
    case 'apply':
      applyCredit(store, actor, patientId, { allocation: { mode: o.mode } });
      return;
    case 'unallocate': {
      const a = of(allocations, o.pick);
      if (a) unallocate(store, actor, patientId, a.id);
    }
  }
}

const count = () =>
  (
    s.db
      .prepare(
        'SELECT (SELECT count(*) FROM ledger_entries) + (SELECT count(*) FROM ledger_allocations) AS n',
      )
      .get() as { n: number }
  ).n;

/** The plain sum of signed amounts, written independently of the domain's fold. */
function plainTotal(entries: EntryRow[]): number {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const sign = (e: EntryRow): number =>
    e.kind === 'charge' || e.kind === 'refund'
      ? e.amountCents
      : e.kind === 'transfer'
        ? 0
        : e.kind === 'reversal'
          ? -sign(byId.get(e.reversesEntryId!)!)
          : -e.amountCents;
  return entries.reduce((a, e) => a + sign(e), 0);
}

function netAllocated(allocs: AllocationRow[], key: 'paymentEntryId' | 'chargeEntryId', id: string): number {
  return allocs
    .filter((a) => a[key] === id)
    .reduce((t, a) => t + (a.reversesAllocationId ? -a.amountCents : a.amountCents), 0);
}

const pageFilters: AccountQuery[] = [
  {},
  { kind: 'charge' },
  { kind: ['payment', 'refund'] },
  { hideReversed: 'true' },
  { responsibility: 'insurance' },
  { from: '2026-03-05', to: '2026-03-20' },
];

/** The newest `limit` entries of a page equal the same entries of the whole account's view. */
function samePage(patientId: string, filter: AccountQuery, limit = 3): void {
  const whole = openAccount(s.store, s.actor, patientId, accountQuerySchema.parse(filter), true);
  const page = openAccount(
    s.store,
    s.actor,
    patientId,
    accountQuerySchema.parse({ ...filter, limit: String(limit) }),
    true,
  );
  const shown = new Set(page.entries.map((e) => e.id));
  expect(page).toEqual({
    ...whole,
    entries: whole.entries.slice(-limit),
    allocations: whole.allocations.filter((a) => shown.has(a.paymentEntryId) || shown.has(a.chargeEntryId)),
  });
}

describe('ledger invariants under any sequence of postings', () => {
  it('keeps every rule, refuses what would break one without storing anything, and verifies', () => {
    let refused = 0;
    let applied = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const patientId = s.patient();
        for (const o of ops) {
          const before = count();
          try {
            run(patientId, o);
            applied++;
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            expect(err.status).toBeGreaterThanOrEqual(400);
            expect(err.status).toBeLessThan(500);
            expect(count(), `refused ${o.t} stored nothing`).toBe(before);
            refused++;
          }
        }
        const { entries, allocations } = accountRows(s.store, patientId);
        expect(ledgerProblems(entries, allocations)).toEqual([]);
        const state = ledgerState(entries, allocations);
        // Balances equal the sum of the entries.
        expect(state.balances.totalCents).toBe(plainTotal(entries));
        expect(state.balances.patientCents + state.balances.insuranceCents).toBe(state.balances.totalCents);
        expect(state.balances.unappliedCreditCents).toBeGreaterThanOrEqual(0);
        // No negative allocation; allocations never exceed the payment or the charge.
        for (const a of allocations) expect(a.amountCents).toBeGreaterThan(0);
        for (const e of entries) {
          if (e.kind === 'payment') {
            const net = netAllocated(allocations, 'paymentEntryId', e.id);
            expect(net).toBeGreaterThanOrEqual(0);
            expect(net).toBeLessThanOrEqual(e.amountCents);
          }
          if (e.kind === 'charge') {
            const net = netAllocated(allocations, 'chargeEntryId', e.id);
            expect(net).toBeGreaterThanOrEqual(0);
            expect(net).toBeLessThanOrEqual(e.amountCents);
          }
        }
        // Refunds never exceed payments, per payment and in all (entries that stand).
        const reversed = new Set(entries.filter((e) => e.kind === 'reversal').map((e) => e.reversesEntryId));
        const standing = entries.filter((e) => !reversed.has(e.id));
        const paid = standing.filter((e) => e.kind === 'payment').reduce((a, e) => a + e.amountCents, 0);
        const refunds = standing.filter((e) => e.kind === 'refund');
        expect(refunds.reduce((a, e) => a + e.amountCents, 0)).toBeLessThanOrEqual(paid);
        for (const p of standing.filter((e) => e.kind === 'payment')) {
          const back = refunds
            .filter((r) => r.appliesToEntryId === p.id)
            .reduce((a, r) => a + r.amountCents, 0);
          expect(back + netAllocated(allocations, 'paymentEntryId', p.id)).toBeLessThanOrEqual(p.amountCents);
        }
        // A page of the account (what the screen opens: only the fold's columns of every entry, in index
        // order, whole rows of those shown) shows what the whole account does, under every filter.
        for (const filter of pageFilters) samePage(patientId, filter);
        // The first view (no filter) reads the newest page whole and only the fold columns before it:
        // pages ending on every side of that boundary (one entry, a few, more than the account holds).
        for (const limit of [1, 2, 7, 40]) samePage(patientId, {}, limit);
      }),
      { numRuns: 150 },
    );
    // Both outcomes really happened: the generator reaches the rules, and lets valid postings through.
    expect(applied).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(10);
    const verified = verifyLedger(s.store);
    expect(verified.problems).toEqual([]);
    expect(verified.entries).toBeGreaterThan(200);
  }, 240_000);
});
