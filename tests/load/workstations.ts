/**
 * A load generator process for `npm run load` (sync-load.ts forks several): it simulates its share of the
 * enrolled workstations and the staff working at them. Each workstation is the product's sync client (the
 * same CentralClient, headers, status report and protocol) driven as the product's SyncEngine drives it: a
 * hello, then cycles (push what is unsent, pull to the head) after each local write, whenever the live
 * channel says the clinic moved past its cursor, and on the 30-second timer. Staff act at the rates of the
 * load model (docs/operations.md): front desk and medical assistants, and clinicians writing notes (the
 * editor autosaves while they type). A workstation keeps only its cursor and outbox: its own disk (SQLite)
 * is not what loads central, and one real workstation per simulated one would make this process, not
 * central, the bottleneck (the sync tests and `npm run bench sync` cover the real client end to end).
 * Messages: `start` (enrolled credentials) → ready; `go` (deadline, rates) → timed results; `check` → how
 * many workstations are not at their clinic's head.
 */
import { v7 as uuidv7 } from 'uuid';
import { PUSH_BATCH_MAX, type Mutation } from '../../server/contracts/sync';
import { latestSchemaVersion } from '../../server/workstation/db/migrations';
import { CentralClient, CentralRequestError } from '../../server/workstation/sync/central-client';
import {
  DEFAULT_POLL_MS,
  FIRST_PULL_PAGE,
  LOCAL_CHANGE_DELAY_MS,
} from '../../server/workstation/sync/engine';
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
  | {
      type: 'go';
      deadline: number;
      /** Mean seconds between two actions of a front-desk / medical-assistant staff member, of a clinician. */
      deskEvery: number;
      clinicianEvery: number;
    }
  | { type: 'check' };

