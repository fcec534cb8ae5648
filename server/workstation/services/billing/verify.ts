import type { LedgerVerifyResult } from '../../../contracts/billing/ledger';
import { ledgerProblems, ledgerState } from '../../../domain/billing/balances';
import type { Store } from '../../db/store';
import {
  allocationFromSql,
  entryFromSql,
  type AllocationRow,
  type EntryRow,
  type RawAllocation,
  type RawEntry,
} from './ledger';

/**
 * `ledger verify`: every patient's balances recomputed from the entries, twice, independently (the domain's
 * fold in JavaScript and a plain SQL sum of signed amounts), and every ledger invariant checked (amounts,
 * reversals, allocations within their payment and charge, refunds within payments, no negative credit,
 * nothing referring across accounts). Also checks the append-only triggers are in place. Reads only, in
 * patient order, streaming, so it runs over a million entries in one pass.
 */

const SQL_BALANCES = /* sql */ `
SELECT e.patient_id AS patientId,
  SUM(CASE e.kind
        WHEN 'charge' THEN e.amount_cents WHEN 'refund' THEN e.amount_cents
        WHEN 'transfer' THEN 0
        WHEN 'reversal' THEN -(CASE t.kind
            WHEN 'charge' THEN t.amount_cents WHEN 'refund' THEN t.amount_cents
            WHEN 'payment' THEN -t.amount_cents WHEN 'adjustment' THEN -t.amount_cents
            WHEN 'write_off' THEN -t.amount_cents ELSE 0 END)
        ELSE -e.amount_cents END) AS totalCents,
  SUM(CASE
        WHEN e.kind IN ('charge', 'refund') AND e.responsibility = 'patient' THEN e.amount_cents
        WHEN e.kind IN ('payment', 'adjustment', 'write_off') AND e.responsibility = 'patient' THEN -e.amount_cents
        WHEN e.kind = 'transfer' AND e.responsibility = 'patient' THEN e.amount_cents
        WHEN e.kind = 'transfer' AND e.transfer_from = 'patient' THEN -e.amount_cents
        WHEN e.kind = 'reversal' AND t.responsibility = 'patient' AND t.kind IN ('charge', 'refund') THEN -t.amount_cents
        WHEN e.kind = 'reversal' AND t.responsibility = 'patient' AND t.kind IN ('payment', 'adjustment', 'write_off') THEN t.amount_cents
        WHEN e.kind = 'reversal' AND t.kind = 'transfer' AND t.responsibility = 'patient' THEN -t.amount_cents
        WHEN e.kind = 'reversal' AND t.kind = 'transfer' AND t.transfer_from = 'patient' THEN t.amount_cents
        ELSE 0 END) AS patientCents
FROM ledger_entries e
LEFT JOIN ledger_entries t ON t.id = e.reverses_entry_id AND t.patient_id = e.patient_id
WHERE e.clinic_id = ?
GROUP BY e.patient_id`;

const TRIGGERS = [
  'ledger_entries_append_only',
  'ledger_entries_no_delete',
  'ledger_allocations_append_only',
  'ledger_allocations_no_delete',
];

export function verifyLedger(store: Store): LedgerVerifyResult {
  const clinicId = store.requireClinicId();
  const db = store.db;
  const problems: LedgerVerifyResult['problems'] = [];

  const present = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map(
      (r) => r.name,
    ),
  );
  for (const t of TRIGGERS) {
    if (!present.has(t))
      problems.push({ patientId: '', problem: `The append-only trigger ${t} is missing.` });
  }

  const sqlBalances = new Map(
    (
      db.prepare(SQL_BALANCES).all(clinicId) as {
        patientId: string;
        totalCents: number;
        patientCents: number;
      }[]
    ).map((r) => [r.patientId, r]),
  );

  // Allocations grouped by patient, read once (far fewer than entries), then entries streamed by patient.
  const allocs = new Map<string, AllocationRow[]>();
  let allocationCount = 0;
  for (const raw of db
    .prepare('SELECT * FROM ledger_allocations WHERE clinic_id = ? ORDER BY patient_id, created_at, id')
    .iterate(clinicId) as IterableIterator<RawAllocation>) {
    const a = allocationFromSql(raw);
    allocationCount++;
    let list = allocs.get(a.patientId);
    if (!list) allocs.set(a.patientId, (list = []));
    list.push(a);
  }

  // The maintained summaries the screens read (balances 0012, items 0017), in patient order beside the
  // entries, so each account's recomputation is compared with them without holding either in memory.
  const summaries = new SummaryCursor(db, clinicId);

  let patients = 0;
  let entries = 0;
  let balancesChecked = 0;
  let mismatches = 0;
  let current: string | null = null;
  let batch: EntryRow[] = [];
  const checkPatient = (patientId: string, rows: EntryRow[]) => {
    patients++;
    const mine = allocs.get(patientId) ?? [];
    allocs.delete(patientId);
    for (const problem of ledgerProblems(rows, mine)) problems.push({ patientId, problem });
    const state = ledgerState(rows, mine);
    const b = state.balances;
    const sql = sqlBalances.get(patientId);
    const disagreements: string[] = [];
    if (!sql || sql.totalCents !== b.totalCents || sql.patientCents !== b.patientCents)
      disagreements.push(
        `Balances recomputed two ways disagree (fold ${b.totalCents}/${b.patientCents}, SQL ${sql?.totalCents}/${sql?.patientCents}).`,
      );
    const { balances, items } = summaries.take(patientId);
    balancesChecked += 2 + state.charges.size + state.payments.size;
    if ((balances.patient ?? 0) !== b.patientCents || (balances.insurance ?? 0) !== b.insuranceCents)
      disagreements.push(
        `The balance summary says patient ${balances.patient ?? 0}, insurance ${balances.insurance ?? 0}; the entries give ${b.patientCents}, ${b.insuranceCents}.`,
      );
    const wrong = itemDisagreements(rows, state, items);
    if (wrong) disagreements.push(wrong);
    if (disagreements.length) mismatches++;
    for (const problem of disagreements) problems.push({ patientId, problem });
  };
  for (const raw of db
    .prepare(
      'SELECT * FROM ledger_entries WHERE clinic_id = ? ORDER BY patient_id, posted_at, created_at, id',
    )
    .iterate(clinicId) as IterableIterator<RawEntry>) {
    const e = entryFromSql(raw);
    entries++;
    if (e.patientId !== current) {
      if (current !== null) checkPatient(current, batch);
      current = e.patientId;
      batch = [];
    }
    batch.push(e);
  }
  if (current !== null) checkPatient(current, batch);
  for (const patientId of summaries.rest()) {
    mismatches++;
    problems.push({
      patientId,
      problem: 'The maintained summaries hold figures for an account with no entries.',
    });
  }
  for (const [patientId, rows] of allocs) {
    for (const a of rows)
      problems.push({ patientId, problem: `Allocation ${a.id} belongs to an account with no entries.` });
  }
  return {
    ok: problems.length === 0,
    patients,
    entries,
    allocations: allocationCount,
    balancesChecked,
    mismatches,
    problems,
  };
}

