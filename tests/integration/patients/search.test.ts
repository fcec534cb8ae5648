import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, startSignedInAdmin, type TestClient, type TestServer } from '../../support/workstation';

/** Search quality through the API: what front-desk staff type, and what they must get back. */

let t: TestServer;
let admin: TestClient;
let desk: TestClient;
const ids: Record<string, string> = {};
const mrns: Record<string, string> = {};

const people: Record<string, Record<string, unknown>> = {
  katherine: {
    legalFirstName: 'Katherine',
    legalLastName: 'Okafor-Reyes',
    firstNameToUse: 'Kat',
    dateOfBirth: '1985-03-04',
    phoneMobile: '512-555-0142',
    city: 'Austin',
  },
  catherine: {
    legalFirstName: 'Catherine',
    legalLastName: 'Okafor',
    dateOfBirth: '1985-04-03',
    phoneHome: '512-555-0200',
  },
  john: {
    legalFirstName: 'John',
    legalLastName: 'Smith',
    dateOfBirth: '1990-01-01',
    phoneMobile: '737-555-0101',
  },
  johnJr: {
    legalFirstName: 'John',
    legalLastName: 'Smith',
    nameSuffix: 'Jr',
    dateOfBirth: '2012-06-30',
    city: 'Round Rock',
  },
  johnathan: { legalFirstName: 'Johnathan', legalLastName: 'Smithers', dateOfBirth: '1979-11-11' },
  maria: { legalFirstName: 'María José', legalLastName: 'García', dateOfBirth: '1968-02-29' },
  liam: { legalFirstName: 'Liam', legalLastName: "O'Brien", dateOfBirth: '2001-07-04' },
  li: { legalFirstName: 'Wei', legalLastName: 'Li', dateOfBirth: '1959-09-09' },
  mario: { legalFirstName: 'Mario', legalLastName: 'Rossi', dateOfBirth: '1948-10-10' },
  delacruz: { legalFirstName: 'Ana', legalLastName: 'De la Cruz', dateOfBirth: '1999-12-12', inactive: true },
};

beforeAll(async () => {
  const s = await startSignedInAdmin();
  t = s.t;
  admin = s.admin;
  desk = (await addStaff(t, admin, 'fran.desk', ['front_desk'])).client;
  for (const [key, body] of Object.entries(people)) {
    const res = await desk.call('createPatient', { body: { ...body, confirmedNotDuplicate: true } });
    expect(res.status, res.text).toBe(201);
    ids[key] = res.body.id;
    mrns[key] = res.body.mrn;
  }
});
afterAll(async () => {
  await t?.stop();
});

async function search(q: string, limit?: number): Promise<string[]> {
  const res = await desk.call('searchPatients', { query: { q, limit } });
  expect(res.status, `${q}: ${res.text}`).toBe(200);
  const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  return (res.body.patients as { id: string }[]).map((p) => byId[p.id]!);
}