export type FromWorkstations =
  | { type: 'ready' }
  | {
      type: 'timed';
      latencies: Record<Kind, number[]>;
      errors: string[];
      actions: number;
      mutations: number;
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

/**
 * One workstation, as the product's SyncEngine (server/workstation/sync/engine.ts) drives central: a cycle
 * pushes everything unsent and then pulls to the head; cycles run one at a time (a request during one runs
 * another after it) and start LOCAL_CHANGE_DELAY_MS after a local write, at once when the live channel says
 * the clinic's head passed this cursor, and every DEFAULT_POLL_MS anyway. Every request carries the status
 * header the engine sends (app version, changes waiting, conflicts, cursor; recounted at most once a second).
 */
class Workstation {
  client: CentralClient;
  cursor = 0;
  epoch = '';
  lastAck = 0;
  nextId = 1;
  running: Promise<void> | null = null;
  again = false;
  timer: NodeJS.Timeout | null = null;
  poll: NodeJS.Timeout | null = null;
  live = new AbortController();
  queue: Mutation[] = [];
  patients: string[] = [];
  notes = new Map<string, number>();
  providerId = uuidv7();
  report: { at: number; text: string } | null = null;
  /** As the engine: the newest head the live channel told of, and how often a cycle ended short of it. */
  heard = 0;
  shortOfHeard = 0;

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
      status: () => this.status(),
    });
  }

  status(): string {
    const now = Date.now();
    if (this.report && now - this.report.at < 1000) return this.report.text;
    const text = `app=0.1.0; pending=${this.queue.length}; conflicts=0; cursor=${this.cursor}`;
    this.report = { at: now, text };
    return text;
  }

  async start() {
    const h = await timed('hello', () => this.client.hello());
    if (h) this.epoch = h.epoch;
    await this.cycle();
    void this.client
      .events(
        this.live.signal,
        () => {},
        (e) => {
          this.heard = Math.max(this.heard, e.head);
          if (e.head > this.cursor) this.kick();
        },
      )
      .catch((err: unknown) => {
        if (!this.live.signal.aborted) errors.push(`live: ${(err as Error).message}`);
      });
    // The slow timer, at a random phase (workstations are not switched on in the same second).
    setTimeout(() => {
      if (this.live.signal.aborted) return;
      this.kick();
      this.poll = setInterval(() => this.kick(), DEFAULT_POLL_MS);
    }, Math.random() * DEFAULT_POLL_MS);
  }

  /** As SyncEngine.kick: a cycle after `delayMs` (sooner wins); during one, another after it. */
  kick(delayMs = 0) {
    if (this.live.signal.aborted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.cycle();
    }, delayMs);
  }

  /** Until the cycle running now and any already asked for (a local write's, a live event's) are done. */
  async settled(): Promise<void> {
    while (this.running || this.timer) {
      if (this.running) await this.running;
      else await new Promise((r) => setTimeout(r, LOCAL_CHANGE_DELAY_MS));
    }
  }

  cycle(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      do {
        this.again = false;
        if (!(await this.push())) return;
        if (!(await this.pull())) return;
      } while (this.again);
      // As SyncEngine.#pullAgainIfShort: the answering node had not heard of the head yet.
      if (this.cursor >= this.heard) this.shortOfHeard = 0;
      else if (++this.shortOfHeard <= 3) setTimeout(() => this.kick(), 100 * this.shortOfHeard);
    })().finally(() => (this.running = null));
    return this.running;
  }

  async pull(): Promise<boolean> {
    for (;;) {
      const page = await timed('pull', () => this.client.pull(this.cursor, FIRST_PULL_PAGE));
      if (!page) return false;
      this.cursor = page.cursor;
      if (!page.hasMore) return true;
    }
  }

  async push(): Promise<boolean> {
    while (this.queue.length) {
      const batch = this.queue.slice(0, PUSH_BATCH_MAX);
      const res = await timed('push', () =>
        this.client.push(this.epoch, this.lastAck, JSON.stringify(batch)),
      );
      if (!res) return false;
      this.queue.splice(0, batch.length);
      this.lastAck = res.lastMutationId;
    }
    return true;
  }

  /** What the app writes for one action: the row (if any) and its audit entry, sent by the next cycle. */
  act(
    action: string,
    change: {
      table: string;
      row: Record<string, unknown>;
      op: 'insert' | 'update';
      changed: string[] | null;
    } | null,
  ) {
    const now = new Date().toISOString();
    const audit = {
      id: uuidv7(),
      seq: this.nextId,
      clinicId: this.clinicId,
      at: now,
      action,
    };
    if (change)
      this.queue.push({
        mutationId: this.nextId++,
        table: change.table,
        rowId: change.row.id as string,
        op: change.op,
        row: change.row,
        changedFields: change.changed,
        seenSeq: this.cursor,
        createdAt: now,
      });
    this.queue.push({
      mutationId: this.nextId++,
      table: 'audit_log',
      rowId: audit.id,
      op: 'insert',
      row: audit,
      changedFields: null,
      seenSeq: null,
      createdAt: now,
    });
    this.kick(LOCAL_CHANGE_DELAY_MS);
  }

  stop() {
    this.live.abort();
    if (this.poll) clearInterval(this.poll);
    if (this.timer) clearTimeout(this.timer);
  }
}

let stations: Workstation[] = [];
let staffCount = 0;
let index = 0;

const NOTE_TEXT = 'Patient seen for follow-up. '.repeat(60); // a draft of about 1.7 KB, as typed so far

/**
 * One action of a front-desk or medical-assistant staff member at `w`: register a patient (25%), edit a
 * patient's phone (25%), book a visit (20%), check a patient in (15%) or open a chart (15%: the audit entry
 * alone — reading a chart is audited, and the audit log replicates).
 */
