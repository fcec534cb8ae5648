import { checkpointsOf } from '../db/background-checkpoints';
import type { SqliteDatabase } from '../db/open';
import type { Logger } from '../../platform/logging';
import { StoreWorker } from './store-worker-client';
import type { StoreWorkerData } from './store-worker-protocol';

/**
 * The page-storing thread of a first download (store-worker-client.ts), from start to close, for the sync
 * engine: started in the background when a download is large enough, handed pages while it is alive,
 * closed when the download is done or sync stops.
 *
 * While it stores pages the WAL checkpoints are paused (the main connection's and the checkpoint thread's,
 * ../db/background-checkpoints.ts): the thread's commits grow the WAL, and each checkpoint meanwhile would
 * copy the same index pages again and again. The thread checkpoints once as it closes (store-worker.ts);
 * only then do they resume.
 */
export class StoreThread {
  #worker: StoreWorker | null = null;
  #starting: Promise<void> | null = null;
  #retiring: Promise<void> | null = null;
  /** The thread could not start here (no entry file): pages stay on the main thread from then on. */
  #unavailable = false;
  /** Checkpoints are paused for the thread (resumed by `retire`). */
  #checkpointsPaused = false;
  /** Pages handed to the thread since start (tests, diagnostics). */
  pagesStored = 0;

  constructor(
    private readonly db: SqliteDatabase,
    /** The database file and its key (in memory); without them there is no thread. */
    private readonly data: StoreWorkerData | undefined,
    private readonly logger: Logger,
  ) {}

  /** The thread, while it runs. */
  get running(): StoreWorker | null {
    return this.#worker?.alive ? this.#worker : null;
  }

  /** Start it in the background; pages are stored on the main thread until it is ready. */
  prepare(): void {
    if (this.#worker && !this.#worker.alive) this.#worker = null;
    if (this.#worker || this.#starting || this.#unavailable || !this.data) return;
    this.#starting = StoreWorker.start(this.data).then((w) => {
      this.#starting = null;
      if (!w) {
        this.#unavailable = true;
        this.logger.warn({}, 'sync: the page-storing thread did not start; storing on the main thread');
      }
      this.#worker = w;
    });
  }

  /** Before pages go to the thread: no checkpoints until it has closed. */
  pauseCheckpoints(): void {
    if (this.#checkpointsPaused) return;
    this.#checkpointsPaused = true;
    checkpointsOf(this.db).pause();
  }

  /** Close the thread (it checkpoints as it closes), then resume the checkpoints. */
  retire(): Promise<void> {
    const close = async () => {
      await this.#starting;
      const w = this.#worker;
      this.#worker = null;
      await w?.close();
      if (this.#checkpointsPaused) {
        this.#checkpointsPaused = false;
        checkpointsOf(this.db).resume();
      }
    };
    this.#retiring = close();
    return this.#retiring;
  }

  /** Sync is stopping: let a close in progress finish, then close whatever is left. */
  async stop(): Promise<void> {
    await this.#retiring;
    await this.retire();
  }
}
