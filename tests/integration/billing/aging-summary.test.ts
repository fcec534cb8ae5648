import path from 'node:path';
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../server/platform/errors';
import { ledgerState } from '../../../server/domain/billing/balances';
import { DB_FILE_NAME, migrate, openDatabase } from '../../../server/workstation/db/open';
import { Store, systemActor } from '../../../server/workstation/db/store';
import { verifyLedger } from '../../../server/workstation/services/billing/verify';
import { deferLedgerSummary } from '../../../server/workstation/services/billing/ledger-summary';
import { RemoteApplier } from '../../../server/workstation/sync/apply';
import {
  postAdjustment,
  postPayment,
  postRefund,
  postTransfer,
  reverseEntry,
} from '../../../server/workstation/services/billing/account';
import { accountRows, postEntries } from '../../../server/workstation/services/billing/ledger';
import {
  agedFromLedger,
  agedFromSummary,
  agedPieces,
} from '../../../server/workstation/services/billing/ar-aging';
import { endOfLocalDay } from '../../../server/workstation/services/billing/reports';
import { newKey } from '../../support/storage';
import { tempDir } from '../../support/workstation';
import { ledgerStore, type LedgerStore } from './support';

/**
 * The aging summary (migration 0012, kept by triggers on ledger_entries) always equals a recomputation from
 * scratch: for any sequence of postings, voids (reversals) and refunds over months of posting dates, each
 * patient's summary balances equal the domain's fold of the entries, and the aging report read from the
 * summary (one row per patient and responsibility, its debits packed: migration 0018) equals the report
 * computed by scanning the ledger. Rows arriving by replication (in any order, a reversal before its entry,
 * a merge re-filing an account) keep it equal too.
 */

let clock = new Date('2026-01-05T15:00:00Z');
let s: LedgerStore;
const clinicInfo = { name: 'Aging Test Clinic', timeZone: 'America/Chicago' };
beforeAll(() => {
  s = ledgerStore(() => clock);
  s.store.write(systemActor, (w) => w.setClinicSetting('clinic', clinicInfo));
});
afterAll(() => s.close());

const providers = [uuidv7(), uuidv7()];
const locations = [uuidv7(), uuidv7()];
const day = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

