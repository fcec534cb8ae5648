import { setImmediate as yieldToIo } from 'node:timers/promises';
import {
  PULL_PAGE_MAX,
  PUSH_BATCH_MAX,
  type HelloResponse,
  type PullResponse,
  type SyncState,
  type SyncStatus,
} from '../../contracts/sync';
import { latestSchemaVersion } from '../db/migrations';
import { resumePatientSearch } from '../db/patient-search-index';
import { replicatedTables } from '../db/schema';
import type { Store } from '../db/store';
import type { Logger } from '../../platform/logging';
import { RemoteApplier } from './apply';
import { PortalChainBroken, portalAuditHead, storePortalAuditPage } from '../services/audit/portal-chain';
import { receiveCodeSet } from './code-set';
import { ClearinghouseFiles } from './clearinghouse-files';
import { CentralClient, CentralRequestError, type FetchLike } from './central-client';
import {
  forgetSeenSeq,
  outboxHighWater,
  prune,
  renumberUnsent,
  resendAfter,
  unsentCount,
} from './outbox';
import { clearRestoreMark, readRestoreMark } from './restore-marker';
import { isEnrolled, readSyncState, updateSyncState, type SyncStateRow } from './state';
import type { StoreWorker, StoredPage } from './store-worker-client';
import type { StoreWorkerData } from './store-worker-protocol';
import { StoreThread } from './store-thread';
import { pushAll } from './push';

/**
 * The background replication loop. A cycle is: hello (once per connection: epoch, what central has of
 * ours), push every unsent mutation in order, pull pages until caught up. Cycles run when something
 * changed here (the store's change hook), when central says something changed there (the live channel,
 * server-sent events), on a slow timer, and after a failure with exponential backoff, so a transient error
 * is retried without waiting for another local change. Only one cycle runs at a time.
 */

export interface SyncEngineOptions {
  logger: Logger;
  fetch?: FetchLike;
  /** Central address from machine policy (locked) or the environment (a default the admin may change). */
  preset?: { url: string | null; locked: boolean };
  /** Retry delays after failures, in ms (the last repeats). */
  backoffMs?: readonly number[];
  /** A cycle at least this often while enrolled (catches anything the live channel missed). */
  pollMs?: number;
  pushBatch?: number;
  pullPage?: number;
  /** This build's version, reported to central's console (syncHeaders.status). */
  appVersion?: string;
  /**
   * The database file and its key (in memory, as the server got it), so a first download can be stored on
   * a worker thread with its own connection (store-worker-client.ts). Without it pages are stored here.
   */
  database?: StoreWorkerData;
  /** A first download of at least this many rows is stored on the worker (starting one costs a moment). */
  storeWorkerFrom?: number;
}

class EpochChanged extends Error {}

/**
 * The size of the next pull page, from how fast this computer stored the last ones (rows per ms, smoothed),
 * so that storing a page takes about `budgetMs`. Every page is a request to central and a commit (the
 * pages the rows touched, the patient search index's above all, encrypted and written), which larger pages
 * share among more rows; the fixed steps used before (x0.7 above 50 ms, x1.25 below 25 ms) kept a busy
 * machine at pages of 100. During the first download the budget is larger (FIRST_DOWNLOAD_PAGE_MS): the
 * clinic's records are still arriving and the screens wait at most that long; afterwards pages are small
 * and rare anyway and keep to STEADY_PAGE_MS.
 */
export class PageSizer {
  #rowsPerMs: number | null = null;
  readonly #budgetMs: number;
  readonly #min = 100;

  constructor(initialDone: boolean, budgetMs?: number) {
    this.#budgetMs = budgetMs ?? (initialDone ? STEADY_PAGE_MS : FIRST_DOWNLOAD_PAGE_MS);
  }

