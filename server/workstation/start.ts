import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { lockDataDir } from './data-dir-lock';
import { checkpointsOf } from './db/background-checkpoints';
import { DB_FILE_NAME, openDatabase } from './db/open';
import { Store } from './db/store';
import { createApp } from './http/app';
import { listenForDataFolder } from './http-port';
import { LaunchGate } from './http/middleware/launch';
import { createLogger, type Logger } from '../platform/logging';
import { SyncEngine, type SyncEngineOptions } from './sync/engine';
import { WorkstationBackups } from './services/maintenance/backups';

export interface StartOptions {
  dataDir: string;
  keyHex: string;
  /**
   * Absent: the port this data folder's server used last (the browser's storage is per origin), else a
   * random free one, remembered. A number: exactly that port (0: a random one, not remembered).
   */
  port?: number;
  /** A first launch token chosen by the caller (Electron main); more can be minted later. */
  launchToken?: string;
  rendererDir?: string;
  appVersion: string;
  logger?: Logger;
  now?: () => Date;
  /** The central server address from machine policy (`locked`) or TESSERA_CENTRAL_URL (a default). */
  centralUrl?: { url: string | null; locked: boolean };
  /** Kept across in-place restarts (../restartable.ts) so the browser that launched the app stays let in. */
  launch?: LaunchGate;
  /** Admin > Maintenance asked to restore this backup file (checked to open); the caller restarts onto it. */
  onRestoreRequested?: (file: string) => void;
  /** Replication tuning and the HTTP client (tests inject faults here). */
  sync?: Pick<
    SyncEngineOptions,
    'fetch' | 'backoffMs' | 'pollMs' | 'pushBatch' | 'pullPage' | 'storeWorkerFrom'
  >;
}

export interface RunningServer {
  port: number;
  origin: string;
  store: Store;
  /** The replication loop (optional in the type: harnesses that assemble a server by hand have none). */
  sync?: SyncEngine;
  /** A fresh one-time launch URL. */
  launchUrl(): string;
  /** Stop serving and close the database; `beforeUnlock` runs with it closed and the data folder still locked. */
  close(beforeUnlock?: () => void): Promise<void>;
}

/**
 * Open the encrypted database (migrating it), then serve the API and the screens on loopback only.
 * The same function runs under plain Node (headless CLI, tests) and inside Electron's utilityProcess.
 */
export async function startWorkstationServer(opts: StartOptions): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger('tessera-workstation');
  const unlock = lockDataDir(opts.dataDir);
  const dbFile = path.join(opts.dataDir, DB_FILE_NAME);
  let db;
  try {
    db = openDatabase(dbFile, opts.keyHex);
  } catch (err) {
    unlock();
    throw err;
  }
  const store = new Store(db, opts.now);
  // WAL checkpoints on a thread of their own, not inside the commit of whichever request wrote a lot.
  const checkpoints = checkpointsOf(db);
  const checkpointThread = checkpoints
    .startThread({
      file: dbFile,
      keyHex: opts.keyHex,
      onStopped: (err) =>
        logger.warn({ err: err?.message ?? null }, 'the checkpoint thread stopped; the main connection checkpoints again'),
    })
    .then((started) => {
      if (!started) logger.warn({}, 'the checkpoint thread did not start; the main connection checkpoints');
    });
  // The thread's connection goes first: it checkpoints once more as it closes.
  const closeDatabase = async () => {
    await checkpointThread;
    await checkpoints.stopThread();
    db.close();
  };
  const launch = opts.launch ?? new LaunchGate(opts.launchToken);
  const sync = new SyncEngine(store, {
    logger,
    preset: opts.centralUrl,
    appVersion: opts.appVersion,
    // A first download is stored by a worker thread with its own connection (the key stays in memory).
    database: { file: dbFile, keyHex: opts.keyHex },
    ...opts.sync,
  });
  const backups = new WorkstationBackups(store, opts.dataDir, opts.keyHex);
  let port = 0;
  const app = createApp({
    store,
    logger,
    launch,
    port: () => port,
    rendererDir: opts.rendererDir,
    appVersion: opts.appVersion,
    sync,
    maintenance: { backups, keyHex: opts.keyHex, requestRestore: opts.onRestoreRequested },
    documentsDir: path.join(opts.dataDir, 'documents'),
  });
  const server = await listenForDataFolder(app, store, opts.port, (taken) =>
    logger.warn(
      { port: taken },
      'the port this data folder used before is taken; serving on another one (unsent note text kept by the browser under the old address is not visible there)',
    ),
  ).catch(async (err: unknown) => {
    await closeDatabase();
    unlock();
    throw err;
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  logger.info({ port, schemaVersion: db.pragma('user_version', { simple: true }) }, 'workstation server listening');
  sync.start();
  // Automatic backups: looked at a minute after start, then every 10 minutes (the schedule says when one is due).
  const runBackups = () => {
    try {
      backups.tick(() => sync.status().initialSync.done);
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'automatic backup failed');
    }
  };
  const backupTimers = [setTimeout(runBackups, 60_000), setInterval(runBackups, 10 * 60_000)];
  for (const t of backupTimers) t.unref();
  return {
    port,
    origin,
    store,
    sync,
    launchUrl: () => `${origin}/launch?token=${launch.mintToken()}`,
    close: async (beforeUnlock) => {
      for (const t of backupTimers) clearTimeout(t);
      await sync.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await closeDatabase();
      try {
        beforeUnlock?.();
      } finally {
        unlock();
      }
    },
  };
}
