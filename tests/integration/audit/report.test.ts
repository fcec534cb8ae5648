import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { csvCell } from '../../../server/workstation/services/audit/report';
import {
  addStaff,
  signIn,
  startSignedInAdmin,
  type TestClient,
  type TestServer,
} from '../../support/workstation';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

interface Entry {
  seq: number;
  id: string;
  at: string;
  userId: string | null;
  username: string | null;
  action: string;
  outcome: string;
  patientId: string | null;
  patientLabel: string | null;
  workstationId: string;
  detail: Record<string, unknown>;
}

const ZONE = 'America/Chicago';

async function report(c: TestClient, query: Record<string, string | number | undefined> = {}) {
  const res = await c.call('auditReport', { query: { limit: 1000, ...query } });
  expect(res.status, res.text).toBe(200);
  return res.body as { entries: Entry[]; total: number };
}

/** A clinic with some history: two staff, two patients, a denial, failed sign-ins and a break-glass. */
async function clinicWithHistory() {
  const s = await startSignedInAdmin();
  t = s.t;
  const desk = await addStaff(t, s.admin, 'fran.desk', ['front_desk']);
  const clin = await addStaff(t, s.admin, 'carl.clin', ['clinician']);
  const p1 = await desk.client.call('createPatient', {
    body: { legalFirstName: 'Ann', legalLastName: 'Able', dateOfBirth: '1950-01-01' },
  });
  const p2 = await desk.client.call('createPatient', {
    body: { legalFirstName: 'Zed', legalLastName: 'Zulu', dateOfBirth: '1960-02-02', restricted: true },
  });
  expect(p1.status).toBe(201);
  expect(p2.status).toBe(201);
  await clin.client.call('getPatient', { params: { id: p1.body.id } });
  await clin.client.call('getPatient', { params: { id: p2.body.id } }); // denied: restricted
  await clin.client.call('emergencyAccess', {
    body: { patientId: p2.body.id, reason: 'Unresponsive, need medication list' },
  });
  await clin.client.call('getPatient', { params: { id: p2.body.id } });
  await desk.client.call('listUsers'); // denied: no users.manage
  await t
    .client()
    .launch()
    .then((c) => c.call('login', { body: { username: 'fran.desk', password: 'wrong wrong wrong' } }));
  return { ...s, t: s.t, desk, clin, p1: p1.body.id as string, p2: p2.body.id as string };
}

