/**
 * A maintained summary of the ledger for the A/R aging report (docs/billing.md, Speed): scanning a million
 * ledger rows took tens of seconds, the report must answer in under one.
 *
 * - `ledger_balance_summary`: each patient's balance per responsibility (patient, insurance) and how many
 *   entries count towards it.
 * - `ledger_debit_summary`: the debits (charges, refunds, transfers in) of each patient and responsibility,
 *   per provider, location and day (the date of service of a charge, the UTC day a refund or transfer was
 *   posted). Per day and not per aging bucket because buckets move every day; the report buckets the days
 *   for its as-of date. Days more than 122 days before the newest posting of that patient are folded into
 *   one row with day '' ("over 120 days"): the report only reads the summary for an as-of date no earlier
 *   than every posting (else it scans the ledger), so those days are over 120 days old for any date it can
 *   be asked about (122, not 121: a posting's UTC day may be the day after the clinic's local day).
 *
 * Kept by triggers on `ledger_entries`, so every way a row arrives updates it in the same transaction: the
 * Store.write path of postings, rows replicated from other workstations and central (sync applies them
 * with plain INSERTs), and a merge re-filing an account (the one UPDATE the ledger allows). The effects are
 * the aging report's rules (services/billing/reports.ts): a reversal counts with the kind, responsibility,
 * provider, location and day of what it undoes, negated, and only when that entry is here and is not itself
 * a reversal; a reversal that arrives before its entry (replication order) is counted when the entry does.
 * Money stays integer cents. Local tables: never replicated (each workstation derives its own).
 */

/** Whose balance an entry is (the entry row named `o`), its effect `sgn`, amount `amt`, patient `pid`. */
export const effectColumns = (o: string, sgn: string, amt: string, pid: string, clinic: string) => `
  ${clinic} AS clinic, ${pid} AS pid, ${sgn} AS sgn, ${o}.kind AS k, ${o}.responsibility AS r,
  ${o}.transfer_from AS tf, ${amt} AS amt,
  COALESCE(${o}.provider_user_id, '') AS prov, COALESCE(${o}.location_id, '') AS loc,
  CASE WHEN ${o}.kind = 'charge' AND ${o}.service_date IS NOT NULL THEN ${o}.service_date
       ELSE substr(${o}.posted_at, 1, 10) END AS d`;

/** The effect rows an entry `row` (NEW or OLD) carries on its own account. */
export const ownEffects = (row: string) => /* sql */ `
  SELECT ${effectColumns(row, '1', `${row}.amount_cents`, `${row}.patient_id`, `${row}.clinic_id`)}
   WHERE ${row}.kind <> 'reversal'
  UNION ALL
  SELECT ${effectColumns('o', '-1', `${row}.amount_cents`, `${row}.patient_id`, `${row}.clinic_id`)}
    FROM ledger_entries o
   WHERE ${row}.kind = 'reversal' AND o.id = ${row}.reverses_entry_id AND o.kind <> 'reversal'`;

/** A reversal already here for the entry that just arrived (replicated out of order). */
export const earlierReversal = /* sql */ `
  SELECT ${effectColumns('NEW', '-1', 'rv.amount_cents', 'rv.patient_id', 'rv.clinic_id')}
    FROM ledger_entries rv
   WHERE NEW.kind <> 'reversal' AND rv.reverses_entry_id = NEW.id AND rv.kind = 'reversal'`;

/** Adds (`dir` 1) or takes away (-1) the effect rows of `source` in both summaries. */
export const apply = (source: string, dir: 1 | -1) => /* sql */ `
  INSERT INTO ledger_balance_summary (clinic_id, patient_id, responsibility, balance_cents, entries)
  SELECT * FROM (
    SELECT clinic, pid, r,
           ${dir} * CASE WHEN k IN ('charge', 'refund', 'transfer') THEN sgn * amt ELSE -sgn * amt END, ${dir}
      FROM (${source})
    UNION ALL
    SELECT clinic, pid, tf, ${dir} * -sgn * amt, 0 FROM (${source}) WHERE k = 'transfer' AND tf IS NOT NULL
  ) WHERE true
  ON CONFLICT (clinic_id, patient_id, responsibility) DO UPDATE
    SET balance_cents = balance_cents + excluded.balance_cents, entries = entries + excluded.entries;
  INSERT INTO ledger_debit_summary (clinic_id, patient_id, responsibility, provider_user_id, location_id, day, debit_cents)
  SELECT clinic, pid, r, prov, loc, d, ${dir} * sgn * amt
    FROM (${source}) WHERE k IN ('charge', 'refund', 'transfer')
  ON CONFLICT (clinic_id, patient_id, responsibility, provider_user_id, location_id, day) DO UPDATE
    SET debit_cents = debit_cents + excluded.debit_cents;`;

/**
 * Folds the patient's days older than 122 days before `row`'s posting into the '' row (only `when` holds:
 * migration 0018 runs it inside one trigger with other statements).
 */