describe('patient search', () => {
  it.each([
    ['oka', ['catherine', 'katherine']],
    ['kat oka', ['katherine']],
    ['reyes katherine', ['katherine']],
    ['Okafor-Reyes', ['katherine']],
    ['okaforreyes', ['katherine']],
    ['KATHERINE', ['katherine']],
    ['garcia maria', ['maria']],
    ['maría josé', ['maria']],
    ["o'brien", ['liam']],
    ['obrien', ['liam']],
    ['brien liam', ['liam']],
    ['delacruz', ['delacruz']],
    ['cruz ana', ['delacruz']],
  ])('finds names by beginnings, in any order, across accents and punctuation: %s', async (q, expected) => {
    expect(await search(q)).toEqual(expected);
  });

  it('puts exact words before beginnings of longer ones ("li" finds Li before Liam)', async () => {
    expect(await search('li')).toEqual(['li', 'liam']);
    expect((await search('smith')).slice(0, 2).sort()).toEqual(['john', 'johnJr']);
    expect(await search('smith')).toEqual(expect.arrayContaining(['johnathan']));
  });

  it.each([
    ['katherien okafor', 'katherine'],
    ['jhon smith', 'john'],
    ['smiht john', 'john'],
    ['okafro', 'catherine'],
    ['garica', 'maria'],
    ['jonathan smithers', 'johnathan'],
    // "Maria" is a real name here too, yet the only Rossi is Mario.
    ['maria rossi', 'mario'],
  ])('forgives small typos: %s', async (q, expected) => {
    expect(await search(q)).toContain(expected);
  });

  it('does not let a typo match short names loosely', async () => {
    expect(await search('lu')).toEqual([]);
  });

  it.each([['3/4/1985'], ['03/04/1985'], ['03041985'], ['1985-03-04'], ['3-4-85'], ['19850304']])(
    'finds a date of birth typed as %s',
    async (q) => {
      expect(await search(q)).toEqual(['katherine']);
    },
  );

  it('combines a name with a date of birth, a birth year or the end of a phone number', async () => {
    expect(await search('okafor 3/4/85')).toEqual(['katherine']);
    expect(await search('okafor 4/3/1985')).toEqual(['catherine']);
    expect(await search('smith 2012')).toEqual(['johnJr']);
    expect(await search('okafor 0200')).toEqual(['catherine']);
  });

  it.each([
    ['512-555-0142'],
    ['(512) 555-0142'],
    ['5125550142'],
    ['+1 512 555 0142'],
    ['555-0142'],
    ['5550142'],
  ])('finds a phone number typed as %s', async (q) => {
    expect(await search(q)).toEqual(['katherine']);
  });

  it('finds an MRN, and nothing for a wrong one', async () => {
    expect(await search(mrns.liam!)).toEqual(['liam']);
    const wrong = mrns.liam!.slice(0, -1) + String((Number(mrns.liam!.slice(-1)) + 1) % 10);
    expect(await search(wrong)).toEqual([]);
  });

  it('returns enough to tell two similar patients apart, inactive records last', async () => {
    const res = await desk.call('searchPatients', { query: { q: 'john smith' } });
    const [a, b] = res.body.patients;
    expect(a).toMatchObject({
      legalFirstName: 'John',
      nameSuffix: null,
      dateOfBirth: '1990-01-01',
      phone: '7375550101',
    });
    expect(b).toMatchObject({
      legalFirstName: 'John',
      nameSuffix: 'Jr',
      dateOfBirth: '2012-06-30',
      city: 'Round Rock',
    });
    expect(a.mrn).not.toBe(b.mrn);
    const kat = (await desk.call('searchPatients', { query: { q: 'kat' } })).body.patients[0];
    expect(kat).toMatchObject({
      displayName: 'Kat Okafor-Reyes',
      legalFirstName: 'Katherine',
      city: 'Austin',
    });
    const cruz = (await desk.call('searchPatients', { query: { q: 'ana' } })).body.patients;
    expect(cruz.at(-1)).toMatchObject({ id: ids.delacruz, inactive: true });
  });

  it('honours the limit and asks for at least two characters', async () => {
    expect(await search('smith', 1)).toHaveLength(1);
    const short = await desk.call('searchPatients', { query: { q: ' k ' } });
    expect(short.status).toBe(400);
    expect(short.body.error.fields.q).toBe('Type at least two characters to search.');
    expect(await search('12')).toEqual([]);
    expect(await search('zzzz qqqq')).toEqual([]);
  });

  it('finds a renamed patient by the new name only, right after the edit', async () => {
    await desk.call('updatePatient', {
      params: { id: ids.liam! },
      body: { legalLastName: 'Byrne', phoneWork: '512 555 0333' },
    });
    expect(await search('obrien')).toEqual([]);
    expect(await search('byrne')).toEqual(['liam']);
    expect(await search('5550333')).toEqual(['liam']);
  });

  it('audits each search with the number of results and never the text typed', async () => {
    await search('garcia maria');
    const res = await admin.call('auditReport', {
      query: { action: 'patient.search', sort: 'at', dir: 'desc', limit: 1 },
    });
    const [entry] = res.body.entries;
    expect(entry).toMatchObject({ action: 'patient.search', patientId: null, detail: { count: 1 } });
    expect(JSON.stringify(res.body)).not.toMatch(/garcia|maria/i);
    // Nor does the request log carry the query string.
    expect(t.logs.join('\n')).not.toMatch(/garcia/i);
  });
});