  next(rows: number, ms: number): number {
    const rate = rows / Math.max(ms, 1);
    // Smoothed, and quick to slow down: one slow page (the machine busy elsewhere) shrinks the next at once.
    this.#rowsPerMs =
      this.#rowsPerMs === null || rate < this.#rowsPerMs ? rate : this.#rowsPerMs * 0.7 + rate * 0.3;
    return Math.max(this.#min, Math.min(PULL_PAGE_MAX, Math.round(this.#rowsPerMs * this.#budgetMs)));
  }
}

/** Portal audit entries per request (about 400 bytes each). */
const PORTAL_AUDIT_PAGE = 1000;
const DEFAULT_BACKOFF = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000] as const;
/** How soon after a local write the push starts: a burst of writes goes out as one batch. */
export const LOCAL_CHANGE_DELAY_MS = 20;
/** The slow timer: a cycle at least this often while enrolled (the load model uses it too). */
export const DEFAULT_POLL_MS = 30_000;
/** The first pull page's size (then sized to the time budget, see PageSizer). */
export const FIRST_PULL_PAGE = 500;
const SKEW_WARNING_MS = 5 * 60_000;
/** What a log line may say of an unexpected local error: its name and code, never its message (PHI). */
const errorFields = (err: unknown) => ({ errName: (err as Error)?.name, errCode: (err as { code?: unknown })?.code });
/** How long storing one pull page may hold the screens' requests: after the first download, and during it. */
const STEADY_PAGE_MS = 40;
const FIRST_DOWNLOAD_PAGE_MS = 60;
/**
 * Storing a page on the worker thread holds only the screens' writes (reads go on): pages are sized to this,
 * and a write waits at most about that long. Clinics this large (rows to download) get the worker.
 */
const WORKER_PAGE_MS = 500;
const STORE_WORKER_FROM = 20_000;
/** A blocked workstation (update required) asks again this often, in case central's rule changed. */
const BLOCKED_RECHECK_MS = 10 * 60_000;
/** How often an enrolled workstation asks central whether a new code-set release is out. */
const CODE_SET_CHECK_MS = 10 * 60_000;
/** Sent mutations past their retention are removed about this often. */
const PRUNE_EVERY_MS = 60 * 60_000;

const replicated = new Set(Object.keys(replicatedTables));

export class SyncEngine {
  readonly applier: RemoteApplier;
  #started = false;
  #running: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | null = null;
  #poll: NodeJS.Timeout | null = null;
  #failures = 0;
  #resyncs = 0;
  #lastPrune = 0;
  #lastCodeSetCheck = 0;
  #lastError: { kind: 'network' | 'http' | 'local'; message: string } | null = null;
  #nextRetryAt: Date | null = null;
  #helloDone = false;
  #connectedOnce = false;
  #live: AbortController | null = null;
  #liveFailures = 0;
  /** The newest head the live channel told of (in its epoch), and how often a cycle ended below it. */
  #heard = { epoch: '', head: 0 };
  #shortOfHeard = 0;
  #liveTimer: NodeJS.Timeout | null = null;
  #progress = { received: 0, total: null as number | null };
  #note: string | null = null;
  #unsubscribe: (() => void) | null = null;
  #client: CentralClient | null = null;
  #clientKey = '';
  #clearinghouseFiles: ClearinghouseFiles;
  readonly #thread: StoreThread;

  constructor(
    private readonly store: Store,
    private readonly opts: SyncEngineOptions,
  ) {
    this.applier = new RemoteApplier(store);
    this.#clearinghouseFiles = new ClearinghouseFiles(store, opts.logger);
    this.#thread = new StoreThread(store.db, opts.database, opts.logger);
  }

  /** Pages of first downloads handed to the page-storing thread since start (tests, diagnostics). */
  get pagesStoredOnWorker(): number {
    return this.#thread.pagesStored;
  }