export const compact = (row: string, when = '') => /* sql */ `
  INSERT INTO ledger_debit_summary (clinic_id, patient_id, responsibility, provider_user_id, location_id, day, debit_cents)
  SELECT clinic_id, patient_id, responsibility, provider_user_id, location_id, '', SUM(debit_cents)
    FROM ledger_debit_summary
   WHERE clinic_id = ${row}.clinic_id AND patient_id = ${row}.patient_id
     AND day <> '' AND day < date(substr(${row}.posted_at, 1, 10), '-122 days')${when}
   GROUP BY responsibility, provider_user_id, location_id
  ON CONFLICT (clinic_id, patient_id, responsibility, provider_user_id, location_id, day) DO UPDATE
    SET debit_cents = debit_cents + excluded.debit_cents;
  DELETE FROM ledger_debit_summary
   WHERE clinic_id = ${row}.clinic_id AND patient_id = ${row}.patient_id
     AND day <> '' AND day < date(substr(${row}.posted_at, 1, 10), '-122 days')${when};`;

/** Fills both summaries from the ledger as it stands (the same effects, one pass). */
const backfill = /* sql */ `
WITH x AS (
  SELECT ${effectColumns('e', '1', 'e.amount_cents', 'e.patient_id', 'e.clinic_id')}
    FROM ledger_entries e WHERE e.kind <> 'reversal'
  UNION ALL
  SELECT ${effectColumns('o', '-1', 'e.amount_cents', 'e.patient_id', 'e.clinic_id')}
    FROM ledger_entries e JOIN ledger_entries o ON o.id = e.reverses_entry_id
   WHERE e.kind = 'reversal' AND o.kind <> 'reversal'
),
fx AS (
  SELECT clinic, pid, r, CASE WHEN k IN ('charge', 'refund', 'transfer') THEN sgn * amt ELSE -sgn * amt END AS delta, 1 AS n
    FROM x
  UNION ALL
  SELECT clinic, pid, tf, -sgn * amt, 0 FROM x WHERE k = 'transfer'
)
INSERT INTO ledger_balance_summary (clinic_id, patient_id, responsibility, balance_cents, entries)
SELECT clinic, pid, r, SUM(delta), SUM(n) FROM fx GROUP BY clinic, pid, r;

WITH x AS (
  SELECT ${effectColumns('e', '1', 'e.amount_cents', 'e.patient_id', 'e.clinic_id')}
    FROM ledger_entries e WHERE e.kind <> 'reversal'
  UNION ALL
  SELECT ${effectColumns('o', '-1', 'e.amount_cents', 'e.patient_id', 'e.clinic_id')}
    FROM ledger_entries e JOIN ledger_entries o ON o.id = e.reverses_entry_id
   WHERE e.kind = 'reversal' AND o.kind <> 'reversal'
),
newest AS (
  SELECT clinic_id, patient_id, date(substr(MAX(posted_at), 1, 10), '-122 days') AS cutoff
    FROM ledger_entries GROUP BY clinic_id, patient_id
)
INSERT INTO ledger_debit_summary (clinic_id, patient_id, responsibility, provider_user_id, location_id, day, debit_cents)
SELECT x.clinic, x.pid, x.r, x.prov, x.loc, CASE WHEN x.d < n.cutoff THEN '' ELSE x.d END, SUM(x.sgn * x.amt)
  FROM x JOIN newest n ON n.clinic_id = x.clinic AND n.patient_id = x.pid
 WHERE x.k IN ('charge', 'refund', 'transfer')
 GROUP BY 1, 2, 3, 4, 5, 6;`;

export const sql = /* sql */ `
CREATE TABLE ledger_balance_summary (
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  responsibility TEXT NOT NULL,
  balance_cents INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  PRIMARY KEY (clinic_id, patient_id, responsibility)
) STRICT, WITHOUT ROWID;

CREATE TABLE ledger_debit_summary (
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  responsibility TEXT NOT NULL,
  provider_user_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  day TEXT NOT NULL,
  debit_cents INTEGER NOT NULL,
  PRIMARY KEY (clinic_id, patient_id, responsibility, provider_user_id, location_id, day)
) STRICT, WITHOUT ROWID;

${backfill}

CREATE TRIGGER ledger_summary_insert AFTER INSERT ON ledger_entries
BEGIN
  ${apply(ownEffects('NEW'), 1)}
  ${apply(earlierReversal, 1)}
END;

-- Only a debit adds a day row, so only a debit needs the fold (payments, the most common posting, skip it).
CREATE TRIGGER ledger_summary_compact AFTER INSERT ON ledger_entries
WHEN NEW.kind IN ('charge', 'refund', 'transfer', 'reversal')
BEGIN
  ${compact('NEW')}
END;

CREATE TRIGGER ledger_summary_refile AFTER UPDATE OF patient_id ON ledger_entries
WHEN NEW.patient_id IS NOT OLD.patient_id
BEGIN
  ${apply(ownEffects('OLD'), -1)}
  ${apply(ownEffects('NEW'), 1)}
END;
`;
