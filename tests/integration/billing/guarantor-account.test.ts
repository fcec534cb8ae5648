import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEntries } from '../../../server/workstation/services/billing/ledger';
import { addStaff, type TestClient } from '../../support/workstation';
import { newPatient, schedulingWorld, type SchedulingWorld } from '../scheduling/support';

/**
 * Guarantor accounts over HTTP: a parent responsible for two children is one family account (same name and
 * date of birth on each child's guarantor), the parent's own account joins it when the parent is a
 * patient too, balances come from each child's ledger, statements are addressed to the guarantor, and a
 * same-named guarantor with another date of birth is someone else.
 */

let w: SchedulingWorld;
let biller: TestClient;
let adminId: string;
beforeAll(async () => {
  w = await schedulingWorld();
  biller = (await addStaff(w.t, w.admin, 'gia.biller', ['biller'])).client;
  adminId = (await w.admin.call('session')).body.user.id;
});
afterAll(async () => {
  await w?.t.stop();
});

const ok = (res: { status: number; body: any; text: string }, status = 200): any => {
  expect(res.status, res.text).toBe(status);
  return res.body;
};

function charge(patientId: string, amountCents: number, responsibility: 'patient' | 'insurance' = 'patient') {
  postEntries(w.t.server.store, { userId: adminId, username: 'admin' }, [
    { patientId, kind: 'charge', amountCents, serviceDate: '2026-02-10', responsibility },
  ]);
}

const parent = {
  relationship: 'parent',
  firstName: 'Maria',
  lastName: 'Lopez',
  dateOfBirth: '1980-04-12',
  phone: '(312) 555-0142',
  sameAddressAsPatient: false,
  addressLine1: '12 Elm St',
  city: 'Chicago',
  state: 'IL',
  postalCode: '60601',
};

describe('guarantor accounts', () => {
  it('a parent guarantor of two children is one family account with both balances; statements go to the parent', async () => {
    const ana = await newPatient(w.desk, { legalFirstName: 'Ana', legalLastName: 'Lopez' });
    const leo = await newPatient(w.desk, { legalFirstName: 'Leo', legalLastName: 'Lopez' });
    ok(await w.desk.call('setGuarantor', { params: { id: ana }, body: parent }));
    // Typed again for the second child, with other spacing and case: the same person.
    ok(
      await w.desk.call('setGuarantor', {
        params: { id: leo },
        body: { ...parent, firstName: ' maria ', lastName: 'LOPEZ' },
      }),
    );
    charge(ana, 12_000);
    charge(ana, 8_000, 'insurance');
    charge(leo, 4_500);

    const view = ok(await biller.call('getAccountGuarantor', { params: { patientId: ana } }));
    expect(view.guarantor).toMatchObject({ relationship: 'parent', firstName: 'Maria', lastName: 'Lopez' });
    expect(view.billTo).toEqual({ name: 'Lopez, Maria', addressLines: ['12 Elm St', 'Chicago, IL 60601'] });
    expect(
      view.accounts.map((a: any) => [a.patientId, a.relationship, a.patientCents, a.insuranceCents]),
    ).toEqual([
      [ana, 'parent', 12_000, 8_000],
      [leo, 'parent', 4_500, 0],
    ]);
    expect(view.totalPatientCents).toBe(16_500);
    // What a banner shows, never contact details of the other patients.
    expect(Object.keys(view.accounts[1]).sort()).toEqual(
      ['insuranceCents', 'mrn', 'name', 'patientCents', 'patientId', 'relationship'].sort(),
    );

    // Reading the family account is a read of each account it shows.
    const audited = w.t.server.store.db
      .prepare(
        "SELECT patient_id FROM audit_log WHERE action = 'ledger.read' AND detail LIKE '%guarantor_account%' AND patient_id IN (?, ?)",
      )
      .all(ana, leo) as { patient_id: string }[];
    expect(audited.map((r) => r.patient_id).sort()).toEqual([ana, leo].sort());
  });

  it('the guarantor’s own account joins when the guarantor is a patient; another person of the same name does not', async () => {
    const mom = await newPatient(w.desk, {
      legalFirstName: 'Rosa',
      legalLastName: 'Diaz',
      dateOfBirth: '1975-09-30',
    });
    const kid = await newPatient(w.desk, { legalFirstName: 'Tomas', legalLastName: 'Diaz' });
    const stranger = await newPatient(w.desk, { legalFirstName: 'Iris', legalLastName: 'Diaz' });
    const rosa = { relationship: 'parent', firstName: 'Rosa', lastName: 'Diaz', dateOfBirth: '1975-09-30' };
    ok(await w.desk.call('setGuarantor', { params: { id: kid }, body: rosa }));
    // Same name, another date of birth: another Rosa Diaz.
    ok(
      await w.desk.call('setGuarantor', {
        params: { id: stranger },
        body: { ...rosa, dateOfBirth: '1990-01-01' },
      }),
    );
    charge(mom, 2_000);
    charge(kid, 3_000);
    charge(stranger, 9_900);

    const view = ok(await biller.call('getAccountGuarantor', { params: { patientId: kid } }));
    expect(view.accounts.map((a: any) => [a.patientId, a.relationship])).toEqual([
      [kid, 'parent'],
      [mom, 'self'],
    ]);
    expect(view.totalPatientCents).toBe(5_000);

    const other = ok(await biller.call('getAccountGuarantor', { params: { patientId: stranger } }));
    expect(other.accounts.map((a: any) => a.patientId)).toEqual([stranger]);
  });

  it('a patient who is their own guarantor, or has none on file, has no family account and is billed themself', async () => {
    const solo = await newPatient(w.desk);
    const none = ok(await biller.call('getAccountGuarantor', { params: { patientId: solo } }));
    expect(none).toMatchObject({ guarantor: null, billTo: null, accounts: [], totalPatientCents: 0 });
    ok(await w.desk.call('setGuarantor', { params: { id: solo }, body: { relationship: 'self' } }));
    const self = ok(await biller.call('getAccountGuarantor', { params: { patientId: solo } }));
    expect(self).toMatchObject({ guarantor: { relationship: 'self' }, billTo: null, accounts: [] });
  });

  it('needs billing.read, and an unknown patient is a 404 with a sentence', async () => {
    const clinician = (await addStaff(w.t, w.admin, 'cal.clinician', ['clinician'])).client;
    const patientId = await newPatient(w.desk);
    expect((await clinician.call('getAccountGuarantor', { params: { patientId } })).status).toBe(403);
    const missing = await biller.call('getAccountGuarantor', {
      params: { patientId: '01900000-0000-7000-8000-000000000000' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/patient record/i);
  });
});
