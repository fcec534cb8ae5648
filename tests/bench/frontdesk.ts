/**
 * Front-desk speed at clinic size: patient search, one day's schedule for all providers, a provider's week
 * full of repeating series, and booking (conflict check + audit + outbox), each through the local HTTP API
 * as the screens call it. The same data is then copied to an unencrypted database and measured again, so
 * the cost of encryption shows as a ratio. `--scale 0.1` shrinks the data for a quick run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { localToInstant, weekdayOf } from '../../server/domain/scheduling/time';
import { DB_FILE_NAME, openDatabase } from '../../server/workstation/db/open';
import { Store } from '../../server/workstation/db/store';
import { seedDemo } from '../../server/workstation/seed-demo/seed';
import type { RunningServer } from '../../server/workstation/start';
import { TestClient } from '../support/workstation';
import type { BenchOptions } from './run';
import { ratio, report, summarise, type Timing } from './stats';
import { addDays } from '../../server/contracts/calendar';

const ZONE = 'America/Chicago';

interface Fixture {
  file: string;
  keyHex: string | null;
  desk: { username: string; password: string };
  busiest: string;
  providers: string[];
  patients: string[];
  searchTerms: string[];
  days: string[];
  weeks: string[];
  bookingDates: string[];
}

/**
 * A workstation server over an already seeded database, in its own process (as in the app, where the
 * screens run in another process), encrypted or — bench only — not.
 */
