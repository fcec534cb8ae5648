/**
 * `npm run load [-- --seconds 60 --workstations 1000 --staff 500 --clinics 50 --nodes 2 --generators 2
 * --desk-every 45 --clinician-every 15]`: a
 * bounded load run against central on loopback. Central runs as its own processes (`tessera-central serve`;
 * with --nodes above 1, that many processes sharing nothing but PostgreSQL, reached through Debian's
 * PgBouncer in transaction pooling mode, their live channels on direct connections) on PostgreSQL
 * (DATABASE_URL, or a throwaway server). The workstations and staff are simulated by --generators child
 * processes of their own (workstations.ts: the product's sync client, protocol-accurate, without a local
 * database), so neither central nor this process shares an event loop with them. Prints p50/p95/p99 of every
 * central request by kind, the error count (targets: p99 < 250 ms, zero errors), the request rate, the CPU
 * central and the generators used (per request for central), the generators' event-loop lag and the load
 * average. Ends by checking every workstation reached its clinic's head. `--profile DIR` also writes each
 * central process's V8 CPU profile there and prints where its CPU went (tests/bench/cpu-profile.ts).
 */
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { migrateCentral } from '../../server/central/db/migrate';
import { latestSchemaVersion } from '../../server/workstation/db/migrations';
import {
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  spawnCentral,
  CentralClient as AdminClient,
} from '../support/central';
import { createTestDatabase, releasePostgres } from '../support/postgres';
import { startPgBouncer, type TestPgBouncer } from '../support/pgbouncer';
import { summarise } from '../bench/stats';
import { summariseProfile } from '../bench/cpu-profile';
import { cpuWindow, forkGenerator, printCpu, type Generator } from '../bench/load-meter';
import { KINDS, type FromWorkstations, type Kind, type ToWorkstations } from './workstations';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    workstations: { type: 'string', default: '1000' },
    staff: { type: 'string', default: '500' },
    clinics: { type: 'string', default: '50' },
    nodes: { type: 'string', default: '2' },
    generators: { type: 'string', default: '2' },
    scale: { type: 'string' },
    profile: { type: 'string' },
    // The load model (docs/operations.md): mean seconds between two actions of a front-desk or medical
    // assistant staff member, and of a clinician (note autosaves while typing, charts opened) in a busy hour.
    'desk-every': { type: 'string', default: '45' },
    'clinician-every': { type: 'string', default: '15' },
  },
});
// --scale 0.1: a tenth of the fleet (workstations, staff, clinics) for a quick look.
const SCALE = values.scale === undefined ? 1 : Number(values.scale);
const scaled = (v: string) => Math.max(1, Math.round(Number(v) * SCALE));
const SECONDS = Number(values.seconds);
const WORKSTATIONS = scaled(values.workstations);
const STAFF = scaled(values.staff);
const CLINICS = scaled(values.clinics);
const NODES = Number(values.nodes);
// --profile DIR: each central process writes a V8 CPU profile there when it stops (summarised at the end).
const PROFILE = values.profile ? path.resolve(values.profile) : null;
const GENERATORS = Math.max(1, Math.min(Number(values.generators), WORKSTATIONS));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