  /** The page-storing thread is running (tests, diagnostics). */
  get storeWorkerRunning(): boolean {
    return Boolean(this.#thread.running);
  }

  get preset() {
    return this.opts.preset ?? { url: null, locked: false };
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribe = this.store.onChange((tables) => {
      for (const t of tables) if (replicated.has(t)) return this.kick(LOCAL_CHANGE_DELAY_MS);
    });
    this.#poll = setInterval(() => this.kick(), this.opts.pollMs ?? DEFAULT_POLL_MS);
    this.#poll.unref();
    const state = readSyncState(this.store);
    // A new version of Tessera may be what central asked for: try again at start.
    if (state.blocked === 'update_required')
      updateSyncState(this.store, { blocked: null, blockedMessage: null });
    this.kick();
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#poll) clearInterval(this.#poll);
    if (this.#liveTimer) clearTimeout(this.#liveTimer);
    this.#timer = this.#poll = this.#liveTimer = null;
    this.#live?.abort();
    this.#live = null;
    await this.#running?.catch(() => {});
    await this.#thread.stop();
  }

  /** Run a cycle after `delayMs` (sooner requests win); a running cycle is followed by another. */
  kick(delayMs = 0): void {
    if (!this.#started) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) {
      const due = this.#nextRetryAt?.getTime() ?? Infinity;
      if (Date.now() + delayMs >= due) return;
      clearTimeout(this.#timer);
    }
    this.#nextRetryAt = new Date(Date.now() + delayMs);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#nextRetryAt = null;
      this.#runInBackground();
    }, delayMs);
    this.#timer.unref();
  }

  /** The "Sync now" button: forget the backoff and start a cycle at once (without waiting for it). */
  retryNow(): void {
    this.#failures = 0;
    this.#lastCodeSetCheck = 0;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#nextRetryAt = null;
    this.kick();
  }

  /** Sync now and wait for that cycle (tests, the command line). */
  async syncNow(): Promise<void> {
    this.#failures = 0;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#nextRetryAt = null;
    if (this.#running) {
      this.#again = true;
      await this.#running;
    }
    await this.#runLoop();
  }

  /** Send what is waiting, without pulling (benchmarks and tools; the loop must not be running). */
  async pushPending(): Promise<void> {
    const state = readSyncState(this.store);
    if (!isEnrolled(state)) throw new Error('This workstation is not enrolled.');
    const client = this.#clientFor(state);
    if (!this.#helloDone) {
      this.#reconcile(await client.hello());
      this.#helloDone = true;
    }
    await this.#push(client);
  }

  /** Forget the connection (after enrolling anew): the next cycle starts with a hello. */
  resetConnection(): void {
    this.#helloDone = false;
    this.#connectedOnce = false;
    this.#failures = 0;
    this.#lastError = null;
    this.#note = null;
    this.#progress = { received: 0, total: null };
    this.#client = null;
    this.#live?.abort();
    this.#live = null;
  }

  /**
   * A cycle nobody waits for (a timer's). A cycle handles its own failures; what escapes it (the database
   * closed under a workstation shutting down) is logged by name, never left as an unhandled rejection.
   */
  #runInBackground(): void {
    this.#runLoop().catch((err: unknown) => this.opts.logger.error(errorFields(err), 'sync: cycle failed'));
  }

