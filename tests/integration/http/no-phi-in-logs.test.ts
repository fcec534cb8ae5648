import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, startSignedInAdmin, type TestClient, type TestServer } from '../../support/workstation';

/**
 * ARCHITECTURE.md: no PHI in logs, error messages, URLs or file names. Each marker is a random string that
 * can only reach a log line if something copied request data into it.
 */

const marker = (what: string) => `zq${what}${crypto.randomBytes(6).toString('hex')}`;
const M = {
  first: marker('first'),
  last: marker('last'),
  restrictedLast: marker('rlast'),
  dob: `19${String(10 + crypto.randomInt(80))}-0${1 + crypto.randomInt(9)}-1${crypto.randomInt(10)}`,
  search: marker('search'),
  auditQuery: marker('auditq'),
  pathId: marker('pathid'),
  username: marker('username'),
  badBodyName: marker('badname'),
  badBodyDob: marker('baddob'),
  malformed: marker('malformed'),
  oversize: marker('oversize'),
  reason: marker('reason'),
  badReason: marker('badreason'),
  // Short: V8 quotes only the first few characters of text it cannot parse as JSON.
  damaged: `zd${crypto.randomBytes(3).toString('hex')}`,
};
const markers = Object.values(M);

let t: TestServer;
let admin: TestClient;
/** The text of every error answer the server gave in this file. */
const errorTexts: string[] = [];
const track = async <R extends { status: number; text: string }>(p: Promise<R>): Promise<R> => {
  const res = await p;
  if (res.status >= 400) errorTexts.push(res.text);
  return res;
};
const rawTracked = async (c: TestClient, method: string, url: string, body?: string) => {
  const res = await c.raw(method, url, { body, headers: { 'content-type': 'application/json' } });
  const text = await res.text();
  return track(Promise.resolve({ status: res.status, text }));
};

beforeAll(async () => {
  const s = await startSignedInAdmin();
  t = s.t;
  admin = s.admin;
  const clin = await addStaff(t, admin, 'carl.clin', ['clinician']);

  // Registration and reading.
  const created = await track(
    admin.call('createPatient', {
      body: { legalFirstName: M.first, legalLastName: M.last, dateOfBirth: M.dob },
    }),
  );
  expect(created.status).toBe(201);
  expect((await track(clin.client.call('getPatient', { params: { id: created.body.id } }))).status).toBe(200);
  const restricted = await track(
    admin.call('createPatient', {
      body: {
        legalFirstName: M.first,
        legalLastName: M.restrictedLast,
        dateOfBirth: M.dob,
        restricted: true,
      },
    }),
  );
  expect(restricted.status).toBe(201);

  // Searches: search text in query strings and paths.
  expect((await rawTracked(admin, 'GET', `/api/patients?q=${M.search}&name=${M.last}`)).status).toBe(200);
  expect((await rawTracked(admin, 'GET', `/api/patients?q=${M.last}`)).status).toBe(200);
  expect((await rawTracked(admin, 'GET', `/api/patients/${M.last}/nothing-here?q=${M.search}`)).status).toBe(404);
  expect((await rawTracked(admin, 'GET', `/api/patients/search?q=${M.search}`)).status).toBe(400);
  expect(
    (await track(admin.call('auditReport', { query: { patientId: M.auditQuery, userId: M.auditQuery } })))
      .status,
  ).toBe(200);
  expect(
    (await track(admin.call('auditReport', { query: { action: M.auditQuery, from: M.auditQuery } }))).status,
  ).toBe(400);
  expect((await track(admin.call('getPatient', { params: { id: M.pathId } }))).status).toBe(400);

  // A failed sign-in with a marker for a username (people type all sorts into that box).
  const anon = await t.client().launch();
  expect(
    (await track(anon.call('login', { body: { username: M.username, password: 'not the password' } })))
      .status,
  ).toBe(401);

  // Invalid, malformed and oversized bodies carrying markers.
  const invalid = await track(
    admin.call('createPatient', {
      body: { legalFirstName: M.badBodyName, legalLastName: '', dateOfBirth: M.badBodyDob },
    }),
  );
  expect(invalid.status).toBe(400);
  expect(invalid.body.error.fields).toHaveProperty('dateOfBirth');
  expect(
    (await rawTracked(admin, 'POST', '/api/patients', `{"legalFirstName": "${M.malformed}", `)).status,
  ).toBe(400);
  expect(
    (
      await rawTracked(
        admin,
        'POST',
        '/api/patients',
        JSON.stringify({ legalFirstName: M.oversize.repeat(20_000), legalLastName: M.oversize }),
      )
    ).status,
  ).toBe(413);

  // Break-glass with a reason (stored in the audit log, nowhere else), and an invalid one.
  expect((await track(clin.client.call('getPatient', { params: { id: restricted.body.id } }))).status).toBe(
    403,
  );
  const glass = await track(
    clin.client.call('emergencyAccess', {
      body: { patientId: restricted.body.id, reason: `Unresponsive patient ${M.reason}` },
    }),
  );
  expect(glass.status).toBe(200);
  expect((await track(clin.client.call('getPatient', { params: { id: restricted.body.id } }))).status).toBe(
    200,
  );
  expect(
    (
      await track(
        clin.client.call('emergencyAccess', {
          body: { patientId: M.badReason, reason: `Need it ${M.badReason}` },
        }),
      )
    ).status,
  ).toBe(400);

  // An unexpected failure whose error message quotes stored data: a damaged row (written behind the app)
  // makes the staff member's requests fail inside the server.
  const damaged = await addStaff(t, admin, 'dana.damaged', ['front_desk']);
  t.server.store.db
    .prepare('UPDATE users SET roles = ? WHERE id = ?')
    .run(`${M.damaged} not json`, damaged.user.id);
  const crash = await track(
    damaged.client.call('createPatient', {
      body: { legalFirstName: 'A', legalLastName: 'B', dateOfBirth: '2000-01-01' },
    }),
  );
  expect(crash.status).toBe(500);
  expect(crash.body.error.message).toMatch(/reference [0-9a-f]{8}/);
});

