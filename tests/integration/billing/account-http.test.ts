import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEntries } from '../../../server/workstation/services/billing/ledger';
import { addStaff, type TestClient } from '../../support/workstation';
import { book, chicago, newPatient, schedulingWorld, type SchedulingWorld } from '../scheduling/support';

/**
 * The patient account over HTTP, as the front desk and the biller use it: a copay collected at check-in,
 * what is due at checkout, payments applied oldest first, refunds and write-offs behind their own
 * permissions, reversals, and the account with its running balance.
 */

let w: SchedulingWorld;
let biller: TestClient;
let adminId: string;
beforeAll(async () => {
  w = await schedulingWorld();
  biller = (await addStaff(w.t, w.admin, 'bea.biller', ['biller'])).client;
  adminId = (await w.admin.call('session')).body.user.id;
});
afterAll(async () => {
  await w?.t.stop();
});

const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): any => {
  expect(res.status, res.text).toBe(status);
  return res.body;
};

/** Charges as the fees area posts them for a closed visit (through postEntries). */
function charge(
  patientId: string,
  amountCents: number,
  serviceDate: string,
  responsibility: 'patient' | 'insurance' = 'patient',
) {
  return postEntries(w.t.server.store, { userId: adminId, username: 'admin' }, [
    { patientId, kind: 'charge', amountCents, serviceDate, responsibility },
  ])[0]!;
}