type Summary = { balances: { patient?: number; insurance?: number }; items: Map<string, unknown[]> };

/**
 * Walks `ledger_balance_summary` and `ledger_item_state` in patient order (their primary keys), handing
 * out each account's rows as the entries reach it; rows of accounts the entries never reach are left for
 * `rest()` (a summary of entries that are gone).
 */
class SummaryCursor {
  readonly #balances: IterableIterator<unknown[]>;
  readonly #items: IterableIterator<unknown[]>;
  #b: IteratorResult<unknown[]>;
  #i: IteratorResult<unknown[]>;
  readonly #orphans = new Set<string>();

  constructor(db: Store['db'], clinicId: string) {
    this.#balances = db
      .prepare(
        'SELECT patient_id, responsibility, balance_cents FROM ledger_balance_summary WHERE clinic_id = ? ORDER BY patient_id, responsibility',
      )
      .raw()
      .iterate(clinicId) as IterableIterator<unknown[]>;
    this.#items = db
      .prepare(
        `SELECT patient_id, entry_id, kind, applied_cents, reduced_cents, reversed, linked FROM ledger_item_state
          WHERE clinic_id = ? ORDER BY patient_id, entry_id`,
      )
      .raw()
      .iterate(clinicId) as IterableIterator<unknown[]>;
    this.#b = this.#balances.next();
    this.#i = this.#items.next();
  }

  take(patientId: string): Summary {
    const out: Summary = { balances: {}, items: new Map() };
    while (!this.#b.done && (this.#b.value[0] as string) <= patientId) {
      const [pid, resp, cents] = this.#b.value as [string, 'patient' | 'insurance', number];
      if (pid === patientId) out.balances[resp] = cents;
      else if (cents !== 0) this.#orphans.add(pid);
      this.#b = this.#balances.next();
    }
    while (!this.#i.done && (this.#i.value[0] as string) <= patientId) {
      const row = this.#i.value;
      if (row[0] === patientId) out.items.set(row[1] as string, row);
      else this.#orphans.add(row[0] as string);
      this.#i = this.#items.next();
    }
    return out;
  }

  /** Accounts the summaries hold figures for and the entries never reached. */
  rest(): string[] {
    for (; !this.#b.done; this.#b = this.#balances.next())
      if (this.#b.value[2] !== 0) this.#orphans.add(this.#b.value[0] as string);
    for (; !this.#i.done; this.#i = this.#items.next()) this.#orphans.add(this.#i.value[0] as string);
    return [...this.#orphans];
  }
}

/** Where `ledger_item_state` disagrees with the fold of the account's entries (null when it agrees). */
function itemDisagreements(
  rows: readonly EntryRow[],
  state: ReturnType<typeof ledgerState>,
  items: Map<string, unknown[]>,
): string | null {
  const byId = new Map(rows.map((e) => [e.id, e]));
  let expected = 0;
  for (const e of rows) {
    if (e.kind !== 'charge' && e.kind !== 'payment' && e.kind !== 'refund') continue;
    expected++;
    const item = items.get(e.id);
    const c = state.charges.get(e.id);
    const p = state.payments.get(e.id);
    const want =
      e.kind === 'refund'
        ? [
            0,
            0,
            state.reversedBy.has(e.id) ? 1 : 0,
            byId.get(e.appliesToEntryId ?? '')?.kind === 'payment' ? 1 : 0,
          ]
        : c
          ? [c.allocatedCents, c.adjustedCents, c.reversed ? 1 : 0, 0]
          : [p!.allocatedCents, p!.refundedCents, p!.reversed ? 1 : 0, 0];
    if (!item || item[2] !== e.kind || want.some((v, k) => item[3 + k] !== v))
      return `The item summary of ${e.kind} ${e.id} disagrees with the entries (applied, reduced, reversed, linked: ${item ? item.slice(3).join('/') : 'missing'}; the entries give ${want.join('/')}).`;
  }
  if (items.size !== expected)
    return `The item summary holds ${items.size} items; the entries give ${expected}.`;
  return null;
}
