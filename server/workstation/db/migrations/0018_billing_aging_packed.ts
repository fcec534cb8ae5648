import { apply, compact, earlierReversal, ownEffects } from './0012_billing_balance_summary';

/**
 * The aging report reads one row per patient and responsibility (docs/billing.md, Speed): each
 * `ledger_balance_summary` row (0012) also carries its debits packed into one text, `debits`, so the report
 * no longer walks every day row of `ledger_debit_summary` (half a million rows for a million entries).
 *
 * `debits` lists the account's rows of `ledger_debit_summary` grouped by provider and location:
 * `prov|loc|day:cents,day:cents;prov|loc|…` — prov and loc are ids ('' for none; ids are UUIDs, so they
 * never hold a separator), day is the day number since 1970-01-01 (0 for the folded "over 120 days" row,
 * which ages as over 120 days on any as-of date the summary serves), cents the net debit (zero rows kept:
 * the report lists a provider and location pair that has had debits even when they were reversed).
 *
 * Kept in the same triggers as the summary (recreated here with one more statement, so it runs after the
 * day rows it packs are written): an entry that can change the debits (a charge, refund, transfer or
 * reversal; a payment cannot) repacks its patient's rows, and a merge re-filing an entry repacks both
 * patients. Every arrival path runs them (Store.write, sync's plain INSERT in any order, the merge's UPDATE).
 */

export const DEBIT_KINDS = `('charge', 'refund', 'transfer', 'reversal')`;

/** The packed debits of the balance row being updated (correlated on its clinic, patient, responsibility). */
export const packed = /* sql */ `
  COALESCE((
    SELECT group_concat(pair, ';') FROM (
      SELECT d.provider_user_id || '|' || d.location_id || '|' ||
             group_concat(COALESCE(CASE WHEN d.day = '' THEN 0 ELSE unixepoch(d.day) / 86400 END, 0)
                          || ':' || d.debit_cents, ',') AS pair
        FROM ledger_debit_summary d
       WHERE d.clinic_id = ledger_balance_summary.clinic_id AND d.patient_id = ledger_balance_summary.patient_id
         AND d.responsibility = ledger_balance_summary.responsibility
       GROUP BY d.provider_user_id, d.location_id)
  ), '')`;

/** Repacks the balance rows of `row`'s patient (NEW or OLD), when `when` holds. */
const repack = (row: string, when = 'true') => /* sql */ `
  UPDATE ledger_balance_summary SET debits = ${packed}
   WHERE clinic_id = ${row}.clinic_id AND patient_id = ${row}.patient_id AND ${when};`;

/**
 * A reversal that arrived before its entry counts on the reversal's own account (0012's `earlierReversal`);
 * when replication brought it already re-filed to another patient, that patient's rows changed too.
 */
const repackEarlierReversal = /* sql */ `
  UPDATE ledger_balance_summary SET debits = ${packed}
   WHERE clinic_id = NEW.clinic_id AND patient_id <> NEW.patient_id AND NEW.kind IN ${DEBIT_KINDS}
     AND patient_id IN (SELECT rv.patient_id FROM ledger_entries rv
                         WHERE rv.reverses_entry_id = NEW.id AND rv.kind = 'reversal');`;

/** What the summary does for each ledger entry inserted (0024 recreates the trigger with this body). */
export const insertTriggerBody = /* sql */ `${apply(ownEffects('NEW'), 1)}
  ${apply(earlierReversal, 1)}
  ${compact('NEW', ` AND NEW.kind IN ${DEBIT_KINDS}`)}
  ${repack('NEW', `NEW.kind IN ${DEBIT_KINDS}`)}
  ${repackEarlierReversal}`;

export const sql = /* sql */ `
ALTER TABLE ledger_balance_summary ADD COLUMN debits TEXT NOT NULL DEFAULT '';
UPDATE ledger_balance_summary SET debits = ${packed};

DROP TRIGGER ledger_summary_insert;
DROP TRIGGER ledger_summary_compact;
DROP TRIGGER ledger_summary_refile;

-- One trigger, so its statements run in this order: balances and day rows, the fold of old days (only a
-- debit adds a day row, so payments, the most common posting, skip it), then the packed debits.
CREATE TRIGGER ledger_summary_insert AFTER INSERT ON ledger_entries
BEGIN
  ${insertTriggerBody}
END;

CREATE TRIGGER ledger_summary_refile AFTER UPDATE OF patient_id ON ledger_entries
WHEN NEW.patient_id IS NOT OLD.patient_id
BEGIN
  ${apply(ownEffects('OLD'), -1)}
  ${apply(ownEffects('NEW'), 1)}
  ${repack('OLD')}
  ${repack('NEW')}
END;
`;
