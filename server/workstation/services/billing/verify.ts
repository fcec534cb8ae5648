import { isDeepStrictEqual } from 'node:util';
import { accountQuerySchema, type LedgerVerifyResult } from '../../../contracts/billing/ledger';
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
import { checkpointView, foldedFirstView } from './account';
import { forgetParsedCheckpoints } from './fold-checkpoint';

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
  // A bulk posting pauses the summary only inside its own transaction (migration 0024); a committed pause
  // would leave every later posting out of the aging report.
  const paused =
    present.has('ledger_summary_insert') &&
    db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ledger_summary_deferral'").get() !== undefined &&
    db.prepare('SELECT 1 FROM ledger_summary_deferral').get() !== undefined;
  if (paused)
    problems.push({
      patientId: '',
      problem:
        'The ledger summary is paused (a bulk posting did not finish); the aging report misses later postings.',
    });

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

  // The maintained balance summary (0012, what the aging report reads), in patient order beside the
  // entries, so each account's recomputation is compared with it without holding it in memory.
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
    const balances = summaries.take(patientId);
    balancesChecked += 2;
    if ((balances.patient ?? 0) !== b.patientCents || (balances.insurance ?? 0) !== b.insuranceCents)
      disagreements.push(
        `The balance summary says patient ${balances.patient ?? 0}, insurance ${balances.insurance ?? 0}; the entries give ${b.patientCents}, ${b.insuranceCents}.`,
      );
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
      problem: 'The balance summary holds a balance for an account with no entries.',
    });
  }
  for (const [patientId, rows] of allocs) {
    for (const a of rows)
      problems.push({ patientId, problem: `Allocation ${a.id} belongs to an account with no entries.` });
  }
  for (const patientId of checkpointProblems(store)) {
    mismatches++;
    problems.push({
      patientId,
      problem:
        'The fold checkpoint of this account does not match its ledger (it is derived: opening the account after dropping it rebuilds it).',
    });
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

/**
 * The accounts whose fold checkpoint (fold-checkpoint.ts) opens a first view other than the whole fold
 * does: each kept checkpoint, with the rows after it, against a fold of every entry, in one snapshot.
 */
function checkpointProblems(store: Store): string[] {
  const query = accountQuerySchema.parse({ limit: '20' });
  // The stored checkpoints are checked, not what this process parsed of them before (a row changed behind
  // the app's back would keep its nonce); and a verify leaves no accounts' states kept.
  forgetParsedCheckpoints(store);
  const ids = store.db
    .prepare('SELECT patient_id FROM ledger_fold_checkpoints WHERE clinic_id = ? ORDER BY patient_id')
    .pluck()
    .all(store.requireClinicId()) as string[];
  const problems = ids.filter((patientId) =>
    store.db.transaction(() => {
      const kept = checkpointView(store, patientId, 20);
      return kept !== null && !isDeepStrictEqual(kept, foldedFirstView(store, patientId, query));
    })(),
  );
  forgetParsedCheckpoints(store);
  return problems;
}

/**
 * Walks `ledger_balance_summary` in patient order (its primary key), handing out each account's balances
 * as the entries reach it; balances of accounts the entries never reach are left for `rest()` (a summary
 * of entries that are gone).
 */
class SummaryCursor {
  readonly #balances: IterableIterator<unknown[]>;
  #b: IteratorResult<unknown[]>;
  readonly #orphans = new Set<string>();

  constructor(db: Store['db'], clinicId: string) {
    this.#balances = db
      .prepare(
        'SELECT patient_id, responsibility, balance_cents FROM ledger_balance_summary WHERE clinic_id = ? ORDER BY patient_id, responsibility',
      )
      .raw()
      .iterate(clinicId) as IterableIterator<unknown[]>;
    this.#b = this.#balances.next();
  }

  take(patientId: string): { patient?: number; insurance?: number } {
    const out: { patient?: number; insurance?: number } = {};
    while (!this.#b.done && (this.#b.value[0] as string) <= patientId) {
      const [pid, resp, cents] = this.#b.value as [string, 'patient' | 'insurance', number];
      if (pid === patientId) out[resp] = cents;
      else if (cents !== 0) this.#orphans.add(pid);
      this.#b = this.#balances.next();
    }
    return out;
  }

  /** Accounts the summary holds a balance for and the entries never reached. */
  rest(): string[] {
    for (; !this.#b.done; this.#b = this.#balances.next())
      if (this.#b.value[2] !== 0) this.#orphans.add(this.#b.value[0] as string);
    return [...this.#orphans];
  }
}