function deskAction(w: Workstation, n: number) {
  const now = new Date().toISOString();
  const roll = Math.random();
  // Unique across the generator processes: each has its own block of numbers.
  const mrn = String(100_000_000 + index * 10_000_000 + n);
  if (roll < 0.25 || w.patients.length === 0) {
    const id = uuidv7();
    w.patients.push(id);
    const row = {
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
    };
    w.act('patient.create', { table: 'patients', row, op: 'insert', changed: null });
  } else if (roll < 0.5) {
    const id = w.patients[Math.floor(Math.random() * w.patients.length)]!;
    const row = {
      id,
      clinicId: w.clinicId,
      phoneMobile: `512555${String(n % 10_000).padStart(4, '0')}`,
      updatedAt: now,
    };
    w.act('patient.update', { table: 'patients', row, op: 'update', changed: ['phoneMobile', 'updatedAt'] });
  } else if (roll < 0.85) {
    const start = Date.parse('2031-01-06T15:00:00Z') + ((index * 100_000 + n) % 50_000) * 30 * 60_000;
    const checkIn = roll >= 0.7;
    const row = {
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
      status: checkIn ? 'checked_in' : 'scheduled',
      statusChangedAt: now,
      note: '',
      detached: false,
      lateCancel: false,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    w.act(checkIn ? 'appointment.check_in' : 'appointment.create', {
      table: 'appointments',
      row,
      op: 'insert',
      changed: null,
    });
  } else {
    w.act('patient.view', null);
  }
}

/**
 * One action of a clinician at `w`: an autosave of the note being typed (80%: the whole note row, as the
 * write path sends it, with the fields a save changes) or opening a chart (20%, the audit entry alone).
 */
function clinicianAction(w: Workstation, n: number) {
  const now = new Date().toISOString();
  if (Math.random() < 0.2 || w.patients.length === 0) {
    if (w.patients.length === 0) w.patients.push(uuidv7());
    w.act('patient.view', null);
    return;
  }
  // A clinician writes one note per visit: a new one now and then, autosaves of it in between.
  let id = [...w.notes.keys()].at(-1);
  const fresh = !id || Math.random() < 1 / 40;
  if (fresh) id = uuidv7();
  const version = (w.notes.get(id!) ?? 0) + 1;
  w.notes.set(id!, version);
  const row = {
    id,
    clinicId: w.clinicId,
    patientId: w.patients.at(-1),
    encounterId: null,
    templateId: w.providerId,
    title: 'Progress note',
    status: 'draft',
    restricted: false,
    authorId: w.providerId,
    content: JSON.stringify({ fields: { subjective: NOTE_TEXT.slice(0, 200 + (n % 1500)) } }),
    version,
    lastSavedAt: now,
    lastSavedBy: w.providerId,
    lastSavedWorkstation: w.providerId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  w.act('note.draft_save', {
    table: 'notes',
    row,
    op: fresh ? 'insert' : 'update',
    changed: fresh ? null : ['content', 'version', 'lastSavedAt', 'updatedAt'],
  });
}

/** A think time as TPC-W draws one (clause 5.3): negative exponential with this mean, cut at ten times it. */
const thinkMs = (meanS: number) => Math.min(-Math.log(1 - Math.random()), 10) * meanS * 1000;

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
    const mutationsBefore = stations.reduce((n, s) => n + s.nextId - 1, 0);
    // Staff: each at one workstation; every third a clinician (see docs/operations.md, the load model).
    await Promise.all(
      Array.from({ length: staffCount }, async (_, i) => {
        const w = stations[i % stations.length]!;
        const clinician = i % 3 === 2;
        while (Date.now() < m.deadline) {
          // A think time running past the deadline ends the run on time, not when it ends.
          const think = thinkMs(clinician ? m.clinicianEvery : m.deskEvery);
          await new Promise((r) => setTimeout(r, Math.min(think, m.deadline - Date.now())));
          if (Date.now() >= m.deadline) break;
          (clinician ? clinicianAction : deskAction)(w, actions++);
        }
      }),
    );
    // Let the last cycles land (their latencies count: they are part of the run). Only those running or
    // already asked for: starting one on every workstation here made all 1,000 pull in the same instant,
    // a burst no fleet makes, whose queueing was the whole p99 of the run.
    await Promise.all(stations.map((s) => s.settled()));
    const cpu = process.cpuUsage(cpu0);
    lag.stop();
    return {
      type: 'timed',
      latencies,
      errors,
      actions,
      mutations: stations.reduce((n, s) => n + s.nextId - 1, 0) - mutationsBefore,
      lag: lag.read(),
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  }
  // check: every process has pushed; pull what the live channel announced and compare with the head.
  await Promise.all(stations.map((s) => s.cycle()));
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
  for (const s of stations) s.stop();
  return { type: 'checked', behind };
});
