/**
 * A load generator process for `npm run load` (sync-load.ts forks several): it simulates its share of the
 * enrolled workstations and the staff working at them. Each workstation is the product's sync client (the
 * same CentralClient, headers and protocol): it says hello, pulls to its clinic's head, holds its live
 * channel open and pulls whenever central says its clinic changed, and pushes each staff action (the row and
 * its audit entry, as the app writes them) at once. It keeps only its cursor and outbox: a workstation's own
 * disk (SQLite) is not what loads central, and one real workstation per simulated one would make this
 * process, not central, the bottleneck (the sync tests and `npm run bench sync` cover the real client end to
 * end). Messages: `start` (enrolled credentials) → ready; `go` (deadline) → timed results; `check` → how
 * many workstations are not at their clinic's head.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Mutation } from '../../server/contracts/sync';
import { latestSchemaVersion } from '../../server/workstation/db/migrations';
import { CentralClient, CentralRequestError } from '../../server/workstation/sync/central-client';
import { lagMeter, serveGenerator, type LagSummary } from '../bench/load-meter';

export type Kind = 'hello' | 'push' | 'pull' | 'live';
export const KINDS: Kind[] = ['hello', 'push', 'pull', 'live'];

export type ToWorkstations =
  | {
      type: 'start';
      index: number;
      stations: { clinicId: string; url: string; credential: string }[];
      /** How many staff work at this process's workstations (one each, round robin). */
      staff: number;
    }
  | { type: 'go'; deadline: number }
  | { type: 'check' };

export type FromWorkstations =
  | { type: 'ready' }
  | {
      type: 'timed';
      latencies: Record<Kind, number[]>;
      errors: string[];
      actions: number;
      lag: LagSummary;
      cpuMs: number;
    }
  | { type: 'checked'; behind: number };

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
  patients: string[] = [];
  providerId = uuidv7();

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
      .catch((err: unknown) => {
        if (!this.live.signal.aborted) errors.push(`live: ${(err as Error).message}`);
      });
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

let stations: Workstation[] = [];
let staffCount = 0;
let index = 0;

/** One staff action at `w`: register a patient (40%), edit one's phone (30%) or book a visit (30%). */
function staffAction(w: Workstation, n: number) {
  const now = new Date().toISOString();
  const roll = Math.random();
  // Unique across the generator processes: each has its own block of numbers.
  const mrn = String(100_000_000 + index * 10_000_000 + n);
  if (roll < 0.4 || w.patients.length === 0) {
    const id = uuidv7();
    w.patients.push(id);
    w.act(
      'patients',
      {
        id,
        clinicId: w.clinicId,
        mrn,
        legalFirstName: 'Load',
        legalLastName: `Patient${n}`,
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
    const id = w.patients[Math.floor(Math.random() * w.patients.length)]!;
    w.act(
      'patients',
      {
        id,
        clinicId: w.clinicId,
        phoneMobile: `512555${String(n % 10_000).padStart(4, '0')}`,
        updatedAt: now,
      },
      'update',
      ['phoneMobile', 'updatedAt'],
    );
  } else {
    const start = Date.parse('2031-01-06T15:00:00Z') + ((index * 100_000 + n) % 50_000) * 30 * 60_000;
    w.act(
      'appointments',
      {
        id: uuidv7(),
        clinicId: w.clinicId,
        patientId: w.patients[0],
        providerId: w.providerId,
        appointmentTypeId: w.providerId,
        locationId: w.providerId,
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
}

serveGenerator<ToWorkstations, FromWorkstations>(async (m) => {
  if (m.type === 'start') {
    index = m.index;
    staffCount = m.staff;
    stations = m.stations.map((s) => new Workstation(s.clinicId, s.url, s.credential));
    // Connect in small waves so start-up is not a thundering herd that times out.
    for (let i = 0; i < stations.length; i += 50)
      await Promise.all(stations.slice(i, i + 50).map((s) => s.start()));
    return { type: 'ready' };
  }
  if (m.type === 'go') {
    for (const k of KINDS) latencies[k].length = 0;
    errors.length = 0;
    const lag = lagMeter();
    const cpu0 = process.cpuUsage();
    let actions = 0;
    // Staff: each at one workstation, one action every 1.5-4.5 s.
    await Promise.all(
      Array.from({ length: staffCount }, async (_, i) => {
        const w = stations[i % stations.length]!;
        while (Date.now() < m.deadline) {
          await new Promise((r) => setTimeout(r, 1500 + Math.random() * 3000));
          if (Date.now() >= m.deadline) break;
          staffAction(w, actions++);
        }
      }),
    );
    // Let the last pushes land (their latencies count: they are part of the run).
    await Promise.all(stations.map((s) => s.push()));
    const cpu = process.cpuUsage(cpu0);
    lag.stop();
    return {
      type: 'timed',
      latencies,
      errors,
      actions,
      lag: lag.read(),
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  }
  // check: every process has pushed; pull what the live channel announced and compare with the head.
  await Promise.all(stations.map((s) => s.pull()));
  let behind = 0;
  const heads = new Map<string, number>();
  for (const s of stations) {
    let head = heads.get(s.clinicId);
    if (head === undefined) {
      const h = await s.client.hello().catch(() => null);
      head = h?.head ?? -1;
      heads.set(s.clinicId, head);
    }
    if (s.cursor !== head) behind++;
  }
  for (const s of stations) s.live.abort();
  return { type: 'checked', behind };
});
