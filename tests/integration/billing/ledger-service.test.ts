import { afterEach, describe, expect, it } from 'vitest';
import type { NewLedgerEntry } from '../../../server/contracts/billing/ledger';
import { ledgerProblems } from '../../../server/domain/billing/balances';
import { accountRows, postEntries, withAccount } from '../../../server/workstation/services/billing/ledger';
import { ledgerStore, type LedgerStore } from './support';

/**
 * The ledger's write path: postEntries checks each entry against the account, writes it with its outbox
 * row and audit entry in one transaction, and the database itself refuses to change or delete a posted
 * entry or allocation.
 */

let s: LedgerStore;
afterEach(() => s?.close());

const charge = (patientId: string, amountCents: number, serviceDate = '2026-03-02'): NewLedgerEntry => ({
  patientId,
  kind: 'charge',
  amountCents,
  serviceDate,
});
const cash = (patientId: string, amountCents: number): NewLedgerEntry => ({
  patientId,
  kind: 'payment',
  amountCents,
  method: 'cash',
});

describe('postEntries', () => {
  it('writes entries with their outbox rows and audit entries, and balances follow', () => {
    s = ledgerStore();
    const p = s.patient();
    const [c] = postEntries(s.store, s.actor, [charge(p, 15000)]);
    postEntries(s.store, s.actor, [cash(p, 4000)]);
    const rows = accountRows(s.store, p);
    expect(rows.entries.map((e) => [e.kind, e.amountCents, e.postedBy])).toEqual([
      ['charge', 15000, s.actor.userId],
      ['payment', 4000, s.actor.userId],
    ]);
    expect(c!.id).toBe(rows.entries[0]!.id);
    const outbox = s.db.prepare("SELECT table_name FROM outbox WHERE table_name = 'ledger_entries'").all();
    expect(outbox).toHaveLength(2);
    const audits = s.db.prepare("SELECT detail FROM audit_log WHERE action = 'ledger.post'").all() as {
      detail: string;
    }[];
    expect(audits.map((a) => JSON.parse(a.detail).kind)).toEqual(['charge', 'payment']);
    expect(ledgerProblems(rows.entries, rows.allocations)).toEqual([]);
  });

  it('refuses a check without its number and a refund of more than was paid, storing nothing', () => {
    s = ledgerStore();
    const p = s.patient();
    expect(() =>
      postEntries(s.store, s.actor, [{ patientId: p, kind: 'payment', amountCents: 500, method: 'check' }]),
    ).toThrow(/check number/);
    const [pay] = postEntries(s.store, s.actor, [cash(p, 2000)]);
    expect(() =>
      postEntries(s.store, s.actor, [
        { patientId: p, kind: 'refund', amountCents: 2001, method: 'cash', appliesToEntryId: pay!.id },
      ]),
    ).toThrow(/more than was paid/);
    // Two refunds in one call that together exceed the payment: the second sees the first.
    expect(() =>
      postEntries(s.store, s.actor, [
        { patientId: p, kind: 'refund', amountCents: 1500, method: 'cash', appliesToEntryId: pay!.id },
        { patientId: p, kind: 'refund', amountCents: 1500, method: 'cash', appliesToEntryId: pay!.id },
      ]),
    ).toThrow(/more than was paid/);
    expect(accountRows(s.store, p).entries).toHaveLength(1);
  });

  it('reverses an entry once, and a reversal never again', () => {
    s = ledgerStore();
    const p = s.patient();
    const [c] = postEntries(s.store, s.actor, [charge(p, 9000)]);
    const [r] = postEntries(s.store, s.actor, [
      { patientId: p, kind: 'reversal', amountCents: 9000, reversesEntryId: c!.id, memo: 'Posted twice' },
    ]);
    expect(() =>
      postEntries(s.store, s.actor, [
        { patientId: p, kind: 'reversal', amountCents: 9000, reversesEntryId: c!.id },
      ]),
    ).toThrow(/already reversed/);
    expect(() =>
      postEntries(s.store, s.actor, [
        { patientId: p, kind: 'reversal', amountCents: 9000, reversesEntryId: r!.id },
      ]),
    ).toThrow(/cannot be reversed/);
  });

  it('allocates within what is open and unapplied, and un-allocates with a reversing row', () => {
    s = ledgerStore();
    const p = s.patient();
    const [c1, c2] = postEntries(s.store, s.actor, [
      charge(p, 3000, '2026-03-01'),
      charge(p, 5000, '2026-03-02'),
    ]);
    const [pay] = postEntries(s.store, s.actor, [cash(p, 6000)]);
    const done = withAccount(s.store, s.actor, p, (a) =>
      a.allocate(pay!.id, [
        { chargeEntryId: c1!.id, amountCents: 3000 },
        { chargeEntryId: c2!.id, amountCents: 3000 },
      ]),
    );
    expect(done.balances).toEqual({
      totalCents: 2000,
      patientCents: 2000,
      insuranceCents: 0,
      unappliedCreditCents: 0,
    });
    expect(() =>
      withAccount(s.store, s.actor, p, (a) =>
        a.allocate(pay!.id, [{ chargeEntryId: c2!.id, amountCents: 1 }]),
      ),
    ).toThrow(/more than the payment has left/);
    const undo = withAccount(s.store, s.actor, p, (a) => a.unallocate(done.result[0]!.id));
    expect(undo.balances.unappliedCreditCents).toBe(3000);
    const rows = accountRows(s.store, p);
    expect(ledgerProblems(rows.entries, rows.allocations)).toEqual([]);
  });

  it('the database refuses to change or delete a posted entry or allocation, but lets a merge re-file it', () => {
    s = ledgerStore();
    const p = s.patient();
    const other = s.patient();
    const [c] = postEntries(s.store, s.actor, [charge(p, 1000)]);
    const [pay] = postEntries(s.store, s.actor, [cash(p, 1000)]);
    withAccount(s.store, s.actor, p, (a) =>
      a.allocate(pay!.id, [{ chargeEntryId: c!.id, amountCents: 1000 }]),
    );
    const db = s.db;
    expect(() => db.prepare('UPDATE ledger_entries SET amount_cents = 1 WHERE id = ?').run(c!.id)).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('UPDATE ledger_entries SET memo = ? WHERE id = ?').run('x', c!.id)).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM ledger_entries WHERE id = ?').run(c!.id)).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE ledger_allocations SET amount_cents = 5').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ledger_allocations').run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare('INSERT OR REPLACE INTO ledger_entries SELECT * FROM ledger_entries WHERE id = ?')
        .run(c!.id),
    ).toThrow(/append-only/);
    // Rewriting a row with its own values (sync applying a row it has) changes nothing and passes.
    db.prepare('UPDATE ledger_entries SET memo = memo, amount_cents = amount_cents').run();
    db.prepare('UPDATE ledger_entries SET patient_id = ? WHERE patient_id = ?').run(other, p);
    db.prepare('UPDATE ledger_allocations SET patient_id = ? WHERE patient_id = ?').run(other, p);
    expect(accountRows(s.store, other).entries).toHaveLength(2);
  });

  it('keeps one entry per external reference', () => {
    s = ledgerStore();
    const p = s.patient();
    const card = { ...cash(p, 700), method: 'card' as const, externalRef: 'pi_123' };
    postEntries(s.store, s.actor, [card]);
    expect(() => postEntries(s.store, s.actor, [card])).toThrow(/already posted/);
  });
});
