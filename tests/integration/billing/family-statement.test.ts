import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEntries } from '../../../server/workstation/services/billing/ledger';
import { addStaff, type TestClient } from '../../support/workstation';
import { newPatient, schedulingWorld, type SchedulingWorld } from '../scheduling/support';
import { pdfText as rawPdfText } from '../clinical/pdf-text';

/**
 * A guarantor's combined statement over HTTP: a mother responsible for two children, and a patient herself,
 * gets one statement covering the three accounts (each with its balance carried in, its lines and its
 * balance carried out; the family total and its age; how to pay), kept in each account's documents and
 * audited for each patient; the statement run bills her once when it runs per guarantor, and a patient
 * without a family account still gets their own statement.
 */

const pdfText = (pdf: Buffer) => rawPdfText(pdf).replace(/\x96/g, '–').replace(/\x97/g, '—');

let w: SchedulingWorld;
let biller: TestClient;
let billerId: string;
beforeAll(async () => {
  w = await schedulingWorld();
  const b = await addStaff(w.t, w.admin, 'fay.biller', ['biller']);
  biller = b.client;
  billerId = (await biller.call('session')).body.user.id;
});
afterAll(async () => {
  await w?.t.stop();
});

const ok = (res: { status: number; body: any; text: string }, status = 200): any => {
  expect(res.status, res.text).toBe(status);
  return res.body;
};

const post = (entries: Parameters<typeof postEntries>[2]) =>
  postEntries(w.t.server.store, { userId: billerId, username: 'fay.biller' }, entries);

async function pdfOf(patientId: string, documentId: string): Promise<string> {
  const res = await biller.raw('GET', `/api/billing/accounts/${patientId}/documents/${documentId}/pdf`);
  const body = Buffer.from(await res.arrayBuffer());
  expect(res.status, body.toString()).toBe(200);
  expect(res.headers.get('content-disposition')).not.toMatch(/Lopez|Ana|Leo|Maria/);
  return pdfText(body);
}

const mother = {
  relationship: 'parent',
  firstName: 'Maria',
  lastName: 'Lopez',
  dateOfBirth: '1980-04-12',
  sameAddressAsPatient: false,
  addressLine1: '12 Elm St',
  city: 'Chicago',
  state: 'IL',
  postalCode: '60601',
};

let ana: string;
let leo: string;
let maria: string;
let solo: string;

