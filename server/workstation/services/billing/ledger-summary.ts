import { apply, effectColumns } from '../../db/migrations/0012_billing_balance_summary';
import { DEBIT_KINDS, packed } from '../../db/migrations/0018_billing_aging_packed';
import type { Store } from '../../db/store';

/**
 * The ledger summary (migrations 0012/0018, what the aging report reads) brought up to date once per bulk
 * posting instead of once per entry (migration 0024; docs/claims.md "Posting speed"). Inside
 * `deferLedgerSummary` the per-entry trigger is paused; at its end the entries inserted meanwhile (rowid
 * above the one recorded at the start: the ledger is append-only and the transaction holds the write lock)
 * are applied by set-based statements that leave exactly what the trigger would have left:
 *
 * - the same effect rows (an entry's own effect; a reversal's effect on the entry it undoes, whenever that
 *   entry is here; a reversal already here before the pause of an entry that arrived during it), added to
 *   the balances and day rows as the trigger adds them;
 * - the fold of days older than 122 days before the patient's newest debit posting of the batch (the trigger
 *   folds at each debit posting; postings are in time order, so the last one's fold covers the others');
 * - the packed debits of every patient whose day rows may have changed (repacking is a pure function of
 *   the day rows, so repacking a patient once at the end equals repacking after each entry).
 */

const DEFERRAL_ROW = 'SELECT after_rowid FROM ledger_summary_deferral WHERE id = 1';

/** The effect rows of every entry inserted after rowid `from` (see 0012's ownEffects and earlierReversal). */
const pendingEffects = (from: number) => /* sql */ `
  SELECT ${effectColumns('e', '1', 'e.amount_cents', 'e.patient_id', 'e.clinic_id')}
    FROM ledger_entries e WHERE e.rowid > ${from} AND e.kind <> 'reversal'
  UNION ALL
  SELECT ${effectColumns('o', '-1', 'e.amount_cents', 'e.patient_id', 'e.clinic_id')}
    FROM ledger_entries e JOIN ledger_entries o ON o.id = e.reverses_entry_id
   WHERE e.rowid > ${from} AND e.kind = 'reversal' AND o.kind <> 'reversal'
  UNION ALL
  SELECT ${effectColumns('e', '-1', 'rv.amount_cents', 'rv.patient_id', 'rv.clinic_id')}
    FROM ledger_entries e JOIN ledger_entries rv ON rv.reverses_entry_id = e.id
   WHERE e.rowid > ${from} AND e.kind <> 'reversal' AND rv.kind = 'reversal' AND rv.rowid <= ${from}`;

/** Each patient's fold cutoff: 122 days before the newest debit-kind entry of the batch. */
const cutoffs = (from: number) => /* sql */ `
  SELECT clinic_id, patient_id, date(substr(MAX(posted_at), 1, 10), '-122 days') AS cutoff
    FROM ledger_entries WHERE rowid > ${from} AND kind IN ${DEBIT_KINDS}
   GROUP BY clinic_id, patient_id`;

const flushSql = (from: number) => /* sql */ `
  ${apply(pendingEffects(from), 1)}

  CREATE TEMP TABLE IF NOT EXISTS ledger_summary_fold (clinic_id TEXT, patient_id TEXT, cutoff TEXT, PRIMARY KEY (clinic_id, patient_id));
  DELETE FROM temp.ledger_summary_fold;
  INSERT INTO temp.ledger_summary_fold ${cutoffs(from)};
  INSERT INTO ledger_debit_summary (clinic_id, patient_id, responsibility, provider_user_id, location_id, day, debit_cents)
  SELECT d.clinic_id, d.patient_id, d.responsibility, d.provider_user_id, d.location_id, '', SUM(d.debit_cents)
    FROM temp.ledger_summary_fold c JOIN ledger_debit_summary d ON d.clinic_id = c.clinic_id AND d.patient_id = c.patient_id
   WHERE d.day <> '' AND d.day < c.cutoff
   GROUP BY d.clinic_id, d.patient_id, d.responsibility, d.provider_user_id, d.location_id
  ON CONFLICT (clinic_id, patient_id, responsibility, provider_user_id, location_id, day) DO UPDATE
    SET debit_cents = debit_cents + excluded.debit_cents;
  DELETE FROM ledger_debit_summary
   WHERE (clinic_id, patient_id) IN (SELECT clinic_id, patient_id FROM temp.ledger_summary_fold)
     AND day <> ''
     AND day < (SELECT c.cutoff FROM temp.ledger_summary_fold c
                 WHERE c.clinic_id = ledger_debit_summary.clinic_id AND c.patient_id = ledger_debit_summary.patient_id);
  DELETE FROM temp.ledger_summary_fold;

  UPDATE ledger_balance_summary SET debits = ${packed}
   WHERE (clinic_id, patient_id) IN (
     SELECT clinic_id, patient_id FROM ledger_entries WHERE rowid > ${from} AND kind IN ${DEBIT_KINDS}
     UNION
     SELECT rv.clinic_id, rv.patient_id FROM ledger_entries e JOIN ledger_entries rv ON rv.reverses_entry_id = e.id
      WHERE e.rowid > ${from} AND e.kind IN ${DEBIT_KINDS} AND rv.kind = 'reversal');

  DELETE FROM ledger_summary_deferral;`;

/**
 * Runs `fn` (which posts through the caller's write transaction) with the ledger summary paused, then brings
 * the summary up to date in one pass. Must run inside `Store.write`; nested calls join the outer pause.
 *
 * No savepoint of its own (docs/claims.md "Posting speed"): a savepoint around a bulk posting makes SQLite
 * copy every page first changed inside it to a sub-journal (a temporary file, or with the in-memory temp
 * store one that is truncated from its start after every statement: quadratic). The flush runs after `fn`
 * instead: whether `fn` returns or throws, the pause is lifted and the summary covers exactly the entries in
 * the transaction, so a failure that rolls the caller's write back and a caller that catches and goes on
 * both leave a summary that matches the ledger.
 */
export function deferLedgerSummary<T>(store: Store, fn: () => T): T {
  const db = store.db;
  if (!db.inTransaction) throw new Error('deferLedgerSummary runs inside a write transaction.');
  if (store.statements.sql(DEFERRAL_ROW).get([]) !== undefined) return fn();
  const from = Number(db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM ledger_entries').pluck().get());
  store.statements.sql('INSERT INTO ledger_summary_deferral (id, after_rowid) VALUES (1, ?)').run(from);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    try {
      db.exec(flushSql(from));
    } catch {
      // The posting's own error is the one to report (the caller's write rolls both back).
    }
    throw err;
  }
  db.exec(flushSql(from));
  return result;
}
