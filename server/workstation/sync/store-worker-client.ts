import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  StorePageRequest,
  StoreWorkerData,
  StoreWorkerMessage,
  StoreWorkerReply,
} from './store-worker-protocol';

/**
 * The main thread's side of the thread that stores the first download's pages (store-worker.ts). Storing a
 * page of thousands of rows takes hundreds of milliseconds of synchronous SQLite work; on the main thread
 * that held every request of the screens, so pages had to stay small (a request and a commit per 60 ms of
 * work). On the worker, pages are large and the main thread meanwhile fetches and checks the next one.
 *
 * Where the worker's code is: next to this module in the source tree (run through tsx's loader, as the
 * rest of the source is under tsx or vitest), or `sync-store-worker.{cjs,mjs}` next to a bundle
 * (scripts/build.mjs builds it beside the desktop app's server and the `tessera` command line). If neither
 * starts, the engine stores pages on the main thread as before.
 */

type Entry = { worker: string | URL; evaluated: boolean };

/** Loading the thread from the source tree on a busy computer took up to 30 s here; a bundle, well under 1 s. */
const START_TIMEOUT_MS = 120_000;

function entry(): Entry | null {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const source = pathToFileURL(path.join(path.dirname(here), 'store-worker.ts')).href;
    // A worker does not inherit the parent's module loader: register tsx's, then load the TypeScript entry.
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
    return { worker: boot, evaluated: true };
  }
  const bundled = path.join(path.dirname(here), `sync-store-worker${path.extname(here)}`);
  return fs.existsSync(bundled) ? { worker: bundled, evaluated: false } : null;
}

export type StoredPage = Extract<StoreWorkerReply, { type: 'stored' }>;

export class StoreWorker {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (r: StoredPage) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #dead: Error | null = null;
  readonly #exited: Promise<void>;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: StoreWorkerReply) => {
      if (m.type === 'ready') return;
      const w = this.#waiting.get(m.id);
      if (!w) return;
      this.#waiting.delete(m.id);
      if (m.type === 'stored') w.resolve(m);
      else w.reject(Object.assign(new Error('Storing a page on the worker failed.'), { name: m.name, code: m.code }));
    });
    const die = (err: Error) => {
      this.#dead ??= err;
      for (const w of this.#waiting.values()) w.reject(this.#dead);
      this.#waiting.clear();
    };
    worker.on('error', (err) => die(Object.assign(new Error('The page-storing thread failed.'), { name: err.name })));
    worker.on('exit', () => die(new Error('The page-storing thread stopped.')));
  }

  /** Start the worker on the database file (it opens its own connection); null when it cannot start. */
  static async start(data: StoreWorkerData): Promise<StoreWorker | null> {
    const where = entry();
    if (!where) return null;
    let worker: Worker;
    try {
      worker = new Worker(where.worker, { eval: where.evaluated, workerData: data });
    } catch {
      return null;
    }
    const ready = await new Promise<boolean>((resolve) => {
      const onMessage = (m: StoreWorkerReply) => {
        if (m.type !== 'ready') return;
        cleanup();
        resolve(true);
      };
      const onFail = () => {
        cleanup();
        resolve(false);
      };
      // A thread that neither answers nor fails (it should never happen) must not hold sync up for ever.
      const timer = setTimeout(onFail, START_TIMEOUT_MS);
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onFail);
        worker.off('exit', onFail);
      };
      worker.on('message', onMessage);
      worker.once('error', onFail);
      worker.once('exit', onFail);
    });
    if (!ready) {
      await worker.terminate().catch(() => {});
      return null;
    }
    return new StoreWorker(worker);
  }

  get alive(): boolean {
    return this.#dead === null;
  }

  /** Store a page (in the order asked); resolves once its transaction, cursor included, has committed. */
  store(page: Omit<StorePageRequest, 'type' | 'id'>): Promise<StoredPage> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    const done = new Promise<StoredPage>((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
    this.#worker.postMessage({ type: 'page', id, ...page } satisfies StoreWorkerMessage);
    return done;
  }

  /** Let the page being stored finish, close the worker's connection, and end the thread. */
  async close(): Promise<void> {
    if (this.#dead) return;
    this.#worker.postMessage({ type: 'close' } satisfies StoreWorkerMessage);
    const timer = setTimeout(() => void this.#worker.terminate(), 10_000);
    await this.#exited;
    clearTimeout(timer);
  }
}
