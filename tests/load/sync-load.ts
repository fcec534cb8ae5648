/**
 * `npm run load [-- --seconds 60 --workstations 1000 --staff 500 --clinics 50 --nodes 2]`: a bounded load run
 * against central on loopback. Central runs as its own processes (`tessera-central serve`; with --nodes above
 * 1, that many processes sharing nothing but PostgreSQL, reached through Debian's PgBouncer in transaction
 * pooling mode, their live channels on direct connections) on PostgreSQL (DATABASE_URL, or a throwaway
 * server). Each workstation is the product's sync client (the same CentralClient, headers and protocol),
 * talking to one of the processes, holding its live channel open and pulling whenever central says its
 * clinic changed; it keeps only its cursor, since a workstation's own disk is not what loads central. Staff
 * work at human pace on their workstations (register and edit patients, book appointments, with the audit
 * entries the app writes), each action pushed at once. Prints p50/p95/p99 of every central request and the
 * error count; targets: p99 < 250 ms, zero errors. Ends by checking every workstation reached its clinic's
 * head.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import type { Mutation } from '../../server/contracts/sync';
import { migrateCentral } from '../../server/central/db/migrate';
import { latestSchemaVersion } from '../../server/workstation/db/migrations';
import { CentralClient, CentralRequestError } from '../../server/workstation/sync/central-client';
import {
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  spawnCentral,
  CentralClient as AdminClient,
} from '../support/central';
import { createTestDatabase, releasePostgres } from '../support/postgres';
import { startPgBouncer, type TestPgBouncer } from '../support/pgbouncer';
import { summarise, percentile } from '../bench/stats';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    workstations: { type: 'string', default: '1000' },
    staff: { type: 'string', default: '500' },
    clinics: { type: 'string', default: '50' },
    nodes: { type: 'string', default: '2' },
  },
});
const SECONDS = Number(values.seconds);
const WORKSTATIONS = Number(values.workstations);
const STAFF = Number(values.staff);
const CLINICS = Number(values.clinics);
const NODES = Number(values.nodes);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

type Kind = 'hello' | 'push' | 'pull' | 'live';
const latencies: Record<Kind, number[]> = { hello: [], push: [], pull: [], live: [] };
const errors: string[] = [];

async function timed<T>(kind: Kind, fn: () => Promise<T>): Promise<T | null> {
  const t0 = performance.now();
  try {
    const out = await fn();
    latencies[kind].push(performance.now() - t0);
    return out;
  } catch (err) {
    errors.push(
      `${kind}: ${err instanceof CentralRequestError ? `${err.status} ${err.code}` : (err as Error).message}`,
    );
    return null;
  }
}

class Workstation {
  client: CentralClient;
  cursor = 0;
  epoch = '';
  lastAck = 0;
  nextId = 1;
  pulling: Promise<void> | null = null;
  pullAgain = false;
  live = new AbortController();
  queue: Mutation[] = [];
  pushing: Promise<void> | null = null;

  constructor(
    readonly clinicId: string,
    url: string,
    credential: string,
  ) {
    this.client = new CentralClient({
      baseUrl: url,
      credential,
      schemaVersion: latestSchemaVersion,
      now: () => new Date(),
    });
  }

  async start() {
    const h = await timed('hello', () => this.client.hello());
    if (h) this.epoch = h.epoch;
    await this.pull();
    void this.client
      .events(
        this.live.signal,
        () => {},
        (e) => {
          if (e.head > this.cursor) void this.pull();
        },
      )
      .catch((err: unknown) => errors.push(`live: ${(err as Error).message}`));
  }

  pull(): Promise<void> {
    if (this.pulling) {
      this.pullAgain = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      do {
        this.pullAgain = false;
        for (;;) {
          const page = await timed('pull', () => this.client.pull(this.cursor, 500));
          if (!page) return;
          this.cursor = page.cursor;
          if (!page.hasMore) break;
        }
      } while (this.pullAgain);
    })().finally(() => (this.pulling = null));
    return this.pulling;
  }

  /** What the app writes for one action: the row and its audit entry, pushed at once. */
  act(table: string, row: Record<string, unknown>, op: 'insert' | 'update', changed: string[] | null) {
    const now = new Date().toISOString();
    const audit = {
      id: uuidv7(),
      seq: this.nextId,
      clinicId: this.clinicId,
      at: now,
      action: `${table}.${op}`,
    };
    this.queue.push(
      {
        mutationId: this.nextId++,
        table,
        rowId: row.id as string,
        op,
        row,
        changedFields: changed,
        seenSeq: this.cursor,
        createdAt: now,
      },
      {
        mutationId: this.nextId++,
        table: 'audit_log',
        rowId: audit.id,
        op: 'insert',
        row: audit,
        changedFields: null,
        seenSeq: null,
        createdAt: now,
      },
    );
    void this.push();
  }

  push(): Promise<void> {
    if (this.pushing) return this.pushing;
    this.pushing = (async () => {
      while (this.queue.length) {
        const batch = this.queue.splice(0, 100);
        const res = await timed('push', () => this.client.push(this.epoch, this.lastAck, batch));
        if (!res) {
          this.queue.unshift(...batch);
          return;
        }
        this.lastAck = res.lastMutationId;
      }
    })().finally(() => (this.pushing = null));
    return this.pushing;
  }
}

