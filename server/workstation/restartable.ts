import path from 'node:path';
import { swapInBackup, undoRestore } from './db/maintenance';
import { systemActor } from './db/store';
import { LaunchGate } from './http/middleware/launch';
import { createLogger } from '../platform/logging';
import { recordRestoreOutcome } from './services/maintenance/restore-outcome';
import { Sessions } from './services/auth/sessions';
import { startWorkstationServer, type RunningServer, type StartOptions } from './start';

export interface ServedWorkstation {
  /** The server running now (a new one after each restore). */
  current(): RunningServer;
  /** Resolves when a restore asked for in the app has finished and the server is back (tests, CLI). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The workstation server as `tessera serve` and the desktop's utility process run it: when an administrator
 * restores a backup in Admin > Maintenance, the server stops, swaps the database under the data folder's lock
 * (never released in between, so no other server can start on a half-swapped folder), and starts again on
 * the same port with the same launch gate, so the open window only has to sign in again. Should the restored
 * database not start (it fails to migrate), the previous one is put back and started instead. Either way
 * the outcome is recorded for Admin > Maintenance to say, and `onStarted` hears of every (re)start.
 */
export async function serveWorkstation(
  opts: StartOptions,
  onStarted: (server: RunningServer) => void = () => {},
): Promise<ServedWorkstation> {
  const logger = opts.logger ?? createLogger('tessera-workstation');
  const launch = opts.launch ?? new LaunchGate(opts.launchToken);
  let restoring: Promise<void> = Promise.resolve();
  let busy = false;

  const start = async (port: number | undefined) => {
    const s = await startWorkstationServer({
      ...opts,
      logger,
      launch,
      port,
      onRestoreRequested: (file) => {
        if (busy) return;
        busy = true;
        restoring = restore(file).finally(() => {
          busy = false;
        });
      },
    });
    onStarted(s);
    return s;
  };

  let server = await start(opts.port);

  async function restore(file: string): Promise<void> {
    const port = server.port;
    const backup = path.basename(file);
    const stamp = server.store.nowIso().replace(/[:.]/g, '-');
    let keptAs: string | null = null;
    let swapError: unknown = null;
    await server.close(() => {
      try {
        keptAs = swapInBackup(opts.dataDir, opts.keyHex, file, stamp).keptAs;
      } catch (err) {
        swapError = err; // swapInBackup put the previous database back
      }
    });
    if (!swapError) {
      try {
        server = await start(port);
        // Sessions in the copy are from when it was made: everyone signs in again on the restored data.
        new Sessions(server.store).endAll('restored');
        server.store.audit(systemActor, {
          action: 'backup.restore',
          detail: { stage: 'restored', backup, keptPrevious: keptAs !== null },
        });
        recordRestoreOutcome(server.store, {
          backup,
          at: server.store.nowIso(),
          ok: true,
          message: `Restored from ${backup}. The data before the restore was kept beside it in the data folder.`,
        });
        logger.info({ backup }, 'restored a backup and restarted');
        return;
      } catch (err) {
        swapError = err;
        if (keptAs) undoRestore(opts.dataDir, keptAs);
      }
    }
    logger.error({ err: (swapError as Error).message }, 'restore failed; restarted on the previous data');
    server = await start(port);
    server.store.audit(systemActor, {
      action: 'backup.restore',
      outcome: 'failure',
      detail: { stage: 'failed', backup },
    });
    recordRestoreOutcome(server.store, {
      backup,
      at: server.store.nowIso(),
      ok: false,
      message: `The restore from ${backup} failed (${(swapError as Error).message}). Your data is as it was before.`,
    });
  }

  return {
    current: () => server,
    settled: () => restoring,
    close: async () => {
      await restoring;
      await server.close();
    },
  };
}
