import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { systemActor } from '../../server/workstation/db/store';
import type { SyncEngine } from '../../server/workstation/sync/engine';
import type { FetchLike } from '../../server/workstation/sync/central-client';
import { enrollmentCode, type CentralAdmin, type TestCentral, type TestClinic } from './central';
import {
  setUpClinic,
  signIn,
  startTestServer,
  type ClinicAdmin,
  type TestClient,
  type TestClock,
  type TestServer,
} from './workstation';

/** Workstations replicating with a test central: set up and enrolled, or joined fresh. */

export interface SyncedWorkstation {
  t: TestServer;
  sync: SyncEngine;
  /** A launched client; signed in as the clinic's administrator when `admin` is set. */
  client: TestClient;
  admin: ClinicAdmin | null;
}

/** Fast retries: tests wait on behaviour, not on production back-off. */
export const fastSync = (fetch?: FetchLike, pushBatch?: number, pollMs = 1_000) => ({
  backoffMs: [50, 100, 200, 400],
  pollMs,
  fetch,
  pushBatch,
});

export interface WorkstationOptions {
  clock?: TestClock;
  fetch?: FetchLike;
  name?: string;
  /** Mutations per push (default: PUSH_BATCH_MAX), for tests that stop a push in a given batch. */
  pushBatch?: number;
  /** Serve the built screens (dist/renderer) too, for browser tests. */
  rendererDir?: string;
  /** The slow timer (default 1 s): longer for tests that must tell the live channel's work from it. */
  pollMs?: number;
}

