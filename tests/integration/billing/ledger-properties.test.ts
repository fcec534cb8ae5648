import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../server/platform/errors';
import { ledgerProblems, ledgerState } from '../../../server/domain/billing/balances';
import { accountQuerySchema, type AccountQuery } from '../../../server/contracts/billing/ledger';
import {
  applyCredit,
  checkpointView,
  foldedFirstView,
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
import {
  foldFromCheckpoint,
  PARSED_KEPT,
} from '../../../server/workstation/services/billing/fold-checkpoint';
import { v7 as uuidv7 } from 'uuid';
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

/**
 * The first view opened from a fold checkpoint (the newest entries whole, the fold from the checkpoint and
 * the rows after it) equals the whole account's fold, whatever arrives after the checkpoint and in what
 * order: postings through the service, rows replicated out of order (posted or made before the
 * checkpoint's position, so its trigger drops it, or after it, touching charges and payments it holds), a
 * reversal or un-allocation arriving before what it undoes, and a merge re-filing another account's rows.
 */
const late = fc.oneof(
  fc.record({ t: fc.constant('late_charge' as const), amount, resp, early: fc.boolean() }),
  fc.record({ t: fc.constant('late_payment' as const), amount, resp, early: fc.boolean() }),
  fc.record({ t: fc.constant('late_reversal' as const), pick, early: fc.boolean(), ahead: fc.boolean() }),
  fc.record({ t: fc.constant('late_allocation' as const), pick, early: fc.boolean(), undo: fc.boolean() }),
  fc.record({ t: fc.constant('merge' as const), amount }),
  fc.record({ t: fc.constant('open' as const), limit: fc.constantFrom(1, 3, 40) }),
  fc.record({ t: fc.constant('crowd' as const) }),
);
/** Accounts of earlier runs, opened by `crowd` so the kept parsed checkpoints change hands. */
const earlier: string[] = [];
/** Opens save a checkpoint when there is none (or too much after it). */
const opens = fc.record({ t: fc.constant('open' as const), limit: fc.constantFrom(1, 3, 40) });
type Late = typeof late extends fc.Arbitrary<infer T> ? T : never;

let seq = 0;
/** A replicated row's instant: before every posting made here (`early`), or after all of them. */
const instant = (early: boolean) =>
  `${early ? '2026-01-01' : '2099-01-01'}T00:00:${String(seq++ % 60).padStart(2, '0')}.${String(seq % 1000).padStart(3, '0')}Z`;

function insertEntry(patientId: string, e: Record<string, unknown>): string {
  const id = uuidv7();
  const at = instant(e.early as boolean);
  s.db
    .prepare(
      `INSERT INTO ledger_entries (id, clinic_id, patient_id, kind, responsibility, amount_cents, reverses_entry_id,
         method, posted_at, posted_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'central', ?)`,
    )
    .run(id, s.clinicId, patientId, e.kind, e.resp, e.amount, e.reverses ?? null, e.method ?? null, at, at);
  return id;
}

function arrive(patientId: string, o: Late): void {
  const { entries, allocations } = accountRows(s.store, patientId);
  const of = <T>(list: T[], i: number) => (list.length ? list[i % list.length] : undefined);
  switch (o.t) {
    case 'late_charge':
    case 'late_payment':
      insertEntry(patientId, {
        kind: o.t === 'late_charge' ? 'charge' : 'payment',
        resp: o.resp,
        amount: o.amount,
        method: o.t === 'late_payment' ? 'cash' : null,
        early: o.early,
      });
      return;
    case 'late_reversal': {
      const reversed = new Set(entries.map((e) => e.reversesEntryId));
      const target = of(
        entries.filter((e) => e.kind !== 'reversal' && !reversed.has(e.id)),
        o.pick,
      );
      if (!target) return;
      // `ahead`: the reversal arrives before the entry it undoes (here a charge replicated right after).
      const undone = o.ahead ? uuidv7() : target.id;
      const reversal = { kind: 'reversal', resp: target.responsibility, amount: target.amountCents };
      insertEntry(patientId, { ...reversal, reverses: undone, early: o.early });
      if (o.ahead)
        s.db
          .prepare(
            `INSERT INTO ledger_entries (id, clinic_id, patient_id, kind, responsibility, amount_cents, posted_at,
               posted_by, created_at) VALUES (?, ?, ?, 'charge', ?, ?, ?, 'central', ?)`,
          )
          .run(
            undone,
            s.clinicId,
            patientId,
            target.responsibility,
            target.amountCents,
            instant(false),
            instant(false),
          );
      return;
    }
    case 'late_allocation': {
      const p = of(
        entries.filter((e) => e.kind === 'payment'),
        o.pick,
      );
      const c = of(
        entries.filter((e) => e.kind === 'charge'),
        o.pick + 1,
      );
      const undo = o.undo
        ? of(
            allocations.filter((a) => !a.reversesAllocationId),
            o.pick,
          )
        : undefined;
      if (!p || !c) return;
      const undone = new Set(allocations.map((a) => a.reversesAllocationId));
      const row =
        undo && !undone.has(undo.id) ? undo : { paymentEntryId: p.id, chargeEntryId: c.id, amountCents: 1 };
      const at = instant(o.early);
      s.db
        .prepare(
          `INSERT INTO ledger_allocations (id, clinic_id, patient_id, payment_entry_id, charge_entry_id, amount_cents,
             reverses_allocation_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'central')`,
        )
        .run(
          uuidv7(),
          s.clinicId,
          patientId,
          row.paymentEntryId,
          row.chargeEntryId,
          row.amountCents,
          row === undo ? undo.id : null,
          at,
        );
      return;
    }
    case 'merge': {
      // Another account's rows re-filed onto this one (what a merge does to the ledger).
      const other = s.patient();
      postEntries(s.store, s.actor, [
        { patientId: other, kind: 'charge', amountCents: o.amount, responsibility: 'patient' },
      ]);
      postPayment(s.store, s.actor, other, {
        amountCents: o.amount,
        responsibility: 'patient',
        method: 'cash',
        allocation: { mode: 'oldest_first' },
        memo: 'Property test',
      });
      s.db.prepare('UPDATE ledger_entries SET patient_id = ? WHERE patient_id = ?').run(patientId, other);
      s.db.prepare('UPDATE ledger_allocations SET patient_id = ? WHERE patient_id = ?').run(patientId, other);
      return;
    }
    case 'open':
      openAccount(s.store, s.actor, patientId, accountQuerySchema.parse({ limit: String(o.limit) }), true);
      return;
    case 'crowd':
      for (const other of earlier.slice(-PARSED_KEPT))
        openAccount(s.store, s.actor, other, accountQuerySchema.parse({ limit: '3' }), true);
  }
}

describe('the fold checkpoint', () => {
  it('opens the first view exactly as the whole fold does, under any order of arrival and merges', () => {
    let fromCheckpoint = 0;
    let reused = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(op, late, late, opens), { minLength: 1, maxLength: 30 }), (ops) => {
        const patientId = s.patient();
        for (const o of ops) {
          try {
            if (
              o.t === 'late_charge' ||
              o.t === 'late_payment' ||
              o.t === 'late_reversal' ||
              o.t === 'late_allocation' ||
              o.t === 'merge' ||
              o.t === 'open' ||
              o.t === 'crowd'
            )
              arrive(patientId, o);
            else run(patientId, o);
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
          }
          // With nothing after the checkpoint, a second read hands out the very states kept from the first.
          s.store.db.transaction(() => {
            const a = foldFromCheckpoint(s.store, patientId);
            if (a && a.payments === foldFromCheckpoint(s.store, patientId)?.payments) reused++;
          })();
          for (const limit of [1, 3, 40]) {
            const query = accountQuerySchema.parse({ limit: String(limit) });
            const whole = s.store.db.transaction(() => foldedFirstView(s.store, patientId, query))();
            const cp = s.store.db.transaction(() => checkpointView(s.store, patientId, limit))();
            if (cp) {
              fromCheckpoint++;
              expect(cp).toEqual(whole);
            }
          }
        }
        const opened = openAccount(
          s.store,
          s.actor,
          patientId,
          accountQuerySchema.parse({ limit: '3' }),
          true,
        );
        const { patient: _, ...view } = opened;
        expect(view).toEqual(
          s.store.db.transaction(() =>
            foldedFirstView(s.store, patientId, accountQuerySchema.parse({ limit: '3' })),
          )(),
        );
        earlier.push(patientId);
      }),
      { numRuns: 80 },
    );
    // The checkpoint was really used (not dropped every time), and `ledger verify` agrees with every one kept.
    expect(fromCheckpoint).toBeGreaterThan(150);
    expect(reused).toBeGreaterThan(30);
    expect(verifyLedger(s.store).problems.filter((p) => /checkpoint/.test(p.problem))).toEqual([]);
  }, 240_000);
});