describe('time-of-service collection', () => {
  it('collects the check-in copay against the appointment, and checkout shows what is left', async () => {
    const patientId = await newPatient(w.desk);
    const appt = ok(
      await book(w, w.desk, { patientId, startsAt: chicago('2026-03-02', '09:00') }),
      201,
    ).appointment;
    ok(
      await w.desk.call('changeVisitStatus', {
        params: { id: appt.id },
        body: {
          to: 'checked_in',
          checkIn: { demographicsConfirmed: true, insuranceReviewed: true, copayDueCents: 3000 },
        },
      }),
    );
    const before = ok(
      await w.desk.call('getDueToday', { params: { patientId }, query: { appointmentId: appt.id } }),
    );
    expect(before).toMatchObject({ copayDueCents: 3000, paidTodayCents: 0, dueNowCents: 3000 });

    const paid = ok(
      await w.desk.call('postPayment', {
        params: { patientId },
        body: { amountCents: 2000, method: 'check', checkNumber: '5521', appointmentId: appt.id },
      }),
    );
    // No charge yet: the copay waits as unapplied credit.
    expect(paid.allocations).toEqual([]);
    expect(paid.balances).toEqual({
      totalCents: -2000,
      patientCents: -2000,
      insuranceCents: 0,
      unappliedCreditCents: 2000,
    });
    const after = ok(
      await w.desk.call('getDueToday', { params: { patientId }, query: { appointmentId: appt.id } }),
    );
    expect(after).toMatchObject({ paidTodayCents: 2000, dueNowCents: 1000, unappliedCreditCents: 2000 });
    expect(after.paymentsToday.map((p: any) => [p.method, p.checkNumber])).toEqual([['check', '5521']]);

    // The visit's charge is posted; the credit is applied to it at checkout.
    const c = charge(patientId, 12000, '2026-03-02');
    const applied = ok(
      await w.desk.call('applyCredit', {
        params: { patientId },
        body: { allocation: { mode: 'oldest_first' } },
      }),
    );
    expect(applied.allocations).toMatchObject([{ chargeEntryId: c.id, amountCents: 2000 }]);
    expect(applied.balances).toMatchObject({ patientCents: 10000, unappliedCreditCents: 0 });

    // A check without its number is refused on the field, and nothing is stored.
    const bad = await w.desk.call('postPayment', {
      params: { patientId },
      body: { amountCents: 100, method: 'check' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.checkNumber).toBe('Enter the check number.');
    const account = ok(await w.desk.call('getPatientAccount', { params: { patientId } }));
    expect(account.entries.map((e: any) => [e.kind, e.runningBalanceCents])).toEqual([
      ['payment', -2000],
      ['charge', 10000],
    ]);
  });
});

describe('the patient account', () => {
  it('applies payments oldest first, keeps a running balance, and filters without changing it', async () => {
    const patientId = await newPatient(w.desk);
    const c1 = charge(patientId, 5000, '2026-02-10');
    const c2 = charge(patientId, 8000, '2026-02-20');
    const c3 = charge(patientId, 20000, '2026-02-25', 'insurance');
    const paid = ok(
      await biller.call('postPayment', {
        params: { patientId },
        body: { amountCents: 7000, method: 'cash' },
      }),
    );
    expect(paid.allocations.map((a: any) => [a.chargeEntryId, a.amountCents])).toEqual([
      [c1.id, 5000],
      [c2.id, 2000],
    ]);
    const ins = ok(
      await biller.call('postPayment', {
        params: { patientId },
        body: {
          amountCents: 15000,
          method: 'check',
          checkNumber: 'EFT-77',
          responsibility: 'insurance',
          allocation: { mode: 'explicit', lines: [{ chargeEntryId: c3.id, amountCents: 15000 }] },
        },
      }),
    );
    expect(ins.balances).toEqual({
      totalCents: 11000,
      patientCents: 6000,
      insuranceCents: 5000,
      unappliedCreditCents: 0,
    });
    // What insurance did not pay becomes the patient's.
    const moved = ok(
      await biller.call('postTransfer', {
        params: { patientId },
        body: {
          from: 'insurance',
          to: 'patient',
          amountCents: 5000,
          chargeEntryId: c3.id,
          memo: 'Deductible',
        },
      }),
    );
    expect(moved.balances).toMatchObject({ patientCents: 11000, insuranceCents: 0 });

    const account = ok(await biller.call('getPatientAccount', { params: { patientId } }));
    expect(account.entries.map((e: any) => e.runningBalanceCents)).toEqual([
      5000, 13000, 33000, 26000, 11000, 11000,
    ]);
    expect(account.openCharges.map((c: any) => [c.entryId, c.openCents])).toEqual([
      [c2.id, 6000],
      [c3.id, 5000],
    ]);
    const payments = ok(
      await biller.call('getPatientAccount', { params: { patientId }, query: { kind: 'payment' } }),
    );
    expect(payments.entries.map((e: any) => e.runningBalanceCents)).toEqual([26000, 11000]);
    expect(payments.totalEntries).toBe(6);
  });

  it('keeps refunds and write-offs behind their own permissions, and never refunds more than was paid', async () => {
    const patientId = await newPatient(w.desk);
    const c = charge(patientId, 4000, '2026-03-01');
    const paid = ok(
      await w.desk.call('postPayment', {
        params: { patientId },
        body: { amountCents: 6000, method: 'cash' },
      }),
    );
    const paymentEntryId = paid.entries[0].id;
    expect(paid.balances.unappliedCreditCents).toBe(2000);

    const deskRefund = await w.desk.call('postRefund', {
      params: { patientId },
      body: { paymentEntryId, amountCents: 2000, method: 'cash', memo: 'Overpaid' },
    });
    expect(deskRefund.status).toBe(403);
    const deskWriteOff = await w.desk.call('postWriteOff', {
      params: { patientId },
      body: { amountCents: 100, memo: 'Small' },
    });
    expect(deskWriteOff.status).toBe(403);

    const tooMuch = await biller.call('postRefund', {
      params: { patientId },
      body: { paymentEntryId, amountCents: 6001, method: 'cash', memo: 'Overpaid' },
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.fields.amountCents).toMatch(/more than was paid/);
    const applied = await biller.call('postRefund', {
      params: { patientId },
      body: { paymentEntryId, amountCents: 3000, method: 'cash', memo: 'Overpaid' },
    });
    expect(applied.status).toBe(400);
    expect(applied.body.error.fields.amountCents).toMatch(/Unapply it first/);
    // With unapplyIfNeeded the shortfall comes back off the charge first.
    const refunded = ok(
      await biller.call('postRefund', {
        params: { patientId },
        body: {
          paymentEntryId,
          amountCents: 3000,
          method: 'check',
          checkNumber: '301',
          unapplyIfNeeded: true,
          memo: 'Overpaid',
        },
      }),
    );
    expect(refunded.balances).toEqual({
      totalCents: 1000,
      patientCents: 1000,
      insuranceCents: 0,
      unappliedCreditCents: 0,
    });

    const writeOff = ok(
      await biller.call('postWriteOff', {
        params: { patientId },
        body: { amountCents: 1000, chargeEntryId: c.id, memo: 'Small balance' },
      }),
    );
    expect(writeOff.balances.totalCents).toBe(0);

    // Reversing a refund needs billing.refund too; front desk may reverse their own kind of entry.
    const refundId = refunded.entries.find((e: any) => e.kind === 'refund').id;
    const deskReverse = await w.desk.call('reverseLedgerEntry', {
      params: { patientId, entryId: refundId },
      body: { reason: 'Entered in error' },
    });
    expect(deskReverse.status).toBe(403);
    const audit = w.t.server.store.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'access.denied' ORDER BY seq DESC LIMIT 1")
      .get() as { detail: string };
    expect(JSON.parse(audit.detail)).toMatchObject({ permission: 'billing.refund' });
    ok(
      await biller.call('reverseLedgerEntry', {
        params: { patientId, entryId: refundId },
        body: { reason: 'Entered in error' },
      }),
    );
    const again = await biller.call('reverseLedgerEntry', {
      params: { patientId, entryId: refundId },
      body: { reason: 'Twice' },
    });
    expect(again.status).toBe(409);

    // Reversing the payment takes its allocations back first.
    const rev = ok(
      await biller.call('reverseLedgerEntry', {
        params: { patientId, entryId: paymentEntryId },
        body: { reason: 'Bounced' },
      }),
    );
    expect(rev.entries.map((e: any) => e.kind)).toEqual(['reversal']);
    expect(rev.balances).toMatchObject({ unappliedCreditCents: 0 });
    const verified = ok(await w.admin.call('verifyLedger'));
    expect(verified).toMatchObject({ ok: true, problems: [] });
  });

  it('audits who opened an account and every posting, and lists the day’s payments by method', async () => {
    const patientId = await newPatient(w.desk);
    ok(
      await w.desk.call('postPayment', {
        params: { patientId },
        body: { amountCents: 1500, method: 'cash' },
      }),
    );
    ok(await biller.call('getPatientAccount', { params: { patientId } }));
    const rows = w.t.server.store.db
      .prepare(
        "SELECT action, username FROM audit_log WHERE patient_id = ? AND action LIKE 'ledger.%' ORDER BY seq",
      )
      .all(patientId);
    expect(rows).toEqual([
      { action: 'ledger.post', username: 'fran.desk' },
      { action: 'ledger.read', username: 'bea.biller' },
    ]);
    const list = ok(await w.desk.call('listPayments', { query: { date: '2026-03-02' } }));
    expect(list.payments.some((p: any) => p.patientId === patientId && p.postedByName)).toBe(true);
    expect(list.totalsByMethod.cash).toBeGreaterThanOrEqual(1500);
  });
});