async function main() {
  const db = await createTestDatabase('load');
  await migrateCentral(db.ownerUrl, db.apiUrl);
  const secret = crypto.randomBytes(32);
  // Several processes share the database through PgBouncer (transaction pooling), as in production.
  const bouncer: TestPgBouncer | null = NODES > 1 ? await startPgBouncer(db.apiUrl, 40) : null;
  const procs = [];
  for (let n = 0; n < NODES; n++) {
    procs.push(
      await spawnCentral(db, {
        port: await freePort(),
        secretHex: secret.toString('hex'),
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
  const stations: Workstation[] = [];
  try {
    console.log(
      `Load: ${WORKSTATIONS} workstations in ${CLINICS} clinics, ${STAFF} staff working, ${SECONDS} s; ${NODES} central process${NODES > 1 ? 'es behind PgBouncer (transaction pooling)' : ''}; PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'}.`,
    );
    const operator = await signedInAdmin({ url: proc.url, db, config: { secret } });
    const clinics = [];
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
    for (let i = 0; i < WORKSTATIONS; i++) {
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
      stations.push(new Workstation(clinic.clinicId, procs[i % NODES]!.url, res.body.credential));
    }
    await Promise.all(stations.map((s) => s.start()));
    for (const k of Object.keys(latencies) as Kind[]) latencies[k].length = 0;
    errors.length = 0;

    // The simulated workstations share this one process: its own event loop's lag is part of every
    // latency measured here (real workstations are separate computers), so it is reported beside them.
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const loadBefore = os.loadavg()[0]!;

    // Staff: each at one workstation, one action every 1.5-4.5 s.
    const deadline = Date.now() + SECONDS * 1000;
    const patientsOf = new Map<Workstation, string[]>();
    const staff = Array.from({ length: STAFF }, (_, i) => stations[i % stations.length]!);
    let actions = 0;
    await Promise.all(
      staff.map(async (w, i) => {
        const providerId = uuidv7();
        while (Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 1500 + Math.random() * 3000));
          const now = new Date().toISOString();
          const mine = patientsOf.get(w) ?? [];
          const roll = Math.random();
          if (roll < 0.4 || mine.length === 0) {
            const id = uuidv7();
            mine.push(id);
            patientsOf.set(w, mine);
            w.act(
              'patients',
              {
                id,
                clinicId: w.clinicId,
                mrn: String(100_000_000 + actions * 100 + i),
                legalFirstName: 'Load',
                legalLastName: `Patient${actions}`,
                dateOfBirth: '1980-02-03',
                restricted: false,
                createdAt: now,
                updatedAt: now,
                deletedAt: null,
              },
              'insert',
              null,
            );
          } else if (roll < 0.7) {
            const id = mine[Math.floor(Math.random() * mine.length)]!;
            w.act(
              'patients',
              {
                id,
                clinicId: w.clinicId,
                phoneMobile: `512555${String(actions % 10_000).padStart(4, '0')}`,
                updatedAt: now,
              },
              'update',
              ['phoneMobile', 'updatedAt'],
            );
          } else {
            const start = Date.parse('2031-01-06T15:00:00Z') + (actions % 5000) * 30 * 60_000;
            w.act(
              'appointments',
              {
                id: uuidv7(),
                clinicId: w.clinicId,
                patientId: mine[0],
                providerId,
                appointmentTypeId: providerId,
                locationId: providerId,
                roomId: null,
                startsAt: new Date(start).toISOString(),
                endsAt: new Date(start + 1_800_000).toISOString(),
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
              },
              'insert',
              null,
            );
          }
          actions++;
        }
      }),
    );
    lag.disable();
    const loadAfter = os.loadavg()[0]!;
    // Let the last pushes and pulls land, then check everyone converged.
    await Promise.all(stations.map((s) => s.push()));
    await new Promise((r) => setTimeout(r, 2000));
    await Promise.all(stations.map((s) => s.pull()));
    const heads = new Map<string, number>();
    for (const s of stations) {
      const h = await timed('hello', () => s.client.hello());
      if (h) heads.set(s.clinicId, h.head);
    }
    const behind = stations.filter((s) => s.cursor !== heads.get(s.clinicId)).length;

    const all = Object.values(latencies).flat();
    const overall = summarise(all);
    const fmt = (n: number) => `${n.toFixed(1)} ms`;
    console.log(`\n${actions} staff actions (${actions * 2} mutations) in ${SECONDS} s`);
    for (const k of Object.keys(latencies) as Kind[]) {
      const t = summarise(latencies[k]);
      if (t.n)
        console.log(
          `${k.padEnd(6)} n=${String(t.n).padStart(6)}  p50 ${fmt(t.p50).padStart(9)}  p95 ${fmt(t.p95).padStart(9)}  p99 ${fmt(t.p99).padStart(9)}  max ${fmt(t.max)}`,
        );
    }
    const sorted = [...all].sort((a, b) => a - b);
    console.log(
      `all    n=${String(overall.n).padStart(6)}  p99 ${fmt(percentile(sorted, 99))}  target p99 < 250 ms: ${overall.p99 < 250 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `errors ${errors.length}${errors.length ? ` (${[...new Set(errors)].slice(0, 5).join('; ')})` : ''}  target 0: ${errors.length === 0 ? 'met' : 'MISSED'}`,
    );
    console.log(`workstations not at their clinic's head after the run: ${behind}`);
    console.log(
      `load generator's event-loop lag (the simulated workstations' process): p50 ${fmt(lag.percentile(50) / 1e6)}, p99 ${fmt(lag.percentile(99) / 1e6)}, max ${fmt(lag.max / 1e6)}`,
    );
    console.log(
      `machine load average (1 min) at the start and end of the timed run: ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${os.cpus().length} cores`,
    );
    if (errors.length || behind) process.exitCode = 1;
  } finally {
    for (const s of stations) s.live.abort();
    for (const p of procs) await p.kill();
    await bouncer?.stop();
    await db.drop();
    await releasePostgres();
  }
}

await main();