  async #runLoop(): Promise<void> {
    if (this.#running) return this.#running;
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.#cycle();
      } while (this.#again && this.#started);
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  #clientFor(state: SyncStateRow): CentralClient {
    const key = `${state.centralUrl}|${state.credential}`;
    if (!this.#client || this.#clientKey !== key) {
      this.#client = new CentralClient({
        baseUrl: state.centralUrl!,
        credential: state.credential,
        schemaVersion: latestSchemaVersion,
        now: this.store.now,
        fetch: this.opts.fetch,
        status: () => this.#statusReport(),
      });
      this.#clientKey = key;
    }
    return this.#client;
  }

  async #cycle(): Promise<void> {
    const state = readSyncState(this.store);
    if (!isEnrolled(state) || state.blocked) return;
    const client = this.#clientFor(state);
    try {
      if (!this.#helloDone) {
        this.#reconcile(await client.hello());
        this.#helloDone = true;
        // A new connection asks about the code set at once; after that, every CODE_SET_CHECK_MS.
        this.#lastCodeSetCheck = 0;
      }
      await this.#push(client);
      await this.#pullAll(client);
      await this.#pullPortalAudit(client);
      await this.#checkCodeSet(client);
      await this.#importClearinghouseFiles(client, state.deviceId!);
      updateSyncState(this.store, { lastSuccessAt: this.store.nowIso(), clockSkewMs: client.skewMs });
      this.#failures = 0;
      this.#resyncs = 0;
      this.#lastError = null;
      this.#connectedOnce = true;
      if (Date.now() - this.#lastPrune > PRUNE_EVERY_MS) {
        this.#lastPrune = Date.now();
        prune(this.store, this.store.now());
      }
      this.#ensureLive(client);
      this.#pullAgainIfShort();
    } catch (err) {
      const resync =
        err instanceof EpochChanged ||
        (err instanceof CentralRequestError &&
          (err.code === 'epoch_changed' || err.code === 'central_behind'));
      // Say hello again at once (a few times; after that, something is off and backoff applies).
      if (resync && ++this.#resyncs <= 3) {
        this.#helloDone = false;
        this.#again = true;
        return;
      }
      this.#failed(err);
    }
  }

  /**
   * The live channel told of a head this cycle's pull did not reach: the node that answered had not heard
   * of that change yet (central answers a clinic's simultaneous pulls from one read, see
   * central/services/replication/pull-share.ts). Pull again shortly, a few times, rather than wait for the
   * next change or the slow timer.
   */
  #pullAgainIfShort(): void {
    const s = readSyncState(this.store);
    if (this.#heard.epoch !== s.epoch || s.cursor >= this.#heard.head) {
      this.#shortOfHeard = 0;
      return;
    }
    if (++this.#shortOfHeard > 3) return;
    const t = setTimeout(() => this.kick(), 100 * this.#shortOfHeard);
    t.unref();
  }

  #failed(err: unknown): void {
    this.#helloDone = false;
    // A skew measured on a refused request is still worth showing.
    if (this.#client?.skewMs != null) updateSyncState(this.store, { clockSkewMs: this.#client.skewMs });
    if (err instanceof CentralRequestError && err.kind === 'http' && err.status === 401) {
      updateSyncState(this.store, { blocked: 'revoked', blockedMessage: err.message });
      this.#live?.abort();
      this.opts.logger.warn({ code: err.code }, 'sync: central refused this workstation');
      return;
    }
    if (
      err instanceof CentralRequestError &&
      (err.code === 'update_required' || err.code === 'protocol_mismatch')
    ) {
      updateSyncState(this.store, { blocked: 'update_required', blockedMessage: err.message });
      this.#live?.abort();
      this.#schedule(BLOCKED_RECHECK_MS, true);
      return;
    }
    if (err instanceof CentralRequestError) {
      this.#lastError = { kind: err.kind, message: err.message };
      this.opts.logger.info(
        { kind: err.kind, status: err.status, code: err.code },
        'sync: attempt failed; retrying',
      );
    } else {
      this.#lastError = {
        kind: 'local',
        message: 'Sync stopped on an error on this workstation; it retries automatically.',
      };
      this.opts.logger.error(errorFields(err), 'sync: local error');
    }
    this.#failures++;
    const steps = this.opts.backoffMs ?? DEFAULT_BACKOFF;
    const base = steps[Math.min(this.#failures - 1, steps.length - 1)]!;
    this.#schedule(base + Math.round(Math.random() * base * 0.2), false);
  }

  #schedule(delayMs: number, clearBlock: boolean): void {
    if (!this.#started) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#nextRetryAt = new Date(Date.now() + delayMs);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#nextRetryAt = null;
      if (clearBlock) updateSyncState(this.store, { blocked: null, blockedMessage: null });
      this.#runInBackground();
    }, delayMs);
    this.#timer.unref();
  }

  /**
   * Square this workstation with what central says it has. A new epoch (central restored from a backup),
   * or a central that has less than we pulled or sent, means: send again what it lacks, fetch everything.
   * This database restored from a backup (marked by the restore, see restore-marker.ts) means: the changes
   * made since the restore take ids central has not seen, so none is taken for one it already applied.
   */
  #reconcile(hello: HelloResponse): void {
    const state = readSyncState(this.store);
    const { assigned, sent } = outboxHighWater(this.store);
    const restoredHere = readRestoreMark(this.store.db);
    const restored =
      (state.epoch !== null && hello.epoch !== state.epoch) ||
      state.cursor > hello.head ||
      hello.lastMutationId < sent;
    let resent = 0;
    let renumbered = 0;
    this.store.db.transaction(() => {
      if (restoredHere !== null) {
        // Every unsent mutation above the mark was made after the restore; central has never had it.
        if (hello.lastMutationId > restoredHere)
          renumbered = renumberUnsent(this.store, restoredHere, hello.lastMutationId);
        clearRestoreMark(this.store.db);
      } else if (hello.lastMutationId > assigned) {
        // Restored by other means (a database file copied back): older than what central has from it.
        renumbered = renumberUnsent(this.store, 0, hello.lastMutationId);
      }
      if (hello.lastMutationId < sent) resent = resendAfter(this.store, hello.lastMutationId);
      if (restored) forgetSeenSeq(this.store);
      updateSyncState(this.store, {
        epoch: hello.epoch,
        ...(restored && { cursor: 0, initialDone: false }),
      });
    })();
    if (restoredHere !== null || renumbered) {
      this.opts.logger.warn(
        { renumbered },
        'sync: this database was restored from a backup; changes made since get new mutation ids',
      );
    }
    if (restored) {
      this.#note = `The central server was restored from a backup: re-sending ${resent} change${resent === 1 ? '' : 's'} it lacks and fetching the clinic's records again.`;
      this.opts.logger.warn({ resent }, 'sync: central epoch changed; re-sending and re-fetching');
    }
    this.#progress = { received: 0, total: Math.max(0, hello.head - (restored ? 0 : state.cursor)) };
  }

  #checkEpoch(epoch: string): void {
    if (epoch !== readSyncState(this.store).epoch) throw new EpochChanged();
  }

  #push(client: CentralClient): Promise<void> {
    return pushAll({
      store: this.store,
      applier: this.applier,
      client,
      batchSize: this.opts.pushBatch ?? PUSH_BATCH_MAX,
      checkEpoch: (epoch) => this.#checkEpoch(epoch),
    });
  }

  async #pullAll(client: CentralClient): Promise<void> {
    // Pages are sized so that storing one keeps the screens' requests waiting no longer than a budget (the
    // database work is synchronous): a big download adapts its page size to this computer's speed.
    let limit = this.opts.pullPage ?? FIRST_PULL_PAGE;
    let state = readSyncState(this.store);
    const sizer = new PageSizer(state.initialDone);
    // The next page is requested while this one is stored: the download and the local writes overlap.
    const fetchPage = (cursor: number) => {
      const p = client.pull(cursor, limit);
      // Awaited below; this only keeps a page abandoned by an error from being reported as unhandled.
      p.catch(() => {});
      return p;
    };
    if (!state.initialDone) this.#prepareStoreThread();
    let next = fetchPage(state.cursor);
    for (;;) {
      const page = await next;
      this.#checkEpoch(page.epoch);
      if (page.hasMore) next = fetchPage(page.cursor);
      const done = !page.hasMore;
      const started = performance.now();
      this.applier.applyPage(
        page.changes,
        () => {
          // A page-storing thread that stopped part-way may have left the search index suspended.
          if (done && !state.initialDone) resumePatientSearch(this.store.db);
          updateSyncState(this.store, {
            cursor: page.cursor,
            ...(done && !state.initialDone && { initialDone: true }),
          });
        },
        // The first download brings rows this database does not have yet.
        { mostlyNew: !state.initialDone },
      );
      if (!this.opts.pullPage && page.changes.length >= limit / 2)
        limit = sizer.next(page.changes.length, performance.now() - started);
      this.#progress.received += page.changes.length;
      if (done) {
        if (!state.initialDone) {
          this.#note = null;
          void this.#thread.retire();
        }
        return;
      }
      state = readSyncState(this.store);
      // The page-storing thread is ready: it takes the rest of the first download.
      const worker = this.#thread.running;
      if (!state.initialDone && worker) {
        await this.#pullOnWorker(client, worker, state, next);
        void this.#thread.retire();
        return;
      }
      // Let the screens' requests in between pages.
      await yieldToIo();
    }
  }

  /**
   * The clinic's portal audit chain (patients' portal acts), after the last entry stored here. A page that
   * does not verify is refused and kept for `audit verify` (services/audit/portal-chain.ts); the rest of sync
   * carries on. A central without the route yet (404) is skipped.
   */
  async #pullPortalAudit(client: CentralClient): Promise<void> {
    for (;;) {
      const after = portalAuditHead(this.store)?.seq ?? 0;
      let page;
      try {
        page = await client.portalAudit(after, PORTAL_AUDIT_PAGE);
      } catch (err) {
        if (err instanceof CentralRequestError && err.kind === 'http' && err.status === 404) return;
        throw err;
      }
      try {
        storePortalAuditPage(this.store, page.entries);
      } catch (err) {
        if (!(err instanceof PortalChainBroken)) throw err;
        // Ids and numbers only: the entry itself names a patient.
        this.opts.logger.error(
          { seq: err.problem.seq },
          'sync: portal audit entries from central do not verify',
        );
        return;
      }
      if (!page.hasMore || !page.entries.length) return;
      await yieldToIo();
    }
  }

  /** The page-storing thread for a first download large enough to be worth starting it. */
  #prepareStoreThread(): void {
    if ((this.#progress.total ?? 0) >= (this.opts.storeWorkerFrom ?? STORE_WORKER_FROM))
      this.#thread.prepare();
  }

  /**
   * The first download with pages stored on the worker thread: large pages (WORKER_PAGE_MS of storing
   * each), the next page fetched and checked here while the worker stores this one, and never more than
   * one page queued behind the one being stored. Each page commits with its cursor only if the database is
   * still at the cursor it was requested after, so after a failure no later page can skip it; an
   * interrupted download resumes from the last committed page.
   */
  async #pullOnWorker(
    client: CentralClient,
    worker: StoreWorker,
    state: SyncStateRow,
    first: Promise<PullResponse>,
  ): Promise<void> {
    let limit = this.opts.pullPage ?? 1000;
    const sizer = new PageSizer(false, WORKER_PAGE_MS);
    this.#thread.pauseCheckpoints();
    const fetchPage = (cursor: number) => {
      const p = client.pull(cursor, limit);
      p.catch(() => {});
      return p;
    };
    type InFlight = { rows: number; stored: Promise<StoredPage> };
    const settle = async ({ rows, stored }: InFlight) => {
      const r = await stored;
      // The screens refresh as after a page stored here.
      this.store.changedElsewhere(r.tables);
      this.#progress.received += rows;
      if (!this.opts.pullPage && rows >= limit / 2) limit = sizer.next(rows, r.ms);
    };
    let after = state.cursor;
    let next = first;
    let inFlight: InFlight | null = null;
    try {
      for (;;) {
        const page = await next;
        this.#checkEpoch(page.epoch);
        if (page.hasMore) next = fetchPage(page.cursor);
        const done = !page.hasMore;
        const stored = worker.store({
          after,
          epoch: page.epoch,
          cursor: page.cursor,
          done,
          now: this.store.nowIso(),
          changes: page.changes,
        });
        stored.catch(() => {});
        this.#thread.pagesStored++;
        const previous: InFlight | null = inFlight;
        inFlight = { rows: page.changes.length, stored };
        if (previous) await settle(previous);
        after = page.cursor;
        if (done) {
          await settle(inFlight);
          inFlight = null;
          this.#note = null;
          return;
        }
      }
    } finally {
      // A page already handed over still commits (or not): wait, so its tables are reported.
      if (inFlight) await settle(inFlight).catch(() => {});
    }
  }

  async #checkCodeSet(client: CentralClient): Promise<void> {
    if (Date.now() - this.#lastCodeSetCheck < CODE_SET_CHECK_MS) return;
    this.#lastCodeSetCheck = Date.now();
    try {
      await receiveCodeSet(this.store, client, this.opts.logger);
    } catch (err) {
      // Replication goes on; the next check tries again.
      this.#lastCodeSetCheck = Date.now() - CODE_SET_CHECK_MS + 60_000;
      this.opts.logger.warn(
        { errName: (err as Error)?.name, code: (err as { code?: unknown })?.code },
        'sync: code-set check failed; retrying later',
      );
    }
  }

  async #importClearinghouseFiles(client: CentralClient, deviceId: string): Promise<void> {
    try {
      await this.#clearinghouseFiles.run(client, deviceId);
    } catch (err) {
      // Replication goes on; the files wait for the next cycle.
      this.opts.logger.warn(
        { errName: (err as Error)?.name, code: (err as { code?: unknown })?.code },
        'sync: importing clearinghouse files failed; retrying later',
      );
    }
  }

  /** Check central's code-set release now (tests, and "Sync now" after an import at central). */
  async checkCodeSetNow(): Promise<void> {
    const state = readSyncState(this.store);
    if (!isEnrolled(state)) return;
    this.#lastCodeSetCheck = 0;
    await this.#checkCodeSet(this.#clientFor(state));
  }

  /**
   * The client for a request a screen makes of central itself (card payments), with this workstation's
   * credential; null when the workstation is not enrolled. Such requests do not wait for replication.
   */
  centralClient(): CentralClient | null {
    const state = readSyncState(this.store);
    return isEnrolled(state) ? this.#clientFor(state) : null;
  }

  #ensureLive(client: CentralClient): void {
    if (this.#live || !this.#started) return;
    const ac = new AbortController();
    this.#live = ac;
    void client
      .events(
        ac.signal,
        () => {
          this.#liveFailures = 0;
        },
        (e) => {
          const s = readSyncState(this.store);
          if (e.epoch !== this.#heard.epoch || e.head > this.#heard.head)
            this.#heard = { epoch: e.epoch, head: e.head };
          if (e.epoch !== s.epoch || e.head > s.cursor) this.kick();
        },
      )
      .catch(() => {})
      .finally(() => {
        if (this.#live !== ac) return;
        this.#live = null;
        if (!this.#started || ac.signal.aborted) return;
        // Reconnect with backoff; run a cycle too, in case a change was missed while the channel was down.
        this.#liveFailures++;
        const delay = Math.min(30_000, 500 * 2 ** Math.min(this.#liveFailures, 6));
        this.#liveTimer = setTimeout(() => {
          this.#liveTimer = null;
          this.kick();
        }, delay);
        this.#liveTimer.unref();
      });
  }

  #report: { at: number; text: string } | null = null;

  /**
   * What central's console shows about this workstation: app version, changes waiting, open conflicts and
   * the pull cursor. Counted at most once a second, so a download's many page requests cost nothing.
   */
  #statusReport(): string {
    const now = Date.now();
    if (this.#report && now - this.#report.at < 1000) return this.#report.text;
    const conflicts = (
      this.store.db
        .prepare('SELECT count(*) AS n FROM sync_conflicts WHERE resolved_at IS NULL AND deleted_at IS NULL')
        .get() as { n: number }
    ).n;
    const text = `app=${this.opts.appVersion ?? '0.0.0'}; pending=${unsentCount(this.store)}; conflicts=${conflicts}; cursor=${readSyncState(this.store).cursor}`;
    this.#report = { at: now, text };
    return text;
  }

  status(): SyncStatus {
    const s = readSyncState(this.store);
    const pending = unsentCount(this.store);
    const conflicts = (
      this.store.db
        .prepare('SELECT count(*) AS n FROM sync_conflicts WHERE resolved_at IS NULL AND deleted_at IS NULL')
        .get() as { n: number }
    ).n;
    let state: SyncState;
    let message: string | null = null;
    if (!isEnrolled(s)) {
      state = 'not_enrolled';
      message =
        'This workstation works on its own. An administrator can connect it to the clinic’s central server (Admin > Sync).';
    } else if (s.blocked === 'revoked') {
      state = 'revoked';
      message = `${s.blockedMessage ?? 'Central refused this workstation.'} Changes made here are kept and sent after it is enrolled again.`;
    } else if (s.blocked === 'update_required') {
      state = 'update_required';
      message = s.blockedMessage;
    } else if (this.#lastError) {
      state = this.#lastError.kind === 'network' ? 'offline' : 'error';
      message =
        this.#lastError.kind === 'network'
          ? `Cannot reach the central server. Work continues here; ${pending} change${pending === 1 ? '' : 's'} will be sent when it is back.`
          : this.#lastError.message;
    } else if (!this.#connectedOnce) {
      state = 'connecting';
      message = 'Connecting to the central server…';
    } else {
      // Online once a cycle has succeeded: the live channel only makes changes arrive sooner.
      state = 'online';
      message = this.#note;
    }
    if (state !== 'not_enrolled' && s.clockSkewMs !== null && Math.abs(s.clockSkewMs) > SKEW_WARNING_MS) {
      const hours = Math.abs(s.clockSkewMs) / 3_600_000;
      const amount =
        hours >= 1 ? `${hours.toFixed(1)} h` : `${Math.round(Math.abs(s.clockSkewMs) / 60_000)} min`;
      const warning = `This computer’s clock is ${amount} ${s.clockSkewMs > 0 ? 'behind' : 'ahead of'} the central server; ask IT to correct it (sign-in codes may fail). Changes are still ordered correctly.`;
      message = message ? `${message} ${warning}` : warning;
    }
    return {
      state,
      centralUrl: s.centralUrl ?? this.preset.url,
      centralUrlLocked: this.preset.locked,
      deviceId: s.deviceId,
      enrolledAt: s.enrolledAt,
      lastSuccessAt: s.lastSuccessAt,
      pending,
      conflicts,
      clockSkewMs: s.clockSkewMs,
      message,
      nextRetryAt: this.#lastError && this.#nextRetryAt ? this.#nextRetryAt.toISOString() : null,
      initialSync: {
        done: s.initialDone || !isEnrolled(s),
        received: this.#progress.received,
        total: this.#progress.total,
      },
    };
  }
}