afterAll(async () => {
  await t?.stop();
});

describe('no patient data in logs', () => {
  it('logged every request (so the absence below means something)', () => {
    const requests = t.logs
      .map((l) => JSON.parse(l) as { msg: string; route?: string; status?: number })
      .filter((l) => l.msg === 'request');
    const seen = requests.map((r) => `${r.status} ${r.route}`);
    expect(seen).toContain('201 /api/patients');
    expect(seen).toContain('200 /api/patients/:id');
    expect(seen).toContain('400 /api/patients/:id');
    expect(seen).toContain('401 /api/auth/login');
    expect(seen).toContain('200 /api/patients/emergency-access');
    expect(seen).toContain('404 unmatched');
    expect(seen).toContain('413 unmatched');
    expect(t.logs.some((l) => l.includes('unhandled error'))).toBe(true);
  });

  it('has no marker in any log line', () => {
    const leaks = t.logs.flatMap((line) =>
      markers.filter((m) => line.toLowerCase().includes(m.toLowerCase())).map((m) => ({ m, line })),
    );
    expect(leaks).toEqual([]);
  });

  it('logs an unexpected error with a reference and where it happened, but not its message', () => {
    const line = t.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'unhandled error')!;
    expect(line.ref).toMatch(/^[0-9a-f]{8}$/);
    expect(line.errName).toBe('SyntaxError');
    expect(String(line.stack)).toMatch(/\bat\b/);
    expect(JSON.stringify(line)).not.toContain(M.damaged);
    // The reference the user was shown is the one in the log, so IT can find it.
    const crash = errorTexts.find((x) => x.includes('"code":"internal"'))!;
    expect(crash).toContain(String(line.ref));
  });
});

describe('no patient data in error answers, URLs or file names', () => {
  it('echoes no marker in any error answer', () => {
    expect(errorTexts.length).toBeGreaterThanOrEqual(10);
    for (const text of errorTexts) {
      for (const m of markers) expect(text.toLowerCase(), text).not.toContain(m.toLowerCase());
    }
  });

  it('keeps demographics out of the audit log itself (labels are looked up when the report is shown)', () => {
    const rows = t.server.store.db.prepare('SELECT * FROM audit_log').all();
    const text = JSON.stringify(rows);
    for (const m of [M.first, M.last, M.restrictedLast, M.dob]) expect(text).not.toContain(m);
    // What the audit log is for is there: the break-glass reason and the typed username.
    expect(text).toContain(M.reason);
    expect(text).toContain(M.username);
  });

  it('names no file after patient data', () => {
    const names: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        names.push(e.name);
        if (e.isDirectory()) walk(path.join(dir, e.name));
      }
    };
    walk(t.dataDir);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) for (const m of markers) expect(n).not.toContain(m);
  });
});