/** A workstation set up on its own (first-run), then enrolled by its administrator through the API. */
export async function setUpAndEnroll(
  central: Pick<TestCentral, 'url'>,
  admin: CentralAdmin,
  clinic: TestClinic,
  opts: WorkstationOptions = {},
): Promise<SyncedWorkstation & { admin: ClinicAdmin }> {
  const t = await startTestServer({
    clock: opts.clock,
    sync: fastSync(opts.fetch, opts.pushBatch, opts.pollMs),
    rendererDir: opts.rendererDir,
  });
  const client = await t.client().launch();
  // Set up in central's zone for the clinic: the workstation's zone decides its board, check-in and dates.
  const creds = await setUpClinic(t, client, { clinicName: clinic.name, timeZone: clinic.timeZone });
  const res = await signIn(t, client, creds.username, creds.password, creds.totpSecret);
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${res.text}`);
  // A long idle time-out: the tests move the workstation clocks.
  await client.call('updateSecuritySettings', { body: { idleTimeoutMinutes: 240 } });
  const code = await enrollmentCode(admin, clinic.clinicId);
  const enrolled = await client.call('syncEnroll', {
    body: { centralUrl: central.url, code, workstationName: opts.name ?? 'Front desk 1' },
  });
  if (enrolled.status !== 200) throw new Error(`syncEnroll: ${enrolled.status} ${enrolled.text}`);
  const sync = t.server.sync!;
  await sync.syncNow();
  // The first workstation of an empty clinic gives the clinic its own id (see enrollment.ts on central).
  clinic.clinicId = t.server.store.clinicId!;
  return { t, sync, client, admin: creds };
}

/** A fresh workstation that joins the clinic from the set-up screen and downloads it. */
export async function joinClinic(
  central: Pick<TestCentral, 'url'>,
  admin: CentralAdmin,
  clinic: TestClinic,
  opts: WorkstationOptions = {},
): Promise<SyncedWorkstation> {
  const t = await startTestServer({
    clock: opts.clock,
    sync: fastSync(opts.fetch, opts.pushBatch, opts.pollMs),
  });
  const client = await t.client().launch();
  const code = await enrollmentCode(admin, clinic.clinicId);
  const joined = await client.call('syncJoin', {
    body: { centralUrl: central.url, code, workstationName: opts.name ?? 'Exam room 2' },
  });
  if (joined.status !== 200) throw new Error(`syncJoin: ${joined.status} ${joined.text}`);
  const sync = t.server.sync!;
  await sync.syncNow();
  return { t, sync, client, admin: null };
}

export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Sync every workstation until none has anything to send and all have pulled what central has. */
export async function settle(...stations: SyncedWorkstation[]): Promise<void> {
  for (let round = 0; round < 5; round++) {
    for (const s of stations) await s.sync.syncNow();
    if (stations.every((s) => s.sync.status().pending === 0)) {
      for (const s of stations) await s.sync.syncNow();
      return;
    }
  }
  throw new Error('workstations did not settle');
}

export const count = (t: TestServer, sql: string, ...params: unknown[]) =>
  (t.server.store.db.prepare(sql).get(...params) as { n: number }).n;

/** A query against central's database as its owner (bypasses nothing the test wants to prove). */
export async function centralQuery<R extends pg.QueryResultRow = any>(
  central: TestCentral,
  sql: string,
  params: unknown[] = [],
) {
  const c = new pg.Client({ connectionString: central.db.ownerUrl });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/**
 * A network between a workstation and central that tests can break: offline (every request fails before
 * reaching central), or answers lost after central committed (`dropAnswers` pushes), or a hook that runs
 * while a push is in flight.
 */
export class FaultyNetwork {
  offline = false;
  dropAnswers = 0;
  dropped = 0;
  /** Go offline right after losing an answer (holds the retry back until the test looks). */
  offlineAfterDrop = false;
  duringPush: (() => void | Promise<void>) | null = null;
  /** Every push answer that arrived: its status and Retry-After header. */
  readonly pushAnswers: { status: number; retryAfter: string | null }[] = [];

  readonly fetch: FetchLike = async (input, init) => {
    if (this.offline) throw new TypeError('fetch failed (test network is offline)');
    const isPush = input.endsWith('/v1/sync/push');
    const record = (res: Response) => {
      if (isPush) this.pushAnswers.push({ status: res.status, retryAfter: res.headers.get('retry-after') });
      return res;
    };
    if (isPush && this.duringPush) {
      const hook = this.duringPush;
      this.duringPush = null;
      const pending = fetch(input, init).then(record);
      // Observed below; a rejection while the hook runs must not count as unhandled.
      pending.catch(() => {});
      await hook();
      return pending;
    }
    const res = record(await fetch(input, init));
    if (isPush && this.dropAnswers > 0) {
      this.dropAnswers--;
      this.dropped++;
      if (this.offlineAfterDrop) this.offline = true;
      // Central has committed; the answer never arrives.
      await res.arrayBuffer();
      throw new TypeError('fetch failed (test network lost the answer)');
    }
    return res;
  };
}

/**
 * Hold a push in the middle of applying its batch, provably: an uncommitted replica_log row with the key
 * of an audit entry the batch carries makes the push's `INSERT … ON CONFLICT DO NOTHING` (a part of the
 * batch's one write statement, storeBatch, read after its rows) wait for this transaction, so the push's
 * transaction is open, has written, and has not committed while the test does what it wants (kill
 * central, terminate the backend). `release` rolls the hold back; the real entry then goes in.
 */
export async function holdPushMidApply(
  central: Pick<TestCentral, 'db'>,
  clinicId: string,
  auditRowId: string,
): Promise<{ blockedBackend(): Promise<number>; release(): Promise<void> }> {
  const hold = new pg.Client({ connectionString: central.db.ownerUrl });
  await hold.connect();
  await hold.query('BEGIN');
  // Without the foreign-key check: it would share-lock the clinic row, which the push locks first.
  await hold.query('SET LOCAL session_replication_role = replica');
  await hold.query(
    `INSERT INTO tessera.replica_log (clinic_id, table_name, row_id, data) VALUES ($1, 'audit_log', $2, '{}')`,
    [clinicId, auditRowId],
  );
  return {
    // The API role's backend that waits on a lock inside a transaction that has written (has an xid).
    blockedBackend: () =>
      waitFor(
        'a push to wait in the middle of applying its batch',
        async () => {
          const c = new pg.Client({ connectionString: central.db.ownerUrl });
          await c.connect();
          try {
            const r = await c.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND usename = $1 AND wait_event_type = 'Lock'
                  AND backend_xid IS NOT NULL AND query LIKE '%INSERT INTO replica_log%'`,
              [central.db.apiRole],
            );
            return r.rows[0]?.pid;
          } finally {
            await c.end();
          }
        },
        20_000,
      ),
    release: async () => {
      await hold.query('ROLLBACK').catch(() => {});
      await hold.end();
    },
  };
}

/** The id of the n-th audit entry (0-based) still waiting in a workstation's outbox. */
export const unsentAuditEntry = (w: SyncedWorkstation, n: number) =>
  (
    w.t.server.store.db
      .prepare(
        `SELECT row_id AS id FROM outbox WHERE pushed_at IS NULL AND table_name = 'audit_log' ORDER BY mutation_id LIMIT 1 OFFSET ?`,
      )
      .get(n) as { id: string }
  ).id;

// MRNs are unique per clinic: counted up from a random start, not drawn at random for each patient (hundreds of
// draws per test among 90 million made a collision likely enough to fail a run now and then).
let nextMrn = 10_000_000 + Math.floor(Math.random() * 40_000_000);

/** Registers patients through the write path (row, outbox and audit entry in one transaction each). */
export function registerPatients(w: SyncedWorkstation, n: number, name = 'Offline'): string[] {
  const ids: string[] = [];
  const store = w.t.server.store;
  for (let i = 0; i < n; i++) {
    const id = uuidv7();
    const now = store.nowIso();
    store.write(systemActor, (wr) => {
      wr.insert('patients', {
        id,
        clinicId: store.clinicId!,
        mrn: String(nextMrn++),
        legalFirstName: `${name}${i}`,
        legalLastName: 'Patient',
        dateOfBirth: '1990-05-17',
        restricted: false,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      wr.audit({ action: 'patient.create', patientId: id });
    });
    ids.push(id);
  }
  return ids;
}
