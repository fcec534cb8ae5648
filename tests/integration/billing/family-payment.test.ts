import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountRows, postEntries } from '../../../server/workstation/services/billing/ledger';
import { verifyLedger } from '../../../server/workstation/services/billing/verify';
import { addStaff, type TestClient } from '../../support/workstation';
import { newPatient, schedulingWorld, type SchedulingWorld } from '../scheduling/support';

/**
 * Family payments over HTTP: a guarantor's payment split across the children's accounts — oldest first
 * across the family, in proportion to what each owes (largest remainder), or amounts per account — one
 * payment entry per account applied to its own charges, audited, refused with a sentence on the field
 * when the amounts do not add up or name someone outside the family, and `ledger verify` stays clean.
 */

let w: SchedulingWorld;
let biller: TestClient;
let adminId: string;
beforeAll(async () => {
  w = await schedulingWorld();
  biller = (await addStaff(w.t, w.admin, 'fay.biller', ['biller'])).client;
  adminId = (await w.admin.call('session')).body.user.id;
});
afterAll(async () => {
  await w?.t.stop();
});

const ok = (res: { status: number; body: any; text: string }, status = 200): any => {
  expect(res.status, res.text).toBe(status);
  return res.body;
};

function charge(patientId: string, amountCents: number, serviceDate: string): string {
  return postEntries(w.t.server.store, { userId: adminId, username: 'admin' }, [
    { patientId, kind: 'charge', amountCents, serviceDate, responsibility: 'patient' },
  ])[0]!.id;
}

let families = 0;
/** Two children with the same parent as guarantor (a parent per test, so families never mix). */
async function family(): Promise<{ ana: string; leo: string }> {
  families++;
  const parent = {
    relationship: 'parent',
    firstName: `Marta${families}`,
    lastName: 'Ruiz',
    dateOfBirth: '1981-06-0' + String(families),
  };
  const ana = await newPatient(w.desk, { legalFirstName: 'Ana', legalLastName: 'Ruiz' });
  const leo = await newPatient(w.desk, { legalFirstName: 'Leo', legalLastName: 'Ruiz' });
  ok(await w.desk.call('setGuarantor', { params: { id: ana }, body: parent }));
  ok(await w.desk.call('setGuarantor', { params: { id: leo }, body: parent }));
  return { ana, leo };
}

/** Payments on an account with what each applies to which charge. */
function paymentsOf(patientId: string) {
  const { entries, allocations } = accountRows(w.t.server.store, patientId);
  return entries
    .filter((e) => e.kind === 'payment')
    .map((p) => ({
      amountCents: p.amountCents,
      method: p.method,
      checkNumber: p.checkNumber,
      applied: allocations
        .filter((a) => a.paymentEntryId === p.id)
        .map((a) => [a.chargeEntryId, a.amountCents]),
    }));
}

