import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyKey, DB_FILE_NAME } from '../../../server/workstation/db/open';
import { postPayment } from '../../../server/workstation/services/billing/account';
import { postEntries } from '../../../server/workstation/services/billing/ledger';
import { cliEnv, runCli } from '../../support/storage';
import { ledgerStore, type LedgerStore } from './support';
import fs from 'node:fs';
import { tempDir } from '../../support/workstation';

/**
 * `tessera ledger verify` recomputes every balance from the entries and checks the ledger's rules: exit 0
 * on a sound ledger, exit 1 naming the account for each kind of damage someone holding the key could do
 * behind the app's back (an amount changed, an entry deleted, an allocation beyond its payment).
 */

let s: LedgerStore;
let patients: string[];
let chargeId: string;
let paymentId: string;

beforeAll(() => {
  s = ledgerStore();
  patients = [s.patient(), s.patient(), s.patient()];
  for (const p of patients) {
    const [c] = postEntries(s.store, s.actor, [
      { patientId: p, kind: 'charge', amountCents: 15000, serviceDate: '2026-03-02' },
      {
        patientId: p,
        kind: 'charge',
        amountCents: 9000,
        responsibility: 'insurance',
        serviceDate: '2026-03-03',
      },
    ]);
    chargeId = c!.id;
    paymentId = postPayment(s.store, s.actor, p, { amountCents: 4000, method: 'cash' }).entries[0]!.id;
  }
  s.close();
});
afterAll(() => s?.close());

function copy(sql?: string): string {
  const dir = tempDir('tessera-ledger-cli-');
  fs.cpSync(s.dataDir, dir, { recursive: true });
  if (sql) {
    const db = new Database(path.join(dir, DB_FILE_NAME));
    applyKey(db, s.key);
    db.exec(sql);
    db.close();
  }
  return dir;
}

const verify = (dir: string) =>
  runCli(['ledger', 'verify', '--data-dir', dir], {
    env: cliEnv({ TESSERA_DB_KEY: s.key }),
    timeoutMs: 60_000,
  });

describe('tessera ledger verify', () => {
  it('exits 0 on a sound ledger and 1 naming the account for each kind of damage', async () => {
    const last = patients[2]!;
    const cases = {
      intact: copy(),
      amount: copy(
        `DROP TRIGGER ledger_entries_append_only; UPDATE ledger_entries SET amount_cents = 1 WHERE id = '${paymentId}';`,
      ),
      deleted: copy(
        `DROP TRIGGER ledger_entries_no_delete; DELETE FROM ledger_entries WHERE id = '${chargeId}';`,
      ),
      overAllocated: copy(
        `INSERT INTO ledger_allocations SELECT id || 'x', clinic_id, patient_id, payment_entry_id, charge_entry_id, 9999, NULL, created_at, created_by FROM ledger_allocations WHERE patient_id = '${last}' LIMIT 1;`,
      ),
      trigger: copy('DROP TRIGGER ledger_allocations_no_delete;'),
      // The balance summary the aging report reads, changed behind the app's back: the entries are sound,
      // but what the report would show no longer follows from them.
      balanceSummary: copy(
        `UPDATE ledger_balance_summary SET balance_cents = balance_cents + 1 WHERE patient_id = '${last}' AND responsibility = 'insurance';`,
      ),
    };
    const results = Object.fromEntries(
      await Promise.all(Object.entries(cases).map(async ([name, dir]) => [name, await verify(dir)] as const)),
    );
    expect(results.intact).toMatchObject({
      code: 0,
      stdout:
        'Checked 3 patients, 9 entries, 3 allocations; 6 balances recomputed from the entries; mismatches: 0.\n' +
        'Ledger intact: 9 entries, 3 allocations, 3 accounts verified.\n',
      stderr: '',
    });
    for (const name of ['amount', 'deleted', 'overAllocated', 'trigger', 'balanceSummary'] as const) {
      expect(results[name]!.code, name).toBe(1);
      expect(results[name]!.stderr, name).toMatch(/^Checked 3 patients, .*\nLedger BROKEN: \d+ problem\(s\)/);
    }
    expect(results.trigger!.stderr).toContain('; mismatches: 0.');
    expect(results.balanceSummary!.stderr).toContain('; mismatches: 1.');
    expect(results.balanceSummary!.stderr).toContain(`account ${last}: The balance summary says`);
    expect(results.amount!.stderr).toContain(`account ${last}:`);
    expect(results.amount!.stderr).toMatch(/applied or refunded beyond its amount/);
    expect(results.deleted!.stderr).toMatch(/not applied to a charge on this account/);
    expect(results.overAllocated!.stderr).toMatch(/more applied to it than it is for|beyond its amount/);
    expect(results.trigger!.stderr).toContain('ledger_allocations_no_delete is missing');
  }, 120_000);
});