describe('audit report filters', () => {
  it('filters by user, by patient, and by action area or exact action', async () => {
    const c = await clinicWithHistory();
    const all = await report(c.admin, { sort: 'at', dir: 'asc' });
    expect(all.total).toBe(all.entries.length);
    expect(all.entries.map((e) => e.seq)).toEqual([...all.entries.map((e) => e.seq)].sort((a, b) => a - b));

    const byDesk = await report(c.admin, { userId: c.desk.user.id, sort: 'at', dir: 'asc' });
    expect(byDesk.entries.map((e) => e.action)).toEqual([
      'auth.login',
      // A new account chooses its own password at its first sign-in.
      'auth.password_changed',
      'patient.create',
      'patient.create',
      'access.denied',
      'auth.login_failed',
    ]);
    expect(byDesk.entries.every((e) => e.userId === c.desk.user.id && e.username === 'fran.desk')).toBe(true);
    expect(byDesk.total).toBe(all.entries.filter((e) => e.userId === c.desk.user.id).length);

    const byP2 = await report(c.admin, { patientId: c.p2, sort: 'at', dir: 'asc' });
    expect(byP2.entries.map((e) => [e.action, e.outcome])).toEqual([
      ['patient.create', 'success'],
      ['access.denied', 'denied'],
      ['emergency.access', 'success'],
      ['patient.read', 'success'],
    ]);
    for (const e of byP2.entries) {
      expect(e.patientId).toBe(c.p2);
      expect(e.patientLabel).toMatch(/^Zulu, Zed \(\d{9}\)$/);
    }

    const auth = await report(c.admin, { action: 'auth' });
    const authActions = new Set(auth.entries.map((e) => e.action));
    expect(authActions).toEqual(new Set(['auth.login', 'auth.password_changed', 'auth.login_failed']));
    expect(auth.total).toBe(all.entries.filter((e) => e.action.startsWith('auth.')).length);

    const exact = await report(c.admin, { action: 'auth.login' });
    expect(exact.entries.length).toBeGreaterThan(0);
    expect(exact.entries.every((e) => e.action === 'auth.login')).toBe(true);
    expect(exact.total).toBe(all.entries.filter((e) => e.action === 'auth.login').length);
    // An area is a whole word: "aut" is not a prefix of anything.
    expect((await report(c.admin, { action: 'aut' })).total).toBe(0);

    const combined = await report(c.admin, { userId: c.clin.user.id, patientId: c.p2, action: 'patient' });
    expect(combined.entries.map((e) => e.action)).toEqual(['patient.read']);
  });

  it('filters by calendar days in the clinic time zone, across a DST change', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    // The spring-forward Sunday of next year, in Chicago: 02:00 CST becomes 03:00 CDT.
    const year = DateTime.fromMillis(t.clock.ms, { zone: ZONE }).year + 1;
    let day = DateTime.fromObject({ year, month: 3, day: 8 }, { zone: ZONE });
    while (day.weekday !== 7) day = day.plus({ days: 1 });
    const at = (d: DateTime, time: string) => {
      const [h, m, sec] = time.split(':').map(Number);
      return d.set({ hour: h, minute: m, second: sec, millisecond: 0 }).toMillis();
    };
    const events: [string, number][] = [
      ['probe.before', at(day.minus({ days: 1 }), '23:59:30')], // Saturday, CST
      ['probe.start', at(day, '00:00:30')], // Sunday, still CST (06:00:30Z)
      ['probe.end', at(day, '23:59:00')], // Sunday, now CDT (04:59Z on Monday in UTC)
      ['probe.after', at(day.plus({ days: 1 }), '00:00:30')], // Monday, CDT (05:00:30Z)
    ];
    const anon = await t.client().launch();
    for (const [username, ms] of events) {
      expect(ms).toBeGreaterThan(t.clock.ms);
      t.clock.ms = ms;
      expect(
        (await anon.call('login', { body: { username, password: 'no such account here' } })).status,
      ).toBe(401);
    }
    t.clock.ms = at(day.plus({ days: 2 }), '09:00:00');
    expect((await signIn(t, s.admin, s.creds.username, s.creds.password, s.creds.totpSecret)).status).toBe(
      200,
    );

    const names = async (q: Record<string, string>) =>
      (await report(s.admin, { action: 'auth.login_failed', sort: 'at', dir: 'asc', ...q })).entries.map(
        (e) => e.username,
      );
    const sunday = day.toISODate()!;
    expect(await names({ from: sunday, to: sunday })).toEqual(['probe.start', 'probe.end']);
    expect(await names({ from: day.minus({ days: 1 }).toISODate()!, to: sunday })).toEqual([
      'probe.before',
      'probe.start',
      'probe.end',
    ]);
    expect(await names({ from: day.plus({ days: 1 }).toISODate()! })).toEqual(['probe.after']);
    expect(await names({ to: day.minus({ days: 1 }).toISODate()! })).toEqual(['probe.before']);

    const backwards = await s.admin.call('auditReport', {
      query: { from: sunday, to: day.minus({ days: 1 }).toISODate()! },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.fields.from).toBeTruthy();
    const notADate = await s.admin.call('auditReport', { query: { from: `${year}-02-30` } });
    expect(notADate.status).toBe(400);
    expect(Object.keys(notADate.body.error.fields)).toEqual(['from']);
  });
});

