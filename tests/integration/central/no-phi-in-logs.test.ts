import crypto from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CentralClient,
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
} from '../../support/central';

/**
 * ARCHITECTURE.md: no PHI in logs, for central too. Central holds every clinic's replicated rows, staff
 * accounts and administrators' credentials; each marker is a random string that can only reach a log line
 * if something copied request data or stored data into it.
 */

const marker = (what: string) => `zq${what}${crypto.randomBytes(6).toString('hex')}`;
const M = {
  patientFirst: marker('first'),
  patientLast: marker('last'),
  dob: `19${String(10 + crypto.randomInt(80))}-0${1 + crypto.randomInt(9)}-1${crypto.randomInt(10)}`,
  staffName: marker('staffname'),
  staffUser: marker('staffuser'),
  staffPassword: `${marker('staffpw')} quiet harbor`,
  renamed: marker('renamed'),
  adminUser: marker('adminuser'),
  adminPassword: marker('adminpw'),
  badBody: marker('badbody'),
  malformed: marker('malformed'),
  oversize: marker('oversize'),
  enrollCode: marker('enroll'),
  cursor: marker('cursor'),
  pathId: marker('pathid'),
  unknownPath: marker('nowhere'),
  // Short: V8 quotes only the first few characters of text it cannot parse as JSON.
  damaged: `zd${crypto.randomBytes(3).toString('hex')}`,
};
const markers = Object.values(M);

let central: TestCentral;
let operator: CentralAdmin;
const errorTexts: string[] = [];

const deviceHeaders = {
  'x-tessera-protocol': '1',
  'x-tessera-schema': '5',
  'x-tessera-clock': new Date().toISOString(),
};