const amount = fc.oneof(fc.integer({ min: 1, max: 40_000 }), fc.constantFrom(1, 100, 2500));
const resp = fc.constantFrom('patient' as const, 'insurance' as const);
const pick = fc.nat({ max: 1000 });
const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('charge' as const),
      amount,
      resp,
      back: fc.integer({ min: 0, max: 200 }),
      prov: fc.nat({ max: 2 }),
      loc: fc.nat({ max: 2 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('payment' as const),
      amount,
      resp,
      mode: fc.constantFrom('oldest_first' as const, 'none' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('adjustment' as const), amount, resp, pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('refund' as const), amount, pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('transfer' as const), amount, resp }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reversal' as const), pick }) },
  // Time passes between postings: days older than 122 days get folded into the summary's "over 120" row.
  { weight: 2, arbitrary: fc.record({ t: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 90 }) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function run(patientId: string, o: Op): void {
  const { store, actor } = s;
  const { entries } = accountRows(store, patientId);
  const of = <T>(list: T[], i: number) => (list.length ? list[i % list.length] : undefined);
  switch (o.t) {
    case 'charge':
      postEntries(store, actor, [
        {
          patientId,
          kind: 'charge',
          amountCents: o.amount,
          responsibility: o.resp,
          serviceDate: day(addDays(clock, -o.back)),
          providerUserId: providers[o.prov] ?? null,
          locationId: locations[o.loc] ?? null,
        },
      ]);
      return;
    case 'payment':
      postPayment(store, actor, patientId, {
        amountCents: o.amount,
        responsibility: o.resp,
        method: 'cash',
        allocation: { mode: o.mode },
      });
      return;
    case 'adjustment':
      postAdjustment(store, actor, patientId, 'adjustment', {
        amountCents: o.amount,
        responsibility: o.resp,
        chargeEntryId: of(
          entries.filter((e) => e.kind === 'charge'),
          o.pick,
        )?.id,
        memo: 'Property test',
      });
      return;
    case 'refund': {
      const p = of(
        entries.filter((e) => e.kind === 'payment'),
        o.pick,
      );
      if (p)
        postRefund(store, actor, patientId, {
          paymentEntryId: p.id,
          amountCents: o.amount,
          method: 'cash',
          unapplyIfNeeded: true,
          memo: 'Property test',
        });
      return;
    }
    case 'transfer':
      postTransfer(store, actor, patientId, {
        from: o.resp,
        to: o.resp === 'patient' ? 'insurance' : 'patient',
        amountCents: o.amount,
      });
      return;
    case 'reversal': {
      const e = of(entries, o.pick);
      if (e) reverseEntry(store, actor, patientId, e.id, 'Property test');
      return;
    }
    case 'wait':
      clock = addDays(clock, o.days);
  }
}

type Summary = Record<string, { patient: number; insurance: number; entries: number }>;
function summaryOf(store: Store, clinicId: string): Summary {
  const out: Summary = {};
  for (const r of store.db
    .prepare(
      'SELECT patient_id, responsibility, balance_cents, entries FROM ledger_balance_summary WHERE clinic_id = ?',
    )
    .all(clinicId) as {
    patient_id: string;
    responsibility: 'patient' | 'insurance';
    balance_cents: number;
    entries: number;
  }[]) {
    const x = (out[r.patient_id] ??= { patient: 0, insurance: 0, entries: 0 });
    x[r.responsibility] = r.balance_cents;
    x.entries += r.entries;
  }
  return out;
}

/** Each patient's balances folded from scratch by the domain (server/domain/billing/balances.ts). */
function expectBalancesRecomputed(store: Store, clinicId: string, patientIds: string[]): void {
  const summary = summaryOf(store, clinicId);
  for (const pid of patientIds) {
    const { entries, allocations } = accountRows(store, pid);
    const { balances } = ledgerState(entries, allocations);
    expect(summary[pid]?.patient ?? 0, 'patient balance').toBe(balances.patientCents);
    expect(summary[pid]?.insurance ?? 0, 'insurance balance').toBe(balances.insuranceCents);
  }
}

/**
 * Each balance row's packed debits (migration 0018, what the report reads) hold exactly the account's day
 * rows: every provider/location pair with its days and net cents, nothing else (order aside).
 */
function expectPackedDebitsCurrent(store: Store, clinicId: string): void {
  const days = new Map<string, string[]>();
  for (const r of store.db
    .prepare(
      `SELECT patient_id, responsibility, provider_user_id, location_id,
              CASE WHEN day = '' THEN 0 ELSE unixepoch(day) / 86400 END AS n, debit_cents
         FROM ledger_debit_summary WHERE clinic_id = ?`,
    )
    .all(clinicId) as Record<string, string | number>[]) {
    const key = `${r.patient_id}/${r.responsibility}`;
    const list = days.get(key) ?? [];
    list.push(`${r.provider_user_id}|${r.location_id}|${r.n}:${r.debit_cents}`);
    days.set(key, list);
  }
  const rows = store.db
    .prepare('SELECT patient_id, responsibility, debits FROM ledger_balance_summary WHERE clinic_id = ?')
    .all(clinicId) as { patient_id: string; responsibility: string; debits: string }[];
  for (const r of rows) {
    const unpacked = r.debits
      ? r.debits.split(';').flatMap((pair) => {
          const [prov, loc, list] = pair.split('|');
          return list!.split(',').map((d) => `${prov}|${loc}|${d}`);
        })
      : [];
    expect(unpacked.sort(), 'packed debits').toEqual((days.get(`${r.patient_id}/${r.responsibility}`) ?? []).sort());
    days.delete(`${r.patient_id}/${r.responsibility}`);
  }
  expect([...days.keys()], 'day rows without a balance row').toEqual([]);
}

/** The aging report's figures from the summary equal those from a scan of every ledger row. */
function expectAgingRecomputed(store: Store, asOf: string): void {
  const sorted = (r: ReturnType<typeof agedFromSummary>) => ({
    pieces: [...r.pieces].sort((a, b) =>
      `${a.pid}${a.resp}${a.prov}${a.loc}` < `${b.pid}${b.resp}${b.prov}${b.loc}` ? -1 : 1,
    ),
    // Credits (balances below zero) are what the report takes from the balances.
    credits: Object.fromEntries(
      [...r.balances]
        .map(([pid, b]) => [pid, Math.min(0, b.patient) + Math.min(0, b.insurance)] as const)
        .filter(([, c]) => c < 0)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
    entryCount: r.entryCount,
  });
  const fromSummary = agedFromSummary(store, asOf);
  const fromLedger = agedFromLedger(store, asOf, endOfLocalDay(asOf, 'America/Chicago'));
  expect(sorted(fromSummary)).toEqual(sorted(fromLedger));
  expect(agedPieces(store, asOf).source).toBe('summary');
}

describe('the aging summary equals a recomputation from scratch', () => {
  it('after any sequence of postings, voids, refunds and transfers over months', () => {
    const patients: string[] = [];
    let applied = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        const patientId = s.patient();
        patients.push(patientId);
        for (const o of ops) {
          try {
            run(patientId, o);
            applied++;
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
          }
        }
        expectBalancesRecomputed(s.store, s.clinicId, [patientId]);
        expectPackedDebitsCurrent(s.store, s.clinicId);
        // As of the day after the newest posting, and 200 days later (every debit has aged).
        expectAgingRecomputed(s.store, day(addDays(clock, 1)));
        expectAgingRecomputed(s.store, day(addDays(clock, 200)));
      }),
      { numRuns: 60 },
    );
    expect(applied).toBeGreaterThan(150);
    // The "over 120 days" fold really happened, so the property covered it.
    expect(
      s.db.prepare(`SELECT count(*) FROM ledger_debit_summary WHERE day = ''`).pluck().get(),
    ).toBeGreaterThan(0);
    expectBalancesRecomputed(s.store, s.clinicId, patients);
  });

  it('puts a debit on each bucket edge in the bucket bucketOf names (30 days is 0–30, 31 is 31–60, …)', () => {
    const patientId = s.patient();
    const asOf = day(addDays(clock, 1));
    const ages = [30, 31, 60, 61, 90, 91, 120, 121];
    postEntries(
      s.store,
      s.actor,
      ages.map((age, i) => ({
        patientId,
        kind: 'charge' as const,
        amountCents: 2 ** i,
        serviceDate: day(addDays(new Date(`${asOf}T12:00:00Z`), -age)),
      })),
    );
    const aged = agedFromSummary(s.store, asOf).pieces.filter((p) => p.pid === patientId);
    expect(aged.map((p) => p.aging)).toEqual([
      { '0_30': 1, '31_60': 2 + 4, '61_90': 8 + 16, '91_120': 32 + 64, '120_plus': 128 },
    ]);
    expectAgingRecomputed(s.store, asOf);
  });

  it('for a past as-of date, the report scans the ledger instead (the summary is of today)', () => {
    expect(agedPieces(s.store, '2025-12-01').source).toBe('ledger');
  });
});

/** A patient's summary rows (balances with packed debits, and day rows), without the patient id. */
function summaryRowsOf(store: Store, patientId: string) {
  return {
    balances: store.db
      .prepare(
        'SELECT responsibility, balance_cents, entries, debits FROM ledger_balance_summary WHERE patient_id = ? ORDER BY responsibility',
      )
      .all(patientId),
    days: store.db
      .prepare(
        `SELECT responsibility, provider_user_id, location_id, day, debit_cents FROM ledger_debit_summary
          WHERE patient_id = ? ORDER BY responsibility, provider_user_id, location_id, day`,
      )
      .all(patientId),
  };
}

describe('a bulk posting with the summary paused (migration 0024)', () => {
  it('leaves exactly the summary that posting entry by entry leaves', () => {
    let folded = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        const start = clock;
        const runAll = (patientId: string) => {
          for (const o of ops)
            try {
              run(patientId, o);
            } catch (err) {
              if (!(err instanceof AppError)) throw err;
            }
        };
        const one = s.patient();
        runAll(one);
        const end = clock;
        clock = start;
        const bulk = s.patient();
        s.store.write(systemActor, () =>
          deferLedgerSummary(s.store, () => {
            runAll(bulk);
            // Paused: nothing of this patient reached the summary yet.
            expect(summaryRowsOf(s.store, bulk).balances).toEqual([]);
          }),
        );
        expect(clock).toEqual(end);
        expect(summaryRowsOf(s.store, bulk)).toEqual(summaryRowsOf(s.store, one));
        folded += summaryRowsOf(s.store, bulk).days.filter((d) => (d as { day: string }).day === '').length;
      }),
      { numRuns: 40 },
    );
    expect(folded, 'the "over 120 days" fold happened during a pause').toBeGreaterThan(0);
    expectPackedDebitsCurrent(s.store, s.clinicId);
    expect(s.db.prepare('SELECT count(*) FROM ledger_summary_deferral').pluck().get()).toBe(0);
  });

  it('counts a reversal already in the ledger when its entry arrives during the pause', () => {
    // Replication order: another workstation's reversal came before the charge it undoes; once with the
    // summary paused, once entry by entry.
    const arrive = (pid: string, paused: boolean) => {
      const chargeId = uuidv7();
      const at = clock.toISOString();
      const base = { clinic_id: s.clinicId, patient_id: pid, posted_at: at, posted_by: 'other-workstation', created_at: at, memo: '' };
      const insert = (row: Record<string, unknown>) => {
        const all = { ...base, ...row };
        const cols = Object.keys(all);
        s.db.prepare(`INSERT INTO ledger_entries (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(all);
      };
      insert({ id: uuidv7(), kind: 'reversal', responsibility: 'patient', amount_cents: 4_000, reverses_entry_id: chargeId });
      const charge = () => insert({ id: chargeId, kind: 'charge', responsibility: 'patient', amount_cents: 4_000, service_date: day(clock) });
      s.store.write(systemActor, () => (paused ? deferLedgerSummary(s.store, charge) : charge()));
    };
    const [one, bulk] = [s.patient(), s.patient()];
    arrive(one, false);
    arrive(bulk, true);
    expect(summaryRowsOf(s.store, bulk)).toEqual(summaryRowsOf(s.store, one));
    expect(summaryRowsOf(s.store, bulk).balances).toMatchObject([{ responsibility: 'patient', balance_cents: 0 }]);
    expectBalancesRecomputed(s.store, s.clinicId, [bulk]);
  });

  it('rolls back with what it posted when the posting fails (a caller that catches keeps a true summary), and ledger verify reports a pause left behind', () => {
    const pid = s.patient();
    expect(() =>
      s.store.write(systemActor, () =>
        deferLedgerSummary(s.store, () => {
          postEntries(s.store, s.actor, [{ patientId: pid, kind: 'charge', amountCents: 700 }]);
          throw new Error('The posting failed half-way.');
        }),
      ),
    ).toThrow('half-way');
    expect(accountRows(s.store, pid).entries).toEqual([]);
    expect(verifyLedger(s.store).problems).toEqual([]);
    // A caller that catches the failure and commits: what was posted before it stays, and is in the summary.
    const kept = s.patient();
    s.store.write(systemActor, () => {
      try {
        deferLedgerSummary(s.store, () => {
          postEntries(s.store, s.actor, [{ patientId: kept, kind: 'charge', amountCents: 900 }]);
          throw new Error('The posting failed half-way.');
        });
      } catch {
        // gone on from
      }
    });
    expect(accountRows(s.store, kept).entries.map((e) => e.amountCents)).toEqual([900]);
    expect(summaryRowsOf(s.store, kept).balances).toMatchObject([{ responsibility: 'patient', balance_cents: 900 }]);
    expectBalancesRecomputed(s.store, s.clinicId, [kept]);
    expect(s.db.prepare('SELECT count(*) FROM ledger_summary_deferral').pluck().get()).toBe(0);
    expect(verifyLedger(s.store).problems).toEqual([]);
    s.db.prepare('INSERT INTO ledger_summary_deferral (id, after_rowid) VALUES (1, 0)').run();
    try {
      expect(verifyLedger(s.store).problems.map((p) => p.problem)).toContain(
        'The ledger summary is paused (a bulk posting did not finish); the aging report misses later postings.',
      );
    } finally {
      s.db.prepare('DELETE FROM ledger_summary_deferral').run();
    }
  });
});

describe('replicated ledger rows update the summary', () => {
  it('applies another workstation’s rows in any order, and a merge re-filing an account', () => {
    // Workstation A posts; workstation B receives A's ledger rows through the sync applier.
    const a = s;
    const pid = a.patient();
    const other = a.patient();
    clock = addDays(clock, 1);
    const charge = postEntries(a.store, a.actor, [
      {
        patientId: pid,
        kind: 'charge',
        amountCents: 12_000,
        responsibility: 'patient',
        serviceDate: day(clock),
        providerUserId: providers[0]!,
      },
    ])[0]!;
    postEntries(a.store, a.actor, [
      { patientId: pid, kind: 'charge', amountCents: 5_000, responsibility: 'insurance', serviceDate: day(clock) },
    ]);
    postPayment(a.store, a.actor, pid, { amountCents: 2_500, method: 'cash', allocation: { mode: 'none' } });
    postTransfer(a.store, a.actor, pid, { from: 'insurance', to: 'patient', amountCents: 1_000 });
    reverseEntry(a.store, a.actor, pid, charge.id, 'Wrong code');

    const rows = (
      a.db
        .prepare(
          `SELECT row_id, payload FROM outbox WHERE table_name = 'ledger_entries' AND payload LIKE ? ORDER BY mutation_id`,
        )
        .all(`%${pid}%`) as { row_id: string; payload: string }[]
    ).map((r) => ({ table: 'ledger_entries', rowId: r.row_id, row: JSON.parse(r.payload) as Record<string, unknown> }));
    expect(rows.length).toBe(5);

    const dir = tempDir('tessera-ledger-b-');
    const db = openDatabase(path.join(dir, DB_FILE_NAME), newKey());
    try {
      migrate(db);
      const b = new Store(db, () => clock);
      b.write(systemActor, (w) => {
        b.setClinic(w, a.clinicId);
        w.setClinicSetting('clinic', clinicInfo);
      });
      const applier = new RemoteApplier(b);
      // The reversal first (rows from two sources can arrive in any order), then the rest.
      const reversal = rows.find((r) => r.row.kind === 'reversal')!;
      expect(b.applyRemote(() => applier.applyInTransaction([reversal])).applied).toBe(1);
      expect(summaryOf(b, a.clinicId)[pid]?.patient ?? 0).toBe(0);
      expect(
        b.applyRemote(() => applier.applyInTransaction(rows.filter((r) => r !== reversal))).applied,
      ).toBe(4);
      expect(summaryOf(b, a.clinicId)[pid]).toEqual(summaryOf(a.store, a.clinicId)[pid]);
      expectBalancesRecomputed(b, a.clinicId, [pid]);
      expectAgingRecomputed(b, day(addDays(clock, 1)));
      expectPackedDebitsCurrent(b, a.clinicId);
      // ledger verify folds the entries and finds the balance summary equal (no mismatches).
      expect(verifyLedger(b)).toMatchObject({ ok: true, mismatches: 0, patients: 1 });
      // Applying the same rows again (a retried pull) changes nothing.
      b.applyRemote(() => applier.applyInTransaction(rows));
      expect(summaryOf(b, a.clinicId)[pid]).toEqual(summaryOf(a.store, a.clinicId)[pid]);

      // A merge re-files the account: central sends the rows with the surviving patient's id.
      b.applyRemote(() =>
        applier.applyInTransaction(rows.map((r) => ({ ...r, row: { ...r.row, patientId: other } }))),
      );
      const after = summaryOf(b, a.clinicId);
      expect(after[pid]).toEqual({ patient: 0, insurance: 0, entries: 0 });
      expect(after[other]).toEqual(summaryOf(a.store, a.clinicId)[pid]);
      expectBalancesRecomputed(b, a.clinicId, [pid, other]);
      expectAgingRecomputed(b, day(addDays(clock, 1)));
      expectPackedDebitsCurrent(b, a.clinicId);
      expect(verifyLedger(b)).toMatchObject({ ok: true, mismatches: 0, patients: 1 });
    } finally {
      db.close();
    }
  });
});