describe('audit report sorting and paging', () => {
  const columns: Record<
    'at' | 'username' | 'action' | 'outcome' | 'patient' | 'workstation',
    (e: Entry) => string | number | null
  > = {
    at: (e: Entry) => e.seq,
    username: (e: Entry) => e.username,
    action: (e: Entry) => e.action,
    outcome: (e: Entry) => e.outcome,
    patient: (e: Entry) => e.patientLabel,
    workstation: (e: Entry) => e.workstationId,
  };

  it.each(Object.keys(columns) as (keyof typeof columns)[])(
    'sorts by %s both ways (empty values last, then by sequence)',
    async (sort) => {
      const c = await clinicWithHistory();
      const base = (await report(c.admin, { sort: 'at', dir: 'asc' })).entries;
      const value = columns[sort];
      // The column must vary (or be the same everywhere, as the workstation is), so the check has teeth.
      if (sort !== 'workstation') expect(new Set(base.map(value)).size).toBeGreaterThan(1);
      // Each report view is itself audited (audit.read), so later views hold more entries: compare the
      // order of the entries that existed at the start, and count the views in the total.
      const baseSeqs = new Set(base.map((e) => e.seq));
      let views = 1;
      for (const dir of ['asc', 'desc'] as const) {
        const sign = dir === 'asc' ? 1 : -1;
        const expected = [...base].sort((a, b) => {
          const va = value(a);
          const vb = value(b);
          if (va === null && vb !== null) return 1;
          if (vb === null && va !== null) return -1;
          if (va !== null && vb !== null && va !== vb) return (va < vb ? -1 : 1) * sign;
          return (a.seq - b.seq) * sign;
        });
        const got = await report(c.admin, { sort, dir });
        expect(
          got.entries.map((e) => e.seq).filter((seq) => baseSeqs.has(seq)),
          `${sort} ${dir}`,
        ).toEqual(expected.map((e) => e.seq));
        expect(got.total).toBe(base.length + views++);
      }
    },
  );

  it('pages with limit and offset, with a stable total', async () => {
    const c = await clinicWithHistory();
    // One staff member's entries: the admin's own report views (audited) do not shift the pages.
    const filter = { userId: c.clin.user.id, sort: 'action', dir: 'asc' } as const;
    const all = await report(c.admin, filter);
    expect(all.total).toBeGreaterThan(4);
    const seen: number[] = [];
    for (let offset = 0; offset < all.total + 2; offset += 2) {
      const page = await report(c.admin, { ...filter, limit: 2, offset });
      expect(page.total).toBe(all.total);
      expect(page.entries.length).toBe(Math.max(0, Math.min(2, all.total - offset)));
      seen.push(...page.entries.map((e) => e.seq));
    }
    expect(seen).toEqual(all.entries.map((e) => e.seq));
    const defaultPage = await c.admin.call('auditReport', { query: { userId: c.clin.user.id } });
    expect(defaultPage.body.entries[0].seq).toBe(Math.max(...seen)); // newest first by default
    for (const bad of [
      { limit: 0 },
      { limit: 1001 },
      { offset: -1 },
      { sort: 'password_hash' },
      { dir: 'sideways' },
    ]) {
      const res = await c.admin.call('auditReport', { query: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
  });
});

/** RFC 4180 parser: quoted fields, doubled quotes, CRLF records, line breaks inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') throw new Error(`bare line break at ${i}`);
    else field += ch;
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length) throw new Error('last record not terminated by CRLF');
  return rows;
}

describe('CSV export', () => {
  const HEADER = [
    'seq',
    'at',
    'username',
    'user_id',
    'action',
    'outcome',
    'patient',
    'patient_id',
    'workstation_id',
    'detail',
    'source',
  ];

  it('exports the filtered report as RFC 4180 CSV, guards formula cells, and audits the export', async () => {
    const c = await clinicWithHistory();
    // Cells a spreadsheet would run: a typed "username" at sign-in, and a patient name.
    const anon = await c.t.client().launch();
    await anon.call('login', {
      body: { username: '=HYPERLINK("http://evil.example","click")', password: 'whatever it is' },
    });
    await anon.call('login', { body: { username: '+1+2', password: 'whatever it is' } });
    await anon.call('login', { body: { username: '@sum(a1)', password: 'whatever it is' } });
    const tricky = await c.desk.client.call('createPatient', {
      body: { legalFirstName: 'Robert "Bob"', legalLastName: '=1+2', dateOfBirth: '1970-03-03' },
    });
    expect(tricky.status).toBe(201);

    const res = await c.admin.call('auditExport');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const stamp = new Date(c.t.clock.ms).toISOString().slice(0, 10);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="tessera-audit-${stamp}.csv"`);
    expect(res.text.startsWith(`${HEADER.join(',')}\r\n`)).toBe(true);

    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual(HEADER);
    for (const r of rows) expect(r).toHaveLength(HEADER.length);

    // Same rows as the report (the export's own entry included: it is written before the file is sent).
    const all = await report(c.admin, { sort: 'at', dir: 'asc' });
    const body = rows.slice(1);
    expect(body.map((r) => Number(r[0]))).toEqual(all.entries.map((e) => e.seq));
    const last = all.entries.at(-1)!;
    expect(last.action).toBe('audit.export');
    expect(last.username).toBe('ada.admin');
    for (const [i, e] of all.entries.entries()) {
      const r = body[i]!;
      expect(r[1]).toBe(e.at);
      expect(r[3]).toBe(e.userId ?? '');
      expect(r[4]).toBe(e.action);
      expect(r[5]).toBe(e.outcome);
      expect(r[7]).toBe(e.patientId ?? '');
      expect(r[8]).toBe(e.workstationId);
      expect(JSON.parse(r[9]!)).toEqual(e.detail);
    }

    // Formula guard: a leading quote, so the cell is text; the value is otherwise intact.
    const usernames = body.map((r) => r[2]);
    expect(usernames).toContain(`'=hyperlink("http://evil.example","click")`);
    expect(usernames).toContain(`'+1+2`);
    expect(usernames).toContain(`'@sum(a1)`);
    expect(res.text).toContain(`"'=hyperlink(""http://evil.example"",""click"")"`);
    const label = body.find((r) => r[7] === tricky.body.id)![6]!;
    expect(label).toMatch(/^'=1\+2, Robert "Bob" \(\d{9}\)$/);
    // No cell anywhere starts with a formula character.
    for (const r of body) for (const cell of r) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);

    const exports = await report(c.admin, { action: 'audit.export' });
    expect(exports.entries).toHaveLength(1);
    expect(exports.entries[0]!.username).toBe('ada.admin');
    expect(exports.entries[0]!.detail).toEqual({});
  });

  it('exports only what the filters select, and records the filters in the audit entry', async () => {
    const c = await clinicWithHistory();
    const res = await c.admin.call('auditExport', { query: { userId: c.clin.user.id, action: 'patient' } });
    expect(res.status).toBe(200);
    const rows = parseCsv(res.text).slice(1);
    expect(rows.map((r) => r[4])).toEqual(['patient.read', 'patient.read']);
    expect(rows.every((r) => r[3] === c.clin.user.id)).toBe(true);
    const exports = await report(c.admin, { action: 'audit.export' });
    expect(exports.entries[0]!.detail).toEqual({ userId: c.clin.user.id, action: 'patient' });
  });

  it('refuses an impossible date range with a 400 instead of a broken download, and audits no export', async () => {
    const c = await clinicWithHistory();
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 5000);
    const res = await fetch(`${c.t.server.origin}/api/audit/export.csv?from=2025-02-01&to=2025-01-01`, {
      headers: { cookie: [...c.admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      signal: ac.signal,
    });
    const text = await res.text();
    clearTimeout(timer);
    expect(res.status).toBe(400);
    expect(JSON.parse(text).error.fields.from).toBeTruthy();
    expect((await report(c.admin, { action: 'audit.export' })).total).toBe(0);
  });

  it('breaks off a download that fails half-way (a damaged entry) instead of leaving it hanging', async () => {
    const c = await clinicWithHistory();
    // An entry written behind the app, with a detail that is not JSON, far past the head so the app's own
    // next entries do not collide with it.
    const db = c.t.server.store.db;
    const head = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as Record<
      string,
      unknown
    >;
    db.prepare(
      `INSERT INTO audit_log (seq, id, clinic_id, at, user_id, username, action, outcome, patient_id, workstation_id, detail, prev_hash, hash)
       VALUES (@seq, @id, @clinic_id, @at, NULL, NULL, 'auth.login', 'success', NULL, @workstation_id, 'not json', @hash, @hash)`,
    ).run({ ...head, seq: Number(head.seq) + 1000, id: crypto.randomUUID() });

    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 5000);
    const outcome = await fetch(`${c.t.server.origin}/api/audit/export.csv`, {
      headers: { cookie: [...c.admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      signal: ac.signal,
    })
      .then((res) => res.text())
      .then(
        () => 'completed',
        (err: Error) => err.name,
      );
    clearTimeout(timer);
    expect(outcome).not.toBe('AbortError'); // it did not hang until the client gave up
    expect(outcome).not.toBe('completed'); // and it did not pass a truncated file off as complete
    expect(c.t.logs.some((l) => l.includes('unhandled error'))).toBe(true);
  });

  it('quotes cells per RFC 4180 and neutralises formula starts', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(42)).toBe('42');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
    expect(csvCell({ reason: 'x, "y"' })).toBe('"{""reason"":""x, \\""y\\""""}"');
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = csvCell(`${start}cmd|' /C calc'!A0`);
      expect(cell.replace(/^"/, '').startsWith(`'${start}`), JSON.stringify(cell)).toBe(true);
    }
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
  });
});

describe('audit chain verification', () => {
  it('reports ok for an untouched log, and finds an entry changed behind the app', async () => {
    const c = await clinicWithHistory();
    const total = (await report(c.admin)).total;
    const ok = await c.admin.call('auditVerify');
    expect(ok.status).toBe(200);
    // +1: viewing the report was itself audited.
    expect(ok.body).toEqual({ ok: true, checked: total + 1, problems: [] });

    // Someone with the database key edits an entry (the append-only trigger has to go first).
    const db = c.t.server.store.db;
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET detail = '{}' WHERE seq = 3`).run();
    const bad = await c.admin.call('auditVerify');
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.problems).toEqual([{ seq: 3, problem: expect.stringMatching(/altered/) }]);
  });
});
