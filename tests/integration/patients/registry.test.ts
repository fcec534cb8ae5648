import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, startSignedInAdmin, type TestClient, type TestServer } from '../../support/workstation';

let t: TestServer;
let admin: TestClient;
let desk: TestClient;
let biller: TestClient;

beforeAll(async () => {
  const s = await startSignedInAdmin();
  t = s.t;
  admin = s.admin;
  desk = (await addStaff(t, admin, 'fran.desk', ['front_desk'])).client;
  biller = (await addStaff(t, admin, 'bill.biller', ['biller'])).client;
});
afterAll(async () => {
  await t?.stop();
});

const count = (table: string) =>
  (t.server.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

async function auditOf(patientId: string) {
  const res = await admin.call('auditReport', { query: { patientId, sort: 'at', dir: 'asc', limit: 1000 } });
  return res.body.entries as { action: string; userId: string; detail: Record<string, unknown> }[];
}

const fullRegistration = {
  legalFirstName: 'Katherine',
  legalMiddleName: 'Ann',
  legalLastName: 'Okafor-Reyes',
  firstNameToUse: 'Kat',
  dateOfBirth: '1985-03-04',
  sex: 'female',
  clinicalSexParameter: 'female_typical',
  genderIdentity: 'female',
  sexualOrientation: 'declined',
  pronouns: 'she_her',
  race: ['2058-6', '2113-9'],
  ethnicity: ['2186-5'],
  preferredLanguage: 'es-mx',
  interpreterNeeded: true,
  addressLine1: '12 Elm St',
  city: 'Austin',
  state: 'tx',
  postalCode: '78701',
  country: 'us',
  phoneMobile: '(512) 555-0142',
  preferredPhone: 'mobile',
  email: 'kat@example.com',
  contactMethod: 'text',
  textOk: true,
};

describe('registration', () => {
  it('registers a patient with full demographics, a clinic-unique MRN and the CDC codes rolled up to OMB', async () => {
    const res = await desk.call('createPatient', { body: fullRegistration });
    expect(res.status, res.text).toBe(201);
    const p = res.body;
    expect(p.mrn).toMatch(/^\d{9}$/);
    expect(p).toMatchObject({
      displayName: 'Kat Okafor-Reyes',
      legalMiddleName: 'Ann',
      sex: 'female',
      pronouns: 'she_her',
      race: ['2058-6', '2113-9'],
      // African American -> Black or African American; Irish -> White.
      raceCategories: ['2054-5', '2106-3'],
      ethnicityCategory: '2186-5',
      preferredLanguage: 'es-MX',
      state: 'tx',
      country: 'US',
      phoneMobile: '5125550142',
      restricted: false,
      inactive: false,
      deceased: false,
      emergencyContacts: [],
      guarantor: null,
      coverages: [],
    });
    expect(p.coverageStatus.issues.map((i: { code: string }) => i.code)).toEqual(['no_active_coverage']);
    expect(p.coverageStatus.demographicGaps.map((g: { code: string }) => g.code)).toEqual([
      'missing_emergency_contact',
    ]);
    const entries = await auditOf(p.id);
    expect(entries.map((e) => e.action)).toEqual(['patient.create']);
    // Demographics are not copied into the audit trail.
    expect(JSON.stringify(entries.map((e) => e.detail))).not.toMatch(/Okafor|Katherine|1985/);
  });

  it('refuses bad input with a 400 naming each field, and stores nothing', async () => {
    const before = { patients: count('patients'), outbox: count('outbox') };
    const res = await desk.call('createPatient', {
      body: {
        legalFirstName: '  ',
        legalLastName: 'Valid',
        dateOfBirth: '03/04/1985',
        sex: 'maybe',
        phoneMobile: '555-12',
        email: 'not-an-email',
        race: ['9999-9'],
        preferredLanguage: 'not a language',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(
      ['dateOfBirth', 'email', 'legalFirstName', 'phoneMobile', 'preferredLanguage', 'race.0', 'sex'].sort(),
    );
    expect(res.body.error.fields.legalFirstName).toBe('Enter the legal first name.');
    expect(res.body.error.fields.dateOfBirth).toBe('Enter the complete date of birth.');
    expect(res.body.error.fields.phoneMobile).toMatch(/10-digit phone number/);
    const state = await desk.call('createPatient', {
      body: { legalFirstName: 'Valid', legalLastName: 'Valid', dateOfBirth: '1985-03-04', state: 'Texas' },
    });
    expect(state.status).toBe(400);
    expect(state.body.error.fields).toEqual({ state: 'Use the two-letter state code, for example TX.' });
    expect({ patients: count('patients'), outbox: count('outbox') }).toEqual(before);
  });

  it('checks rules that need the clinic date or several fields, storing nothing', async () => {
    const before = count('patients');
    const cases: [Record<string, unknown>, string][] = [
      [{ dateOfBirth: '2999-01-01' }, 'dateOfBirth'],
      [{ deceasedDate: '2020-01-01' }, 'deceasedDate'],
      [{ deceased: true, deceasedDate: '1950-01-01' }, 'deceasedDate'],
      [{ ethnicity: ['2148-5', '2186-5'] }, 'ethnicity'],
    ];
    for (const [extra, field] of cases) {
      const res = await desk.call('createPatient', {
        body: { legalFirstName: 'Rule', legalLastName: 'Check', dateOfBirth: '1990-01-01', ...extra },
      });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(Object.keys(res.body.error.fields)).toEqual([field]);
    }
    expect(count('patients')).toBe(before);
  });

  it('does not let billing register or edit', async () => {
    const res = await biller.call('createPatient', {
      body: { legalFirstName: 'No', legalLastName: 'Way', dateOfBirth: '1990-01-01' },
    });
    expect(res.status).toBe(403);
  });
});

describe('duplicate warning', () => {
  it('finds the same name and date of birth, and a shared phone, before anything is stored', async () => {
    const first = await desk.call('createPatient', {
      body: {
        legalFirstName: 'José',
        legalLastName: "O'Neil",
        dateOfBirth: '1971-12-30',
        phoneHome: '512-555-0177',
      },
    });
    expect(first.status).toBe(201);
    const byName = await desk.call('checkDuplicatePatients', {
      body: { legalFirstName: 'jose', legalLastName: 'ONeil', dateOfBirth: '1971-12-30' },
    });
    expect(byName.status).toBe(200);
    expect(byName.body.matches).toEqual([
      {
        patient: expect.objectContaining({ id: first.body.id, mrn: first.body.mrn }),
        reasons: ['name_and_date_of_birth'],
      },
    ]);
    const byPhone = await desk.call('checkDuplicatePatients', {
      body: {
        legalFirstName: 'Maria',
        legalLastName: 'Lopez',
        dateOfBirth: '2001-01-01',
        phones: ['+1 512 555 0177'],
      },
    });
    expect(byPhone.body.matches.map((m: { reasons: string[] }) => m.reasons)).toEqual([['phone']]);
    const none = await desk.call('checkDuplicatePatients', {
      body: { legalFirstName: 'José', legalLastName: "O'Neil", dateOfBirth: '1971-12-31' },
    });
    expect(none.body.matches).toEqual([]);

    // Registering the look-alike is refused until the user says they reviewed the matches.
    const before = count('patients');
    const again = await desk.call('createPatient', {
      body: { legalFirstName: 'Jose', legalLastName: 'ONeil', dateOfBirth: '1971-12-30' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('possible_duplicate');
    expect(again.text).not.toMatch(/ONeil|O'Neil|1971/);
    expect(count('patients')).toBe(before);

    const deliberate = await desk.call('createPatient', {
      body: {
        legalFirstName: 'Jose',
        legalLastName: 'ONeil',
        dateOfBirth: '1971-12-30',
        confirmedNotDuplicate: true,
      },
    });
    expect(deliberate.status).toBe(201);
    expect(deliberate.body.mrn).not.toBe(first.body.mrn);
    const created = (await auditOf(deliberate.body.id)).find((e) => e.action === 'patient.create')!;
    expect(created.detail).toEqual({ duplicateWarningOverridden: [first.body.id] });
  });

  it('tolerates a one-letter slip in a longer name and swapped first and last names', async () => {
    const p = await desk.call('createPatient', {
      body: {
        legalFirstName: 'Jonathan',
        legalLastName: 'Whitaker',
        dateOfBirth: '1966-06-06',
        confirmedNotDuplicate: true,
      },
    });
    for (const [first, last] of [
      ['Johnathan', 'Whitaker'],
      ['Whitaker', 'Jonathan'],
    ]) {
      const res = await desk.call('checkDuplicatePatients', {
        body: { legalFirstName: first, legalLastName: last, dateOfBirth: '1966-06-06' },
      });
      expect(
        res.body.matches.map((m: { patient: { id: string } }) => m.patient.id),
        `${first} ${last}`,
      ).toEqual([p.body.id]);
    }
  });
});

describe('editing', () => {
  it('changes only the fields sent, audits their names, and queues the row for replication', async () => {
    const p = (
      await desk.call('createPatient', {
        body: {
          legalFirstName: 'Edit',
          legalLastName: 'Me',
          dateOfBirth: '1950-05-05',
          phoneHome: '5125550100',
        },
      })
    ).body;
    const outboxBefore = count('outbox');
    const res = await desk.call('updatePatient', {
      params: { id: p.id },
      body: {
        firstNameToUse: 'Eddie',
        pronouns: 'other',
        pronounsOther: 'ze/zir',
        race: 'declined',
        phoneHome: null,
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      displayName: 'Eddie Me',
      pronouns: 'other',
      pronounsOther: 'ze/zir',
      race: 'declined',
      raceCategories: [],
      phoneHome: null,
      legalFirstName: 'Edit',
    });
    const queued = t.server.store.db
      .prepare(
        `SELECT table_name, op, payload FROM outbox WHERE mutation_id > (SELECT max(mutation_id) FROM outbox) - 10 AND table_name = 'patients'`,
      )
      .all() as { op: string; payload: string }[];
    expect(count('outbox')).toBeGreaterThan(outboxBefore);
    expect(JSON.parse(queued.at(-1)!.payload)).toMatchObject({
      id: p.id,
      firstNameToUse: 'Eddie',
      phoneHome: null,
    });
    const update = (await auditOf(p.id)).find((e) => e.action === 'patient.update')!;
    expect((update.detail.fields as string[]).sort()).toEqual([
      'firstNameToUse',
      'phoneHome',
      'pronouns',
      'pronounsOther',
      'race',
    ]);

    // Sending the same values again changes nothing and writes nothing.
    const outboxNow = count('outbox');
    expect(
      (await desk.call('updatePatient', { params: { id: p.id }, body: { firstNameToUse: 'Eddie' } })).status,
    ).toBe(200);
    expect(count('outbox')).toBe(outboxNow);

    const marked = await desk.call('updatePatient', {
      params: { id: p.id },
      body: { deceased: true, deceasedDate: '2024-02-03', inactive: true },
    });
    expect(marked.body).toMatchObject({ deceased: true, deceasedDate: '2024-02-03', inactive: true });
    const empty = await desk.call('updatePatient', { params: { id: p.id }, body: {} });
    expect(empty.status).toBe(400);
  });

  it('keeps emergency contacts, the guarantor and coverages, and reports what check-in should ask', async () => {
    const p = (
      await desk.call('createPatient', {
        body: { legalFirstName: 'Minor', legalLastName: 'Child', dateOfBirth: '2015-09-09', sex: 'male' },
      })
    ).body;
    const id = { id: p.id as string };
    const gaps = (await desk.call('getPatient', { params: id })).body.coverageStatus.demographicGaps.map(
      (g: { code: string }) => g.code,
    );
    expect(gaps).toEqual([
      'missing_phone',
      'missing_address',
      'missing_emergency_contact',
      'missing_guarantor',
    ]);

    const contact = await desk.call('createEmergencyContact', {
      params: id,
      body: { name: 'Pat Child', relationship: 'parent', phone: '512.555.0123' },
    });
    expect(contact.status).toBe(201);
    expect(contact.body.phone).toBe('5125550123');
    const noName = await desk.call('setGuarantor', { params: id, body: { relationship: 'parent' } });
    expect(noName.status).toBe(400);
    expect(Object.keys(noName.body.error.fields).sort()).toEqual(['firstName', 'lastName']);
    const guarantor = await desk.call('setGuarantor', {
      params: id,
      body: { relationship: 'parent', firstName: 'Pat', lastName: 'Child', phone: '5125550123' },
    });
    expect(guarantor.status).toBe(200);
    expect(guarantor.body).toMatchObject({ relationship: 'parent', sameAddressAsPatient: true });
    // Setting it again changes the same row rather than adding a second guarantor.
    await desk.call('setGuarantor', {
      params: id,
      body: { relationship: 'legal_guardian', firstName: 'Sam', lastName: 'Child' },
    });
    expect(count(`patient_guarantors WHERE patient_id = '${p.id}'`)).toBe(1);

    const today = (await desk.call('getPatient', { params: id })).body.coverageStatus.onDate as string;
    const lastYear = `${Number(today.slice(0, 4)) - 1}-01-01`;
    const lastYearEnd = `${Number(today.slice(0, 4)) - 1}-12-31`;
    const expired = await desk.call('createCoverage', {
      params: id,
      body: {
        priority: 'primary',
        payerName: 'Old Mutual Health',
        memberId: 'OLD-1',
        subscriberRelationship: 'child',
        subscriberFirstName: 'Pat',
        subscriberLastName: 'Child',
        subscriberDateOfBirth: '1980-01-01',
        effectiveFrom: lastYear,
        effectiveTo: lastYearEnd,
        copayCents: 2500,
      },
    });
    expect(expired.status, expired.text).toBe(201);
    expect(expired.body.standing).toBe('expired');
    let status = (await desk.call('getPatient', { params: id })).body.coverageStatus;
    expect(status.issues.map((i: { code: string }) => i.code)).toEqual([
      'no_active_coverage',
      'coverage_expired',
    ]);
    expect(status.copayCents).toBeNull();

    const missingSubscriber = await desk.call('createCoverage', {
      params: id,
      body: { priority: 'primary', payerName: 'Blue Plan', memberId: 'B-2', subscriberRelationship: 'child' },
    });
    expect(missingSubscriber.status).toBe(400);
    expect(Object.keys(missingSubscriber.body.error.fields).sort()).toEqual([
      'subscriberDateOfBirth',
      'subscriberFirstName',
      'subscriberLastName',
    ]);
    const current = await desk.call('createCoverage', {
      params: id,
      body: {
        priority: 'primary',
        payerName: 'Blue Plan',
        memberId: 'B-2',
        subscriberRelationship: 'child',
        subscriberFirstName: 'Pat',
        subscriberLastName: 'Child',
        subscriberDateOfBirth: '1980-01-01',
        effectiveFrom: today,
        copayCents: 3000,
      },
    });
    expect(current.status).toBe(201);
    // A second primary for the same dates is refused with the reason on the priority field.
    const clash = await desk.call('createCoverage', {
      params: id,
      body: { priority: 'primary', payerName: 'Third', memberId: 'C-3', subscriberRelationship: 'self' },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.fields.priority).toMatch(/already a primary coverage/);

    status = (await desk.call('getPatient', { params: id })).body.coverageStatus;
    expect(status.issues).toEqual([]);
    expect(status.copayCents).toBe(3000);
    expect(status.active.map((c: { memberId: string }) => c.memberId)).toEqual(['B-2']);
    expect(status.demographicGaps.map((g: { code: string }) => g.code)).toEqual([
      'missing_phone',
      'missing_address',
    ]);

    const changed = await desk.call('updateCoverage', {
      params: { ...id, itemId: current.body.id },
      body: { groupNumber: 'GRP-9' },
    });
    expect(changed.body.groupNumber).toBe('GRP-9');
    expect((await desk.call('deleteCoverage', { params: { ...id, itemId: expired.body.id } })).status).toBe(
      200,
    );
    expect(
      (await desk.call('deleteEmergencyContact', { params: { ...id, itemId: contact.body.id } })).status,
    ).toBe(200);
    const after = (await desk.call('getPatient', { params: id })).body;
    expect(after.coverages.map((c: { memberId: string }) => c.memberId)).toEqual(['B-2']);
    expect(after.emergencyContacts).toEqual([]);
    // Removed rows are tombstones, not deletions.
    expect(count(`patient_coverages WHERE patient_id = '${p.id}' AND deleted_at IS NOT NULL`)).toBe(1);
    expect((await desk.call('deleteCoverage', { params: { ...id, itemId: expired.body.id } })).status).toBe(
      404,
    );
  });
});

describe('restricted records', () => {
  it('need break-glass to edit as well as to open, and search shows who they are but not how to reach them', async () => {
    const clin = (await addStaff(t, admin, 'carl.clin', ['clinician'])).client;
    const p = await desk.call('createPatient', {
      body: {
        legalFirstName: 'Vera',
        legalLastName: 'Private',
        dateOfBirth: '1977-07-07',
        phoneMobile: '5125550999',
        restricted: true,
        city: 'Austin',
      },
    });
    expect(p.status).toBe(201);
    const id = { id: p.body.id as string };
    expect((await clin.call('getPatient', { params: id })).status).toBe(403);
    const edit = await clin.call('updatePatient', { params: id, body: { alertNote: 'x' } });
    expect(edit.status).toBe(403);
    expect(edit.body.error.code).toBe('restricted_record');
    const add = await clin.call('createCoverage', {
      params: id,
      body: { priority: 'primary', payerName: 'P', memberId: 'M', subscriberRelationship: 'self' },
    });
    expect(add.status).toBe(403);

    const found = await clin.call('searchPatients', { query: { q: 'vera private' } });
    expect(found.body.patients).toEqual([
      expect.objectContaining({
        id: p.body.id,
        restricted: true,
        dateOfBirth: '1977-07-07',
        phone: null,
        city: null,
      }),
    ]);

    expect(
      (
        await clin.call('emergencyAccess', {
          body: { patientId: p.body.id, reason: 'Crisis call, need contact numbers' },
        })
      ).status,
    ).toBe(200);
    expect((await clin.call('getPatient', { params: id })).status).toBe(200);
    expect(
      (await clin.call('updatePatient', { params: id, body: { alertNote: 'Call before visits' } })).status,
    ).toBe(200);
  });
});
