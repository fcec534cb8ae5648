/**
 * Replication at clinic scale: `npm run bench sync [-- --scale 0.1]`. Central runs as its own process
 * (`tessera-central serve`) on loopback against PostgreSQL (DATABASE_URL, or a throwaway server); the
 * workstations are real workstation servers (encrypted SQLite) in this process.
 *
 * 1. Push of 10,000 mutations and their acknowledgement (target < 5 s), against one COPY of the same rows
 *    into PostgreSQL, and against the floor of any design: one INSERT … SELECT unnest of them into
 *    replica_rows with its indexes and row-level security (as array parameters, and as one JSON document),
 *    and against central's apply alone (sync-apply-alone.ts: how long its batches wait for PostgreSQL).
 * 2. Initial sync of a clinic with 100,000 patients and 200,000 appointments to a fresh workstation
 *    (target < 60 s), with the workstation's HTTP API timed meanwhile, against one SQLite transaction
 *    inserting the same rows.
 * 3. Change-to-other-workstation latency while online (target p95 < 2 s), against writing the row once into
 *    each database.
 * `BENCH_SYNC_ONLY=push` runs part 1 alone (a few minutes) and `BENCH_SYNC_ONLY=download` part 2 alone, for
 * comparing builds run alternately.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { DB_FILE_NAME, openDatabase } from '../../server/workstation/db/open';
import { systemActor } from '../../server/workstation/db/store';
import { migrateCentral } from '../../server/central/db/migrate';
import {
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  spawnCentral,
  type CentralTarget,
} from '../support/central';
import { createTestDatabase, releasePostgres } from '../support/postgres';
import { fastSync, joinClinic, setUpAndEnroll, waitFor, type SyncedWorkstation } from '../support/sync';
import { signIn, startTestServer, tempDir } from '../support/workstation';
import { seedPatients, rng } from './patients-data';
import { centralApplyAlone, type ApplyAlone } from './sync-apply-alone';
import { quiesce, rawCopy, rawCopyIntoReplica, rawReplicaInsert } from './sync-push-floors';
import { PUSH_BATCH_MAX } from '../../server/contracts/sync';
import type { BenchOptions } from './run';
import { ratio, report, summarise } from './stats';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

const seconds = (ms: number) => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`);
const line = (name: string, value: string, verdict = '') =>
  console.log(`${name.padEnd(56)} ${value}${verdict ? `  ${verdict}` : ''}`);
const verdict = (ok: boolean, target: string) => `target ${target}: ${ok ? 'met' : 'MISSED'}`;
/** Pushes timed in part 1; the fastest is compared with the fastest of as many COPYs. */
const PUSH_ROUNDS = 3;

/** A process's /proc stat fields from its state (field 3) on, or null when it is gone. */
function procStat(pid: number | string): string[] | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100;
/** CPU milliseconds from stat fields: utime + stime (14, 15), with the reaped children's (16, 17) too. */
const cpuMsOf = (f: string[] | null, reaped = false) =>
  f
    ? ((Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0)) * 1000) / CLOCK_TICKS
    : 0;

/**
 * CPU used so far by the throwaway PostgreSQL server on `port`: its postmaster with the backends it has
 * reaped, and its live backends. Null when no local server listens there (DATABASE_URL elsewhere).
 */
function postgresCpuMs(port: number): number | null {
  const pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const master = pids.find((pid) => {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return cmd[0]?.endsWith('postgres') && cmd.includes(String(port));
    } catch {
      return false;
    }
  });
  if (!master) return null;
  let ms = cpuMsOf(procStat(master), true);
  for (const pid of pids) {
    const f = procStat(pid);
    if (f?.[1] === master) ms += cpuMsOf(f);
  }
  return ms;
}

interface Seeded {
  patients: Record<string, unknown>[];
  appointments: Record<string, unknown>[];
}