async function serve(file: string, keyHex: string | null): Promise<RunningServer> {
  const token = crypto.randomBytes(32).toString('base64url');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'serve-child.ts'),
      file,
      token,
      ...(keyHex ? [] : ['--plain']),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  child.stdin.end(keyHex ?? '');
  const origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
  return {
    port: Number(new URL(origin).port),
    origin,
    store: undefined as never,
    // The one token the child was started with (TestClient.launch reads the URL twice, then spends it).
    launchUrl: () => `${origin}/launch?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Session {
  server: RunningServer;
  client: TestClient;
  followUpId: string;
  locationFor(providerId: string, weekday: number): string;
}

async function open(fx: Fixture, file: string, keyHex: string | null): Promise<Session> {
  const server = await serve(file, keyHex);
  try {
    return await signedIn(fx, server);
  } catch (err) {
    await server.close();
    throw err;
  }
}

async function signedIn(fx: Fixture, server: RunningServer): Promise<Session> {
  const client = await new TestClient(server).launch();
  const login = await client.call('login', {
    body: { username: fx.desk.username, password: fx.desk.password },
  });
  if (login.status !== 200 || login.body.step !== 'done')
    throw new Error(`sign-in failed: ${login.status} ${login.text}`);
  const types = (await client.call('listAppointmentTypes')).body.appointmentTypes as {
    id: string;
    durationMinutes: number;
    modality: string;
  }[];
  const hours = new Map<string, string>();
  for (const p of fx.providers) {
    const h = (await client.call('getProviderHours', { params: { id: p } })).body.hours as {
      locationId: string;
      weekday: number;
    }[];
    for (const e of h) hours.set(`${p}|${e.weekday}`, e.locationId);
  }
  return {
    server,
    client,
    followUpId: types.find((t) => t.durationMinutes === 30 && t.modality === 'in_person')!.id,
    locationFor: (providerId, weekday) => hours.get(`${providerId}|${weekday}`)!,
  };
}

const ok = (label: string, res: { status: number; text: string }, status = 200) => {
  if (res.status !== status) throw new Error(`${label}: ${res.status} ${res.text.slice(0, 300)}`);
};

/**
 * Both databases are served at once and each request goes to one then the other, so whatever else the
 * machine is doing weighs on both sides alike and the ratio shows the encryption, not the noise.
 */
async function measure(
  fx: Fixture,
  n: number,
  a: Session,
  b: Session,
): Promise<Record<string, [Timing, Timing]>> {
  const slots: { providerId: string; startsAt: string; weekday: number }[] = [];
  for (const date of fx.bookingDates) {
    for (const providerId of fx.providers) {
      for (let m = 8 * 60; m < 12 * 60; m += 30) {
        const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        slots.push({
          providerId,
          startsAt: localToInstant(date, hhmm, ZONE).toISOString(),
          weekday: weekdayOf(date),
        });
      }
    }
  }
  const kinds: Record<string, (s: Session, i: number) => Promise<void>> = {
    search: async (s, i) => {
      ok(
        'search',
        await s.client.call('searchPatients', {
          query: { q: fx.searchTerms[i % fx.searchTerms.length], limit: 20 },
        }),
      );
    },
    day: async (s, i) => {
      const d = fx.days[i % fx.days.length]!;
      ok('day', await s.client.call('getSchedule', { query: { from: d, to: d } }));
    },
    week: async (s, i) => {
      const monday = fx.weeks[i % fx.weeks.length]!;
      ok(
        'week',
        await s.client.call('getSchedule', {
          query: { from: monday, to: addDays(monday, 6), providerId: fx.busiest },
        }),
      );
    },
    book: async (s, i) => {
      const slot = slots[i]!;
      const res = await s.client.call('createAppointment', {
        body: {
          patientId: fx.patients[i % fx.patients.length],
          providerId: slot.providerId,
          appointmentTypeId: s.followUpId,
          locationId: s.locationFor(slot.providerId, slot.weekday),
          roomId: null,
          startsAt: slot.startsAt,
        },
      });
      ok('book', res, 201);
    },
  };
  const out: Record<string, [Timing, Timing]> = {};
  for (const [kind, fn] of Object.entries(kinds)) {
    const count = kind === 'book' ? Math.min(n, slots.length - 40) : n;
    const warm = Math.min(20, count);
    for (let i = 0; i < warm; i++) {
      await fn(a, count + i);
      await fn(b, count + i);
    }
    const samples: [number[], number[]] = [[], []];
    for (let i = 0; i < count; i++) {
      for (const [side, s] of [a, b].entries()) {
        const start = process.hrtime.bigint();
        await fn(s, i);
        samples[side]!.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    out[kind] = [summarise(samples[0]), summarise(samples[1])];
  }
  return out;
}

export async function run({ scale }: BenchOptions): Promise<void> {
  const sizes = {
    patients: Math.max(200, Math.round(100_000 * scale)),
    providers: Math.max(2, Math.round(40 * scale)),
    series: Math.max(10, Math.round(2000 * scale)),
    years: 2,
  };
  const n = scale >= 1 ? 300 : 100;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-frontdesk-'));
  const keyHex = crypto.randomBytes(32).toString('hex');
  const file = path.join(dir, DB_FILE_NAME);
  try {
    console.log(
      `Seeding ${sizes.patients} patients, ${sizes.providers} providers, ${sizes.years} years of appointments, ${sizes.series} series…`,
    );
    const db = openDatabase(file, keyHex);
    const store = new Store(db);
    const seeded = await seedDemo(store, { ...sizes, seed: 7, timeZone: ZONE, log: () => undefined });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    console.log(
      `Seeded in ${seeded.seconds.toFixed(1)} s: ${count('SELECT count(*) AS n FROM appointments')} appointments, ` +
        `${count('SELECT count(*) AS n FROM appointments WHERE series_id IS NOT NULL')} of them in ${seeded.counts.series} series, ` +
        `${count('SELECT count(*) AS n FROM patients')} patients; database ${(fs.statSync(file).size / 1e6).toFixed(0)} MB.`,
    );
    const patients = db
      .prepare(
        'SELECT id, legal_last_name AS last, legal_first_name AS first, date_of_birth AS dob, mrn, phone_mobile AS phone FROM patients ORDER BY random() LIMIT 400',
      )
      .all() as {
      id: string;
      last: string;
      first: string;
      dob: string;
      mrn: string;
      phone: string;
    }[];
    const searchTerms = patients
      .slice(0, 100)
      .flatMap((p, i) => [
        p.last.slice(0, 4),
        `${p.first.slice(0, 3)} ${p.last.slice(0, 3)}`,
        i % 2 ? `${Number(p.dob.slice(5, 7))}/${Number(p.dob.slice(8))}/${p.dob.slice(0, 4)}` : p.mrn,
        p.phone.slice(-7),
      ]);
    const providers = (db.prepare('SELECT id FROM provider_profiles').all() as { id: string }[]).map(
      (r) => r.id,
    );
    const today = new Date().toISOString().slice(0, 10);
    const weekdays = (from: string, count: number) => {
      const out: string[] = [];
      for (let d = from; out.length < count; d = addDays(d, 1)) if (weekdayOf(d) <= 5) out.push(d);
      return out;
    };
    const days = weekdays(addDays(today, -30), 30);
    const monday = (d: string) => addDays(d, 1 - weekdayOf(d));
    const busiest = seeded.busiestSeriesProviderId!;
    // The weeks where the busiest provider has the most series appointments.
    const weeks = (
      db
        .prepare(
          `SELECT starts_at AS s FROM appointments WHERE provider_id = ? AND series_id IS NOT NULL AND deleted_at IS NULL`,
        )
        .all(busiest) as { s: string }[]
    ).reduce(
      (m, r) => m.set(monday(r.s.slice(0, 10)), (m.get(monday(r.s.slice(0, 10))) ?? 0) + 1),
      new Map<string, number>(),
    );
    const topWeeks = [...weeks.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log(
      `Busiest provider's top weeks hold ${topWeeks.map(([, c]) => c).join(', ')} series appointments.`,
    );
    const lastSeeded = (
      db.prepare('SELECT max(starts_at) AS s FROM appointments').get() as { s: string }
    ).s.slice(0, 10);
    const bookingDates = weekdays(addDays(lastSeeded, 7), 30);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();

    // The same bytes, decrypted: VACUUM INTO keeps the key, then rekey to nothing removes it.
    const plainFile = path.join(dir, 'plain.db');
    const source = openDatabase(file, keyHex, { migrate: false });
    source.prepare('VACUUM INTO ?').run(plainFile);
    source.close();
    const plain = openDatabase(plainFile, keyHex, { migrate: false });
    plain.pragma('journal_mode = DELETE');
    plain.pragma(`rekey=''`);
    plain.close();

    const base: Omit<Fixture, 'file' | 'keyHex'> = {
      desk: seeded.created!.desk,
      busiest,
      providers,
      patients: patients.map((p) => p.id),
      searchTerms,
      days,
      weeks: topWeeks.map(([w]) => w),
      bookingDates,
    };
    const fx = { ...base, file, keyHex };
    const a = await open(fx, file, keyHex);
    let results: Record<string, [Timing, Timing]>;
    try {
      const b = await open(fx, plainFile, null);
      try {
        results = await measure(fx, n, a, b);
      } finally {
        await b.server.close();
      }
    } finally {
      await a.server.close();
    }
    const encrypted = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v[0]]));
    const unencrypted = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v[1]]));

    const rows: [string, string, number][] = [
      ['search', 'patient search (name, DOB, MRN, phone)', 10],
      ['day', 'one day, all providers', 20],
      ['week', 'busiest provider’s week (series)', 30],
      ['book', 'book (conflict check + audit + outbox)', 5],
    ];
    console.log('\nEncrypted (as shipped):');
    for (const [k, label, target] of rows) report(label, encrypted[k]!, target);
    console.log('\nUnencrypted copy of the same data (bench only):');
    for (const [k, label] of rows) report(label, unencrypted[k]!);
    console.log('\nCost of encryption (encrypted ÷ unencrypted):');
    for (const [k, label] of rows) {
      ratio(`${label}, p50`, encrypted[k]!.p50, unencrypted[k]!.p50);
      ratio(`${label}, p95`, encrypted[k]!.p95, unencrypted[k]!.p95);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