describe('family statement', () => {
  beforeAll(async () => {
    ana = await newPatient(w.desk, { legalFirstName: 'Ana', legalLastName: 'Lopez' });
    leo = await newPatient(w.desk, { legalFirstName: 'Leo', legalLastName: 'Lopez' });
    maria = await newPatient(w.desk, {
      legalFirstName: 'Maria',
      legalLastName: 'Lopez',
      dateOfBirth: '1980-04-12',
      addressLine1: '12 Elm St',
      city: 'Chicago',
      state: 'IL',
      postalCode: '60601',
    });
    solo = await newPatient(w.desk, { legalFirstName: 'Sol', legalLastName: 'Reyes' });
    ok(await w.desk.call('setGuarantor', { params: { id: ana }, body: mother }));
    ok(await w.desk.call('setGuarantor', { params: { id: leo }, body: { ...mother, firstName: 'maria ' } }));
    post([
      // Ana: $120 carried in from January, a $60 visit in February, $50 paid by check.
      {
        patientId: ana,
        kind: 'charge',
        amountCents: 12_000,
        serviceDate: '2026-01-20',
        postedAt: '2026-01-20T16:00:00Z',
        memo: 'Intake visit',
      },
      {
        patientId: ana,
        kind: 'charge',
        amountCents: 6_000,
        serviceDate: '2026-02-09',
        postedAt: '2026-02-09T16:00:00Z',
        memo: 'Follow-up visit',
      },
      // Leo: a $45 visit in February, and $80 insurance is expected to pay.
      {
        patientId: leo,
        kind: 'charge',
        amountCents: 4_500,
        serviceDate: '2026-02-16',
        postedAt: '2026-02-16T16:00:00Z',
        memo: 'Speech session',
      },
      {
        patientId: leo,
        kind: 'charge',
        amountCents: 8_000,
        serviceDate: '2026-02-16',
        postedAt: '2026-02-16T16:05:00Z',
        responsibility: 'insurance',
        memo: 'Speech evaluation',
      },
      // Maria: paid ahead, $20 credit.
      {
        patientId: maria,
        kind: 'payment',
        amountCents: 2_000,
        method: 'cash',
        postedAt: '2026-02-03T16:00:00Z',
      },
      // Someone with no family account.
      {
        patientId: solo,
        kind: 'charge',
        amountCents: 3_300,
        serviceDate: '2026-02-11',
        postedAt: '2026-02-11T16:00:00Z',
        memo: 'Visit',
      },
    ]);
    post([
      {
        patientId: ana,
        kind: 'payment',
        amountCents: 5_000,
        method: 'check',
        checkNumber: '2210',
        postedAt: '2026-02-20T16:00:00Z',
      },
    ]);
  });

  it('covers every account the guarantor answers for, with each one’s lines and the family total', async () => {
    const doc = ok(
      await biller.call('createFamilyStatement', {
        params: { patientId: leo },
        body: { from: '2026-02-01', to: '2026-02-28' },
      }),
      201,
    );
    // Ana owes 130, Leo 45, Maria has a 20 credit: 155 for the family.
    expect(doc).toMatchObject({ patientId: leo, kind: 'family_statement', amountCents: 15_500 });
    expect(doc.title).toBe('Family statement 1 Feb 2026 – 28 Feb 2026');
    expect([...doc.coversPatientIds].sort()).toEqual([ana, leo, maria].sort());

    // A copy in each account's documents, all the same statement.
    for (const pid of [ana, leo, maria]) {
      const docs = ok(await biller.call('listBillingDocuments', { params: { patientId: pid } })).documents;
      expect(docs).toHaveLength(1);
      expect(docs[0]).toMatchObject({ kind: 'family_statement', amountCents: 15_500, sha256: doc.sha256 });
    }
    expect(ok(await biller.call('listBillingDocuments', { params: { patientId: solo } })).documents).toEqual(
      [],
    );

    const text = await pdfOf(leo, doc.id);
    expect(text).toContain('Family statement — 1 Feb 2026 to 28 Feb 2026');
    expect(text).toContain('Lopez, Maria, 12 Elm St, Chicago, IL 60601'); // bill to
    expect(text).toContain('Amount due for the family');
    expect(text).toContain('$155.00');
    expect(text).toContain('Family total');
    // The guarantor's own account first, then the children by name.
    const order = ['Lopez, Maria — account', 'Lopez, Ana — account', 'Lopez, Leo — account'].map((h) =>
      text.indexOf(h),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Ana's section: carried in, her lines, carried out.
    const anaPart = text.slice(order[1], order[2]);
    expect(anaPart).toContain('Balance on 1 Feb 2026');
    expect(anaPart).toContain('$120.00');
    expect(anaPart).toContain('Follow-up visit');
    expect(anaPart).toContain('Payment — check #2210');
    expect(anaPart).toContain('$130.00');
    expect(anaPart).not.toContain('Speech session');
    const leoPart = text.slice(order[2]);
    expect(leoPart).toContain('Speech session');
    expect(leoPart).toContain('$80.00'); // insurance's part
    expect(text).toContain('How old the family balance is');
    expect(text).toContain('How to pay');
    expect(text).toMatch(/account numbers [^\n]+, [^\n]+, /);
    expect(text).not.toContain('Reyes');

    // Made (once per kept copy) and opened: each covered patient's record is audited as exported.
    const audited = (documentId: string) =>
      (
        w.t.server.store.db
          .prepare(
            `SELECT patient_id FROM audit_log WHERE action = 'record.export' AND detail LIKE '%family_statement%' AND detail LIKE ?`,
          )
          .all(`%${documentId}%`) as { patient_id: string }[]
      ).map((r) => r.patient_id);
    expect(audited(doc.id).sort()).toEqual([leo, leo, ana, maria].sort()); // kept + opened via Leo
  });

  it('refuses a patient without a family account, with a sentence, and keeps nothing', async () => {
    const res = await biller.call('createFamilyStatement', {
      params: { patientId: solo },
      body: { from: '2026-02-01', to: '2026-02-28' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/own statement/);
    expect(ok(await biller.call('listBillingDocuments', { params: { patientId: solo } })).documents).toEqual(
      [],
    );
    const bad = await biller.call('createFamilyStatement', {
      params: { patientId: ana },
      body: { from: '2026-02-28', to: '2026-02-01' },
    });
    expect(bad.status).toBe(400);
  });

  it('the statement run per guarantor bills the family once and everyone else on their own', async () => {
    let run = ok(
      await biller.call('createStatementRun', {
        body: { from: '2026-02-01', to: '2026-02-28', statementPer: 'guarantor' },
      }),
      201,
    );
    for (let i = 0; i < 100 && run.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = ok(await biller.call('getStatementRun', { params: { id: run.id } }));
    }
    // Ana, Leo and Sol owe: one family statement and Sol's own.
    expect(run).toMatchObject({ state: 'done', statementPer: 'guarantor', total: 2, done: 2, failed: 0 });
    expect(run.amountDueCents).toBe(15_500 + 3_300);
    const ofRun = async (pid: string) =>
      ok(await biller.call('listBillingDocuments', { params: { patientId: pid } })).documents.filter(
        (d: any) => d.runId === run.id,
      );
    for (const pid of [ana, leo, maria]) {
      const docs = await ofRun(pid);
      expect(docs.map((d: any) => [d.kind, d.amountCents])).toEqual([['family_statement', 15_500]]);
    }
    expect((await ofRun(solo)).map((d: any) => [d.kind, d.amountCents])).toEqual([['statement', 3_300]]);

    // Per patient (the default), each child who owes gets their own.
    run = ok(
      await biller.call('createStatementRun', { body: { from: '2026-02-01', to: '2026-02-28' } }),
      201,
    );
    for (let i = 0; i < 100 && run.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = ok(await biller.call('getStatementRun', { params: { id: run.id } }));
    }
    expect(run).toMatchObject({ state: 'done', statementPer: 'patient', total: 3, done: 3 });
    expect((await ofRun(ana)).map((d: any) => [d.kind, d.amountCents])).toEqual([['statement', 13_000]]);
  });
});