/** Patients and appointments as a workstation's tables hold them (property names of the drizzle tables). */
function clinicRows(clinicId: string, patients: number, appointments: number): Seeded {
  const r = rng(7);
  const first = [
    'Ana',
    'Ben',
    'Chloé',
    'Dmitri',
    'Esi',
    'Farah',
    'Gustavo',
    'Hiroshi',
    'Ines',
    'Jamal',
    'Kaur',
    'Liam',
  ];
  const last = [
    'Garcia',
    'Nguyen',
    'Okafor',
    'Smith',
    "O'Brien",
    'Müller',
    'Patel',
    'Kowalski',
    'Haddad',
    'Tanaka',
  ];
  const now = new Date().toISOString();
  const p: Record<string, unknown>[] = [];
  for (let i = 0; i < patients; i++) {
    p.push({
      id: uuidv7(),
      clinicId,
      mrn: String(100_000_000 + i),
      legalFirstName: first[Math.floor(r() * first.length)],
      legalLastName: `${last[Math.floor(r() * last.length)]}${i % 97}`,
      dateOfBirth: `19${String(30 + Math.floor(r() * 70))}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`,
      phoneMobile: `512555${String(i % 10_000).padStart(4, '0')}`,
      restricted: false,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
  }
  const providers = Array.from({ length: 40 }, () => uuidv7());
  const a: Record<string, unknown>[] = [];
  const base = Date.parse('2030-01-07T14:00:00Z');
  for (let i = 0; i < appointments; i++) {
    const provider = i % providers.length;
    const slot = Math.floor(i / providers.length);
    const start = base + slot * 30 * 60_000;
    a.push({
      id: uuidv7(),
      clinicId,
      patientId: p[i % p.length]!.id,
      providerId: providers[provider],
      appointmentTypeId: providers[0],
      locationId: providers[1],
      roomId: null,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 30 * 60_000).toISOString(),
      timeZone: 'America/Chicago',
      modality: 'in_person',
      status: 'scheduled',
      statusChangedAt: now,
      note: '',
      detached: false,
      lateCancel: false,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
  }
  return { patients: p, appointments: a };
}

/** Seed central's copy of a clinic directly (as the owner): setting up 300,000 rows is not what is timed. */
async function seedCentral(ownerUrl: string, clinicId: string, seeded: Seeded): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const head = (
      await client.query<{ n: string }>('SELECT change_seq AS n FROM tessera.clinics WHERE id = $1', [
        clinicId,
      ])
    ).rows[0]!.n;
    let seq = Number(head);
    const all = [
      ...seeded.patients.map((row) => ['patients', row] as const),
      ...seeded.appointments.map((row) => ['appointments', row] as const),
    ];
    for (let i = 0; i < all.length; i += 10_000) {
      const chunk = all.slice(i, i + 10_000);
      const seqs = chunk.map(() => ++seq);
      await client.query(
        `INSERT INTO tessera.replica_rows (clinic_id, table_name, row_id, data, created_seq, created_by, seq)
         SELECT $1, k.t, k.r, k.d, k.s, 'bench', k.s FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::bigint[]) AS k(t, r, d, s)`,
        [
          clinicId,
          chunk.map((c) => c[0]),
          chunk.map((c) => c[1].id as string),
          chunk.map((c) => JSON.stringify(c[1])),
          seqs,
        ],
      );
    }
    await client.query('UPDATE tessera.clinics SET change_seq = $2 WHERE id = $1', [clinicId, seq]);
  } finally {
    await client.end();
  }
}

/** The same rows in one SQLite transaction (prepared INSERTs), in a fresh encrypted workstation database. */
function rawSqlite(seeded: Seeded): number {
  const dir = tempDir('tessera-raw-');
  const db = openDatabase(path.join(dir, DB_FILE_NAME), crypto.randomBytes(32).toString('hex'));
  try {
    const insertFor = (table: string, row: Record<string, unknown>) => {
      const cols = Object.keys(row).map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
      return db.prepare(
        `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      );
    };
    const values = (row: Record<string, unknown>) =>
      Object.values(row).map((v) => (typeof v === 'boolean' ? Number(v) : v));
    const ip = insertFor('patients', seeded.patients[0]!);
    const ia = insertFor('appointments', seeded.appointments[0]!);
    const start = performance.now();
    db.transaction(() => {
      for (const row of seeded.patients) ip.run(values(row));
      for (const row of seeded.appointments) ia.run(values(row));
    })();
    return performance.now() - start;
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ scale }: BenchOptions): Promise<void> {
  const part = process.env.BENCH_SYNC_ONLY;
  if (part !== undefined && part !== 'push' && part !== 'download')
    throw new Error(`BENCH_SYNC_ONLY is push or download, not ${part}`);
  const db = await createTestDatabase('bench_sync');
  const stations: SyncedWorkstation[] = [];
  const secret = crypto.randomBytes(32);
  await migrateCentral(db.ownerUrl, db.apiUrl);
  const port = await freePort();
  // Start-up compiles central through tsx: minutes, not seconds, on a machine shared with other builds.
  const proc = await spawnCentral(db, { port, secretHex: secret.toString('hex'), startTimeoutMs: 180_000 });
  const central: CentralTarget = { url: proc.url, db, config: { secret } };
  try {
    console.log(
      `PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded (throwaway)'}; central in its own process on loopback.`,
    );
    const operator = await signedInAdmin(central);

    // ---- 1. push ----
    const clinic = await createOrgAndClinic(operator, 'Bench Clinic');
    const a = await setUpAndEnroll(central, operator, clinic, { name: 'Bench A' });
    stations.push(a);
    await a.sync.stop();
    // The timed pushes and the COPYs they are compared with.
    const benchPush = async () => {
      const count = Math.round(10_000 * scale);
      const pgPort = Number(new URL(db.ownerUrl).port);
      const mrns = new Set<string>();
      // One push of `count` new patients, with the CPU each process spent on it (on a shared machine the wall
      // time of the same build varies several-fold, and CPU says where it went).
      const timedPush = async (round: number) => {
        seedPatients(a.t.server.store, count, { batch: 500, seed: 20260520 + round, mrns });
        const pending = a.sync.status().pending;
        const payloads = (
          a.t.server.store.db
            .prepare('SELECT table_name, row_id, payload FROM outbox WHERE pushed_at IS NULL')
            .all() as { table_name: string; row_id: string; payload: string }[]
        ).map((r) => ({ table: r.table_name, rowId: r.row_id, data: r.payload }));
        await quiesce(db.ownerUrl);
        const cpuBefore = {
          ws: process.cpuUsage(),
          central: cpuMsOf(procStat(proc.child.pid!)),
          pg: postgresCpuMs(pgPort),
        };
        const loadBefore = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
        const start = performance.now();
        await a.sync.pushPending();
        const ms = performance.now() - start;
        const wsCpu = process.cpuUsage(cpuBefore.ws);
        const pgAfter = postgresCpuMs(pgPort);
        if (a.sync.status().pending !== 0) throw new Error('push left mutations unsent');
        return {
          ms,
          pending,
          payloads,
          wsCpu: (wsCpu.user + wsCpu.system) / 1000,
          centralCpu: cpuMsOf(procStat(proc.child.pid!)) - cpuBefore.central,
          pgCpu: pgAfter === null || cpuBefore.pg === null ? null : pgAfter - cpuBefore.pg,
          load: `${loadBefore} → ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
        };
      };
      // The push is timed three times, each time 10,000 new patients into the same clinic (the later ones
      // find it fuller, never emptier), and the fastest is compared with the fastest of three COPYs below:
      // like with like, each at its best moment of a shared machine. Every push's time is printed.
      const pushes = [];
      for (let round = 0; round < PUSH_ROUNDS; round++) pushes.push(await timedPush(round));
      const fastest = pushes.reduce((x, y) => (y.ms < x.ms ? y : x));
      const { pending, payloads } = pushes[0]!;
      const pushMs = fastest.ms;
      // The raw figures are the fastest of three (each into a fresh clinic): on a shared machine a single
      // short COPY is at the mercy of the moment, and the fastest is the conservative divisor.
      let copy = { ms: Infinity, how: '' };
      let sameTable: number | null = Infinity;
      const sameTables: number[] = [];
      let floorMs = Infinity;
      let floorDocMs = Infinity;
      let alone: ApplyAlone | null = null;
      const deviceId = a.t.server.store.db.prepare('SELECT device_id FROM sync_state WHERE id = 1').pluck().get() as string;
      for (let i = 0; i < PUSH_ROUNDS; i++) {
        await quiesce(db.ownerUrl);
        const c = await rawCopy(db.ownerUrl, payloads);
        if (c.ms < copy.ms) copy = c;
        const own = await createOrgAndClinic(operator, `Copy Clinic ${i}`);
        await quiesce(db.ownerUrl);
        const same = await rawCopyIntoReplica(db.ownerUrl, own.clinicId, payloads);
        if (same !== null) sameTables.push(same);
        sameTable = same === null || sameTable === null ? null : Math.min(sameTable, same);
        const floorClinic = await createOrgAndClinic(operator, `Floor Clinic ${i}`);
        await quiesce(db.ownerUrl);
        floorMs = Math.min(floorMs, await rawReplicaInsert(db.apiUrl, floorClinic.clinicId, payloads));
        const docClinic = await createOrgAndClinic(operator, `Floor Document Clinic ${i}`);
        await quiesce(db.ownerUrl);
        floorDocMs = Math.min(
          floorDocMs,
          await rawReplicaInsert(db.apiUrl, docClinic.clinicId, payloads, 'document'),
        );
        const applyClinic = await createOrgAndClinic(operator, `Apply Clinic ${i}`);
        await quiesce(db.ownerUrl);
        const applied = await centralApplyAlone(db.apiUrl, secret, applyClinic.clinicId, deviceId, payloads);
        if (applied.refused) throw new Error(`central's apply alone refused ${applied.refused} rows`);
        if (!alone || applied.ms < alone.ms) alone = applied;
      }
      line(
        `push ${pending.toLocaleString()} mutations, acknowledged (fastest of ${PUSH_ROUNDS})`,
        seconds(pushMs),
        verdict(pushMs < 5000 * Math.max(scale, 0.01), '< 5 s at scale 1'),
      );
      line('  each push', pushes.map((x) => seconds(x.ms)).join(', '));
      line(
        '  CPU during the fastest: workstation, central, PostgreSQL',
        `${seconds(fastest.wsCpu)}, ${seconds(fastest.centralCpu)}, ${fastest.pgCpu === null ? 'not measured' : seconds(fastest.pgCpu)} (load ${fastest.load})`,
      );
      line(`  raw: one ${copy.how} of the same rows into an unindexed temp table`, seconds(copy.ms));
      ratio('  push ÷ raw (temp table)', pushMs, copy.ms);
      if (sameTable !== null) {
        line(
          `  raw: one COPY of the same rows into replica_rows (fastest of ${PUSH_ROUNDS})`,
          `${seconds(sameTable)} (each: ${sameTables.map(seconds).join(', ')})`,
        );
        line(
          '  push ÷ same-table COPY',
          `${(pushMs / sameTable).toFixed(2)}×`,
          verdict(pushMs <= 3 * sameTable, '≤ 3×'),
        );
      } else line('  raw: COPY into replica_rows', 'not measured (needs a superuser owner)');
      line('  floor: INSERT … SELECT unnest into replica_rows', seconds(floorMs));
      ratio('  push ÷ floor', pushMs, floorMs);
      line('  floor, the rows as one JSON document (jsonb_array_elements)', seconds(floorDocMs));
      ratio('  push ÷ floor (one JSON document)', pushMs, floorDocMs);
      if (sameTable !== null) ratio('  floor (one JSON document) ÷ same-table COPY', floorDocMs, sameTable);
      ratio('  floor ÷ raw (indexes, RLS, WAL: any design)', floorMs, copy.ms);
      line(
        `  central's apply alone, in-process, batches of ${PUSH_BATCH_MAX} one at a time (fastest of ${PUSH_ROUNDS})`,
        seconds(alone!.ms),
      );
      line(
        '    of which waiting for PostgreSQL',
        `${seconds(alone!.sqlMs)} (${Object.entries(alone!.byStatement).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')})`,
      );
      if (sameTable !== null) ratio('    that wait ÷ same-table COPY', alone!.sqlMs, sameTable);
      line('  throughput', `${Math.round(pending / (pushMs / 1000)).toLocaleString()} mutations/s`);
    };
    if (part !== 'download') await benchPush();
    if (part === 'push') return;
    a.sync.start();

    // ---- 2. initial sync ----
    const big = await createOrgAndClinic(operator, 'Big Clinic');
    const password = 'bench harbor lantern 42';
    await operator.client.call('createStaff', {
      params: { clinicId: big.clinicId },
      body: { username: 'front.desk', fullName: 'Front Desk', password, roles: ['front_desk'] },
    });
    const seeded = clinicRows(big.clinicId, Math.round(100_000 * scale), Math.round(200_000 * scale));
    const total = seeded.patients.length + seeded.appointments.length;
    await seedCentral(db.ownerUrl, big.clinicId, seeded);
    // A clinic's rows reach central over months of pushes, long vacuumed by the time a workstation joins:
    // the bulk load's autovacuum must not share the two cores with the timed download or the raw writes.
    await quiesce(db.ownerUrl);
    // The raw transaction runs before and after the download and the two are averaged: on a shared machine
    // the load drifts during a download of minutes, and one raw figure from either end misjudges the ratio.
    const rawBefore = rawSqlite(seeded);
    const measured = await joinAndMeasure(central, operator, big, password);
    stations.push(measured.station);
    const rawAfter = rawSqlite(seeded);
    const rawMs = (rawBefore + rawAfter) / 2;
    line(
      `initial sync: ${total.toLocaleString()} rows to a fresh workstation`,
      seconds(measured.ms),
      verdict(measured.ms < 60_000 * Math.max(scale, 0.01), '< 60 s at scale 1'),
    );
    line(
      '  raw: one SQLite transaction inserting the same rows',
      `${seconds(rawMs)} (before ${seconds(rawBefore)}, after ${seconds(rawAfter)})`,
    );
    line(
      '  sync ÷ raw',
      `${(measured.ms / rawMs).toFixed(2)}×`,
      verdict(measured.ms <= 1.5 * rawMs, '≤ 1.5×'),
    );
    line('  throughput', `${Math.round(total / (measured.ms / 1000)).toLocaleString()} rows/s`);
    report('  workstation API during the download (GET /api/session)', summarise(measured.latencies), 250);

    if (part === 'download') return;

    // ---- 3. change on one workstation -> visible on another ----
    const b = await joinClinic(central, operator, clinic, { name: 'Bench B' });
    stations.push(b);
    await new Promise((r) => setTimeout(r, 500));
    const samples: number[] = [];
    const n = Math.max(10, Math.round(50 * Math.min(1, scale * 2)));
    for (let i = 0; i < n; i++) {
      const id = uuidv7();
      const seen = new Promise<number>((resolve) => {
        const off = b.t.server.store.onChange((tables) => {
          if (!tables.has('patients')) return;
          if (b.t.server.store.db.prepare('SELECT 1 FROM patients WHERE id = ?').get(id)) {
            off();
            resolve(performance.now());
          }
        });
      });
      const t0 = performance.now();
      const now = a.t.server.store.nowIso();
      a.t.server.store.write(systemActor, (wr) => {
        wr.insert('patients', {
          id,
          clinicId: a.t.server.store.clinicId!,
          mrn: String(900_000_000 + i),
          legalFirstName: 'Live',
          legalLastName: `Change${i}`,
          dateOfBirth: '1990-01-01',
          restricted: false,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        });
        wr.audit({ action: 'patient.create', patientId: id });
      });
      samples.push((await seen) - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
    const rawOne = await rawOneRow(db.ownerUrl);
    report('change on A visible on B (live channel, while online)', summarise(samples), 2000);
    line('  raw: the row written once to PostgreSQL and once to SQLite', `${rawOne.toFixed(2)} ms`);
    ratio('  p50 ÷ raw', summarise(samples).p50, rawOne);
  } finally {
    for (const s of stations) await s.t.stop().catch(() => {});
    await proc.kill();
    await db.drop();
    await releasePostgres();
  }
}

/**
 * A fresh workstation joins the big clinic; a member of staff signs in as soon as their account has arrived
 * and uses the API every 50 ms until the download is done (its latency is what the screens would feel).
 */
async function joinAndMeasure(
  central: CentralTarget,
  operator: Awaited<ReturnType<typeof signedInAdmin>>,
  clinic: Awaited<ReturnType<typeof createOrgAndClinic>>,
  password: string,
): Promise<{ station: SyncedWorkstation; ms: number; latencies: number[] }> {
  const t = await startTestServer({ sync: fastSync() });
  const client = await t.client().launch();
  const code = await enrollmentCode(operator, clinic.clinicId);
  const start = performance.now();
  const res = await client.call('syncJoin', {
    body: { centralUrl: central.url, code, workstationName: 'Measured' },
  });
  if (res.status !== 200) throw new Error(`join: ${res.status} ${res.text}`);
  const sync = t.server.sync!;
  const latencies: number[] = [];
  await waitFor(
    'the staff account',
    () => t.server.store.db.prepare(`SELECT 1 FROM users WHERE username = 'front.desk'`).get(),
    60_000,
  );
  const signedIn = await signIn(t, client, 'front.desk', password);
  if (signedIn.status !== 200)
    throw new Error(`sign-in during the download: ${signedIn.status} ${signedIn.text}`);
  while (!sync.status().initialSync.done) {
    const t0 = performance.now();
    const r = await client.call('session');
    if (r.status !== 200) throw new Error(`API during the download: ${r.status}`);
    latencies.push(performance.now() - t0);
    await new Promise((r2) => setTimeout(r2, 50));
  }
  return { station: { t, sync, client, admin: null }, ms: performance.now() - start, latencies };
}

async function rawOneRow(ownerUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const dir = tempDir('tessera-raw1-');
  const db = openDatabase(path.join(dir, DB_FILE_NAME), crypto.randomBytes(32).toString('hex'));
  try {
    await client.query('CREATE TEMP TABLE one_row (id text, data jsonb)');
    const stmt = db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await client.query('INSERT INTO one_row VALUES ($1, $2)', [String(i), JSON.stringify({ i })]);
      stmt.run(`bench-${i}`, String(i));
      times.push(performance.now() - t0);
    }
    return summarise(times).p50;
  } finally {
    await client.end();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