async function raw(method: string, path: string, body: string | undefined, headers: Record<string, string>) {
  const res = await fetch(`${central.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  if (res.status >= 400) errorTexts.push(text);
  return { status: res.status, text };
}

const tracked = async <R extends { status: number; text: string }>(p: Promise<R>) => {
  const r = await p;
  if (r.status >= 400) errorTexts.push(r.text);
  return r;
};

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  const clinic = await createOrgAndClinic(operator);
  const auth = { authorization: `Bearer ${operator.client.token}` };

  // A staff account made centrally (replicates to workstations), then renamed.
  const staff = await tracked(
    operator.client.call('createStaff', {
      params: { clinicId: clinic.clinicId },
      body: { username: M.staffUser, fullName: M.staffName, password: M.staffPassword, roles: ['front_desk'] },
    }),
  );
  expect(staff.status).toBe(201);
  expect(
    (
      await tracked(
        operator.client.call('updateStaff', {
          params: { clinicId: clinic.clinicId, userId: staff.body.id },
          body: { fullName: M.renamed },
        }),
      )
    ).status,
  ).toBe(200);
  expect((await tracked(operator.client.call('listStaff', { params: { clinicId: clinic.clinicId } }))).status).toBe(
    200,
  );

  // A workstation enrolls, pushes a patient and pulls it back.
  const code = await enrollmentCode(operator, clinic.clinicId);
  const enrolled = await new CentralClient(central.url).call('enroll', {
    body: { code, workstationId: crypto.randomUUID(), name: 'Desk', schemaVersion: 5, clinicId: null },
  });
  expect(enrolled.status).toBe(200);
  const device = new CentralClient(central.url, enrolled.body.credential, deviceHeaders);
  const patientId = uuidv7();
  const now = new Date().toISOString();
  const pushed = await tracked(
    device.call('syncPush', {
      body: {
        epoch: enrolled.body.epoch,
        lastAcknowledged: 0,
        mutations: [
          {
            mutationId: 1,
            table: 'patients',
            rowId: patientId,
            op: 'insert',
            row: {
              id: patientId,
              clinicId: clinic.clinicId,
              mrn: String(crypto.randomInt(1e9)),
              legalFirstName: M.patientFirst,
              legalLastName: M.patientLast,
              dateOfBirth: M.dob,
              restricted: false,
              createdAt: now,
              updatedAt: now,
              deletedAt: null,
            },
            changedFields: null,
            seenSeq: null,
            createdAt: now,
          },
        ],
      },
    }),
  );
  expect(pushed.status).toBe(200);
  expect(pushed.body.results[0].status).toBe('applied');
  const pulled = await tracked(device.call('syncPull', { query: { cursor: 0, limit: 1000 } }));
  expect(pulled.status).toBe(200);
  expect(pulled.text).toContain(M.patientLast);
  const credential = { ...deviceHeaders, authorization: `Bearer ${enrolled.body.credential}` };

  // Failed sign-ins and enrollments with markers where people type.
  const anon = new CentralClient(central.url);
  expect(
    (await tracked(anon.call('adminSignIn', { body: { username: M.adminUser, password: M.adminPassword, code: '123456' } })))
      .status,
  ).toBe(401);
  expect(
    (
      await tracked(
        anon.call('enroll', {
          body: { code: M.enrollCode, workstationId: crypto.randomUUID(), name: M.enrollCode, schemaVersion: 5, clinicId: null },
        }),
      )
    ).status,
  ).toBeGreaterThanOrEqual(400);

  // Invalid, malformed and oversized bodies, markers in query strings and paths.
  expect(
    (
      await raw(
        'POST',
        `/v1/admin/clinics/${clinic.clinicId}/staff`,
        JSON.stringify({ username: M.badBody, fullName: M.badBody, password: M.badBody, roles: [M.badBody] }),
        auth,
      )
    ).status,
  ).toBe(400);
  expect((await raw('POST', '/v1/sync/push', `{"epoch": "${M.malformed}", `, credential)).status).toBe(400);
  expect(
    (await raw('POST', '/v1/sync/push', JSON.stringify({ epoch: M.oversize.repeat(800_000) }), credential)).status,
  ).toBe(413);
  expect((await raw('GET', `/v1/sync/pull?cursor=${M.cursor}`, undefined, credential)).status).toBe(400);
  expect((await raw('GET', `/v1/admin/clinics/${M.pathId}/staff`, undefined, auth)).status).toBe(400);
  expect((await raw('GET', `/v1/${M.unknownPath}?q=${M.unknownPath}`, undefined, auth)).status).toBe(404);

  // An unexpected failure whose error message quotes stored data: a damaged staff row (written behind the
  // API) makes listing the clinic's staff fail inside central.
  const owner = new pg.Client({ connectionString: central.db.ownerUrl });
  await owner.connect();
  try {
    const r = await owner.query(
      `UPDATE tessera.replica_rows SET data = jsonb_set(data, '{roles}', to_jsonb($1::text))
        WHERE table_name = 'users' AND row_id = $2`,
      [`${M.damaged} not json`, staff.body.id],
    );
    expect(r.rowCount).toBe(1);
  } finally {
    await owner.end();
  }
  const crash = await tracked(operator.client.call('listStaff', { params: { clinicId: clinic.clinicId } }));
  expect(crash.status).toBe(500);
  expect(crash.body.error.message).toMatch(/reference [0-9a-f]{8}/);
}, 120_000);

afterAll(async () => {
  await central?.destroy();
});

describe('central logs no patient data, staff data or credentials', () => {
  it('logged every request (so the absence below means something)', () => {
    const seen = central.logs
      .map((l) => JSON.parse(l) as { msg: string; route?: string; status?: number })
      .filter((l) => l.msg === 'request')
      .map((r) => `${r.status} ${r.route}`);
    expect(seen).toContain('201 /v1/admin/clinics/:clinicId/staff');
    expect(seen).toContain('200 /v1/sync/push');
    expect(seen).toContain('200 /v1/sync/pull');
    expect(seen).toContain('401 /v1/admin/sessions');
    expect(seen).toContain('400 /v1/sync/pull');
    expect(seen).toContain('404 unmatched');
    // Bodies are read (and refused by length) inside the route, once the credential is accepted.
    expect(seen).toContain('413 /v1/sync/push');
    expect(seen).toContain('500 /v1/admin/clinics/:clinicId/staff');
  });

  it('has no marker in any log line', () => {
    const leaks = central.logs.flatMap((line) =>
      markers.filter((m) => line.toLowerCase().includes(m.toLowerCase())).map((m) => ({ m, line })),
    );
    expect(leaks).toEqual([]);
  });

  it('logs an unexpected error with a reference and where it happened, but not its message', () => {
    const line = central.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'unhandled error')!;
    expect(line.ref).toMatch(/^[0-9a-f]{8}$/);
    expect(line.errName).toBe('SyntaxError');
    expect(String(line.stack)).toMatch(/\bat\b/);
    const crash = errorTexts.find((x) => x.includes('"code":"internal"'))!;
    expect(crash).toContain(String(line.ref));
  });

  it('echoes no marker in any error answer', () => {
    expect(errorTexts.length).toBeGreaterThanOrEqual(8);
    for (const text of errorTexts) {
      for (const m of markers) expect(text.toLowerCase(), text).not.toContain(m.toLowerCase());
    }
  });
});