async function main() {
  const db = await createTestDatabase('load');
  await migrateCentral(db.ownerUrl, db.apiUrl);
  const secret = crypto.randomBytes(32);
  // Several processes share the database through PgBouncer (transaction pooling), as in production.
  const bouncer: TestPgBouncer | null = NODES > 1 ? await startPgBouncer(db.apiUrl, 40) : null;
  const procs: Awaited<ReturnType<typeof spawnCentral>>[] = [];
  for (let n = 0; n < NODES; n++) {
    procs.push(
      await spawnCentral(db, {
        port: await freePort(),
        secretHex: secret.toString('hex'),
        startTimeoutMs: 180_000,
        execArgv: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [],
        env: {
          // Every simulated workstation enrolls from this one address.
          TESSERA_CENTRAL_RATE_ENROLL: '100000',
          TESSERA_CENTRAL_DB_POOL: '40',
          ...(bouncer && { DATABASE_URL: bouncer.url, TESSERA_CENTRAL_LISTEN_DATABASE_URL: db.apiUrl }),
        },
      }),
    );
  }
  const proc = procs[0]!;
  let profiled: number[] = [];
  const generators: Generator<ToWorkstations, FromWorkstations>[] = [];
  try {
    console.log(
      `Load: ${WORKSTATIONS} workstations in ${CLINICS} clinics, ${STAFF} staff working, ${SECONDS} s; ${NODES} central process${NODES > 1 ? 'es behind PgBouncer (transaction pooling)' : ''}; PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'}; ${GENERATORS} load generator process${GENERATORS > 1 ? 'es' : ''}.`,
    );
    const setUpStart = performance.now();
    const operator = await signedInAdmin({ url: proc.url, db, config: { secret } });
    const clinics: Awaited<ReturnType<typeof createOrgAndClinic>>[] = [];
    for (let c = 0; c < CLINICS; c++) {
      const clinic = await createOrgAndClinic(operator, `Load Clinic ${c + 1}`);
      await operator.client.call('createStaff', {
        params: { clinicId: clinic.clinicId },
        body: {
          username: `staff.${c}`,
          fullName: `Staff ${c}`,
          password: 'load harbor lantern 42',
          roles: ['front_desk'],
        },
      });
      clinics.push(clinic);
    }
    const enrolled: { clinicId: string; url: string; credential: string }[] = [];
    // Enroll four at a time (set-up, not measured).
    let nextDesk = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (nextDesk < WORKSTATIONS) {
          const i = nextDesk++;
          const clinic = clinics[i % CLINICS]!;
          const code = await enrollmentCode(operator, clinic.clinicId);
          const res = await new AdminClient(proc.url).call('enroll', {
            body: {
              code,
              workstationId: uuidv7(),
              name: `Desk ${i}`,
              schemaVersion: latestSchemaVersion,
              clinicId: null,
            },
          });
          if (res.status !== 200) throw new Error(`enroll: ${res.status} ${res.text}`);
          enrolled[i] = {
            clinicId: clinic.clinicId,
            url: procs[i % NODES]!.url,
            credential: res.body.credential,
          };
        }
      }),
    );
    // Each generator process gets every GENERATORS-th workstation and its share of the staff.
    const file = path.join(import.meta.dirname, 'workstations.ts');
    for (let g = 0; g < GENERATORS; g++) generators.push(forkGenerator(file, `workstations-${g}`));
    await Promise.all(generators.map((g) => g.ready));
    await Promise.all(
      generators.map((gen, g) =>
        gen.ask({
          type: 'start',
          index: g,
          stations: enrolled.filter((_, i) => i % GENERATORS === g),
          staff: Math.floor(STAFF / GENERATORS) + (g < STAFF % GENERATORS ? 1 : 0),
        }),
      ),
    );
    console.log(
      `set-up: ${CLINICS} clinics, ${WORKSTATIONS} workstations enrolled, connected and at their clinic's head in ${((performance.now() - setUpStart) / 1000).toFixed(0)} s`,
    );

    const centralPids = procs.map((p) => p.child.pid!);
    const generatorPids = generators.map((g) => g.child.pid!);
    const window = cpuWindow([...centralPids, ...generatorPids]);
    const loadBefore = os.loadavg()[0]!;
    const results = (await Promise.all(
      generators.map((g) =>
        g.ask({
          type: 'go',
          deadline: Date.now() + SECONDS * 1000,
          deskEvery: Number(values['desk-every']),
          clinicianEvery: Number(values['clinician-every']),
        }),
      ),
    )) as Extract<FromWorkstations, { type: 'timed' }>[];
    const cpu = window.stop();
    const checked = (await Promise.all(generators.map((g) => g.ask({ type: 'check' })))) as Extract<
      FromWorkstations,
      { type: 'checked' }
    >[];
    const behind = checked.reduce((n, c) => n + c.behind, 0);

    const latencies = Object.fromEntries(
      KINDS.map((k) => [k, results.flatMap((r) => r.latencies[k])]),
    ) as Record<Kind, number[]>;
    const errors = results.flatMap((r) => r.errors);
    const actions = results.reduce((n, r) => n + r.actions, 0);
    const mutations = results.reduce((n, r) => n + r.mutations, 0);
    const all = Object.values(latencies).flat();
    const overall = summarise(all);
    const fmt = (n: number) => `${n.toFixed(1)} ms`;
    console.log(
      `\n${actions} staff actions (${mutations} mutations; a front-desk action every ${values['desk-every']} s, a clinician's every ${values['clinician-every']} s on average) in ${SECONDS} s; ${all.length} central requests in ${cpu.seconds.toFixed(0)} s (${(all.length / cpu.seconds).toFixed(0)}/s), ${WORKSTATIONS} live channels open`,
    );
    for (const k of KINDS) {
      const t = summarise(latencies[k]);
      if (t.n)
        console.log(
          `${k.padEnd(6)} n=${String(t.n).padStart(6)}  p50 ${fmt(t.p50).padStart(9)}  p95 ${fmt(t.p95).padStart(9)}  p99 ${fmt(t.p99).padStart(9)}  max ${fmt(t.max)}`,
        );
    }
    console.log(
      `all    n=${String(overall.n).padStart(6)}  p50 ${fmt(overall.p50).padStart(9)}  p95 ${fmt(overall.p95).padStart(9)}  p99 ${fmt(overall.p99).padStart(9)}  target p99 < 250 ms: ${overall.p99 < 250 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `errors ${errors.length}${errors.length ? ` (${[...new Set(errors)].slice(0, 5).join('; ')})` : ''}  target 0: ${errors.length === 0 ? 'met' : 'MISSED'}`,
    );
    console.log(`workstations not at their clinic's head after the run: ${behind}`);
    const centralMs = cpu.perProcessMs.slice(0, NODES).reduce((a, b) => a + b, 0);
    printCpu({
      seconds: cpu.seconds,
      requests: all.length,
      central: { label: `central (${NODES} process${NODES > 1 ? 'es' : ''})`, ms: centralMs },
      generatorsMs: cpu.totalMs - centralMs,
      machineBusyMs: cpu.machineBusyMs,
      lag: results.map((r) => r.lag),
      loadBefore,
      loadAfter: cpu.load,
    });
    if (errors.length || behind) process.exitCode = 1;
    if (PROFILE) profiled = centralPids;
  } finally {
    for (const g of generators) await g.stop();
    // A profiled process writes its profile only when it ends by itself: ask it to stop first.
    if (PROFILE) await Promise.all(procs.map((p) => stopGently(p.child)));
    for (const p of procs) await p.kill();
    await bouncer?.stop();
    await db.drop();
    await releasePostgres();
  }
  for (const pid of profiled) {
    const file = fs.readdirSync(PROFILE!).find((f) => f.includes(`.${pid}.`) && f.endsWith('.cpuprofile'));
    if (file) for (const l of summariseProfile(path.join(PROFILE!, file))) console.log(l);
  }
}

/** SIGTERM, then wait (at most 30 s) for the process to close its server and exit. */
function stopGently(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(resolve, 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

await main();
