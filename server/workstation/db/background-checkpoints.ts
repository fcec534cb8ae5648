import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { keyPragmas, type SqliteDatabase } from './open';

/**
 * WAL checkpoints on a thread of their own.
 *
 * SQLite checkpoints on the connection whose commit took the WAL past 1,000 pages, inside that commit: the
 * request that wrote a lot (an ERA posting, a push's acknowledgement, a big import) also copied every page
 * it wrote from the WAL into the database file before it could answer, and every other request of the
 * screens waited behind it. For an 835 of 3,000 claims that copy was two thirds of the COMMIT
 * (docs/claims.md, "A second look at the commit").
 *
 * With a thread running, the main connection never checkpoints. The thread has its own connection to the
 * same file and runs a PASSIVE checkpoint every `everyMs` (PASSIVE neither waits for nor blocks readers and
 * writers; it copies what no reader still needs, and the next one copies the rest), so the copy runs beside
 * the requests instead of inside one. A checkpoint with nothing to copy only reads the WAL's index.
 *
 * The thread is a few lines of plain JavaScript loading the same native module (no TypeScript loader, no
 * bundle entry), so it starts in milliseconds wherever the server runs. If it cannot start, or stops, the
 * main connection checkpoints as SQLite does by default: the WAL never grows unbounded.
 *
 * Pausing (the first download's page-storing thread, sync/store-thread.ts, wants no checkpoints at all
 * until it is done) stops both kinds until resumed.
 */

/** The thread's code: CommonJS, evaluated; everything it needs comes in workerData. */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
for (const p of workerData.pragmas) db.pragma(p);
let paused = workerData.paused;
const checkpoint = () => {
  const [r] = db.pragma('wal_checkpoint(PASSIVE)');
  return { busy: r.busy, log: r.log, checkpointed: r.checkpointed };
};
const timer = setInterval(() => { if (!paused) checkpoint(); }, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m.type === 'paused') paused = m.paused;
  else if (m.type === 'now') parentPort.postMessage({ type: 'done', id: m.id, result: checkpoint() });
  else if (m.type === 'close') {
    clearInterval(timer);
    if (!paused) checkpoint();
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage({ type: 'ready' });
`;

export interface CheckpointResult {
  /** 1 when a reader or another checkpoint kept it from finishing (it is simply tried again later). */
  busy: number;
  /** Frames in the WAL. */
  log: number;
  /** Frames copied into the database file so far. */
  checkpointed: number;
}

interface Options {
  /** The database file and its key (in memory only; the thread gets them in workerData). */
  file: string;
  keyHex: string;
  /** How often the thread checkpoints (default 1 s). */
  everyMs?: number;
  /** Told when the thread stops unexpectedly (the main connection checkpoints again from then on). */
  onStopped?: (err: Error | null) => void;
}

const controls = new WeakMap<SqliteDatabase, CheckpointControl>();

/** Who checkpoints a connection's WAL, and whether anyone may at the moment. One per connection. */
export function checkpointsOf(db: SqliteDatabase): CheckpointControl {
  let c = controls.get(db);
  if (!c) controls.set(db, (c = new CheckpointControl(db)));
  return c;
}

export class CheckpointControl {
  /** The connection's own interval when it checkpoints (SQLite's default unless it was set otherwise). */
  readonly #ownInterval: number;
  #pauses = 0;
  #thread: Worker | null = null;
  #exited: Promise<void> = Promise.resolve();
  #nextId = 1;
  readonly #waiting = new Map<number, (r: CheckpointResult | null) => void>();

  constructor(private readonly db: SqliteDatabase) {
    const own = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.#ownInterval = own > 0 ? own : 1000;
  }

  /** A thread checkpoints for this connection (tests, diagnostics). */
  get background(): boolean {
    return this.#thread !== null;
  }

  /** Nobody checkpoints until resumed. */
  get paused(): boolean {
    return this.#pauses > 0;
  }

  /**
   * Start the thread; resolves once it checkpoints (true) or could not start (false: the connection keeps
   * checkpointing itself).
   */
  async startThread(options: Options): Promise<boolean> {
    if (this.#thread) return true;
    const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
    let worker: Worker;
    try {
      worker = new Worker(THREAD, {
        eval: true,
        workerData: {
          // The alias open.ts imports (better-sqlite3-multiple-ciphers), resolved where this module is.
          module: createRequire(here).resolve('better-sqlite3'),
          file: options.file,
          pragmas: [...keyPragmas(options.keyHex), 'busy_timeout = 0'],
          everyMs: options.everyMs ?? 1000,
          paused: this.paused,
        },
      });
    } catch {
      return false;
    }
    const started = await new Promise<boolean>((resolve) => {
      worker.once('message', (m: { type: string }) => resolve(m.type === 'ready'));
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    });
    if (!started) {
      await worker.terminate();
      return false;
    }
    // It never keeps the process alive on its own: a checkpoint cut short by an exit is safe (SQLite
    // copies frames idempotently, and the WAL stays until a checkpoint completes).
    worker.unref();
    this.#thread = worker;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: { type: string; id: number; result: CheckpointResult }) => {
      if (m.type !== 'done') return;
      this.#waiting.get(m.id)?.(m.result);
      this.#waiting.delete(m.id);
    });
    let failure: Error | null = null;
    worker.on('error', (err) => (failure = err));
    worker.once('exit', () => {
      if (this.#thread !== worker) return;
      // Stopped without being asked (or while asked): the connection takes its checkpoints back.
      this.#thread = null;
      for (const w of this.#waiting.values()) w(null);
      this.#waiting.clear();
      this.#apply();
      options.onStopped?.(failure);
    });
    this.#apply();
    return true;
  }

  /** No checkpoints, by the thread or the connection, until `resume` (calls nest). */
  pause(): void {
    this.#pauses++;
    this.#apply();
  }

  resume(): void {
    if (this.#pauses === 0) return;
    this.#pauses--;
    this.#apply();
  }

  /** A checkpoint on the thread now (tests); null without a thread. */
  checkpointNow(): Promise<CheckpointResult | null> {
    const worker = this.#thread;
    if (!worker) return Promise.resolve(null);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      worker.postMessage({ type: 'now', id });
    });
  }

  /** Stop the thread (it checkpoints once more unless paused); the connection checkpoints itself again. */
  async stopThread(): Promise<void> {
    const worker = this.#thread;
    if (!worker) return;
    this.#thread = null;
    // Held again while it closes: with nothing else left to do (a server shutting down), an unreferenced
    // thread would let the process exit before its close, and the caller's steps after it, had run.
    worker.ref();
    worker.postMessage({ type: 'close' });
    await this.#exited;
    this.#apply();
  }

  #apply(): void {
    this.#thread?.postMessage({ type: 'paused', paused: this.paused });
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${this.paused || this.#thread ? 0 : this.#ownInterval}`);
  }
}