describe('family payments', () => {
  it('oldest first across the family: the oldest charges are paid whoever’s they are, one entry per account', async () => {
    const { ana, leo } = await family();
    const anaOld = charge(ana, 6_000, '2026-01-20');
    const anaNew = charge(ana, 9_000, '2026-03-02');
    const leoOld = charge(leo, 4_500, '2026-01-05');

    const res = ok(
      await biller.call('postFamilyPayment', {
        params: { patientId: ana },
        body: { amountCents: 12_000, method: 'check', checkNumber: '3141', split: 'oldest_first' },
      }),
    );
    // Leo's January charge is older than both of Ana's.
    expect(res.payments.map((p: any) => [p.patientId, p.amountCents, p.appliedCents])).toEqual([
      [ana, 7_500, 7_500],
      [leo, 4_500, 4_500],
    ]);
    expect(res.totalCents).toBe(12_000);
    expect(paymentsOf(leo)).toEqual([
      { amountCents: 4_500, method: 'check', checkNumber: '3141', applied: [[leoOld, 4_500]] },
    ]);
    expect(paymentsOf(ana)).toEqual([
      {
        amountCents: 7_500,
        method: 'check',
        checkNumber: '3141',
        applied: [
          [anaOld, 6_000],
          [anaNew, 1_500],
        ],
      },
    ]);

    // Each entry is audited as a payment that names the family payment (ids and amounts only).
    const audits = w.t.server.store.db
      .prepare(
        "SELECT patient_id, detail FROM audit_log WHERE action = 'ledger.post' AND patient_id IN (?, ?) AND detail LIKE '%familyPayment%'",
      )
      .all(ana, leo) as { patient_id: string; detail: string }[];
    expect(audits.map((a) => a.patient_id).sort()).toEqual([ana, leo].sort());
    for (const a of audits) {
      expect(JSON.parse(a.detail).familyPayment).toEqual({ payer: ana, accounts: 2, totalCents: 12_000 });
      expect(a.detail).not.toMatch(/Ruiz|Ana|Leo/);
    }
    expect(verifyLedger(w.t.server.store).problems).toEqual([]);
  });

  it('in proportion to what each owes, rounded by the largest remainder; beyond what the family owes stays as credit', async () => {
    const { ana, leo } = await family();
    charge(ana, 10_000, '2026-02-01');
    charge(leo, 20_000, '2026-02-01');
    const res = ok(
      await biller.call('postFamilyPayment', {
        params: { patientId: leo },
        body: { amountCents: 100, method: 'cash', split: 'by_balance' },
      }),
    );
    // 100 × 10,000 / 30,000 = 33.3 and 66.7: the cent left over goes to the larger remainder (Leo's).
    expect(res.payments.map((p: any) => [p.patientId, p.amountCents])).toEqual([
      [leo, 67],
      [ana, 33],
    ]);

    // More than the family owes: each account paid in full, the rest is credit on the paying account.
    const more = ok(
      await biller.call('postFamilyPayment', {
        params: { patientId: leo },
        body: { amountCents: 35_000, method: 'cash', split: 'by_balance' },
      }),
    );
    expect(more.payments.map((p: any) => [p.patientId, p.amountCents, p.appliedCents])).toEqual([
      [leo, 19_933 + 5_100, 19_933],
      [ana, 9_967, 9_967],
    ]);
    const leoAccount = ok(await biller.call('getPatientAccount', { params: { patientId: leo } }));
    expect(leoAccount.balances).toMatchObject({ patientCents: -5_100, unappliedCreditCents: 5_100 });
    expect(verifyLedger(w.t.server.store).problems).toEqual([]);
  });

  it('amounts per account must add up and name the family’s accounts; a patient without a family is told to pay on the account', async () => {
    const { ana, leo } = await family();
    charge(ana, 5_000, '2026-02-01');
    charge(leo, 5_000, '2026-02-01');
    const before = paymentsOf(ana).length + paymentsOf(leo).length;

    const short = await biller.call('postFamilyPayment', {
      params: { patientId: ana },
      body: {
        amountCents: 8_000,
        method: 'cash',
        split: 'explicit',
        lines: [
          { patientId: ana, amountCents: 3_000 },
          { patientId: leo, amountCents: 4_000 },
        ],
      },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.fields.lines).toBe(
      'The amounts for the accounts add up to $70.00; the payment is $80.00.',
    );

    const stranger = await newPatient(w.desk, { legalFirstName: 'Iris', legalLastName: 'Other' });
    const outside = await biller.call('postFamilyPayment', {
      params: { patientId: ana },
      body: {
        amountCents: 8_000,
        method: 'cash',
        split: 'explicit',
        lines: [
          { patientId: ana, amountCents: 4_000 },
          { patientId: stranger, amountCents: 4_000 },
        ],
      },
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.fields.lines).toBe('One of the accounts is not in this family.');
    expect(paymentsOf(ana).length + paymentsOf(leo).length).toBe(before);

    // Explicit amounts as typed, each applied within its account; more than Leo owes is Leo's credit.
    const res = ok(
      await biller.call('postFamilyPayment', {
        params: { patientId: ana },
        body: {
          amountCents: 8_000,
          method: 'cash',
          split: 'explicit',
          lines: [
            { patientId: ana, amountCents: 1_000 },
            { patientId: leo, amountCents: 7_000 },
          ],
        },
      }),
    );
    expect(res.payments.map((p: any) => [p.patientId, p.amountCents, p.appliedCents])).toEqual([
      [ana, 1_000, 1_000],
      [leo, 7_000, 5_000],
    ]);

    const alone = await biller.call('postFamilyPayment', {
      params: { patientId: stranger },
      body: { amountCents: 1_000, method: 'cash' },
    });
    expect(alone.status).toBe(409);
    expect(alone.body.error.message).toMatch(/answers for no other account/);
    expect(verifyLedger(w.t.server.store).problems).toEqual([]);
  });
});
