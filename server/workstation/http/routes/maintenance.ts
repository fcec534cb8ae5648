import { AppError } from '../../../platform/errors';
import type { WorkstationBackups } from '../../services/maintenance/backups';
import { exportDatabaseKey } from '../../services/maintenance/key-export';
import { reauthenticate } from '../../services/maintenance/reauthenticate';
import { lastRestore } from '../../services/maintenance/restore-outcome';
import type { Store } from '../../db/store';
import type { Handlers } from '../context';

type MaintenanceEndpoints =
  'getMaintenance' | 'createBackup' | 'updateBackupSchedule' | 'exportDatabaseKey' | 'restoreBackup';

/** Absent when the app is assembled without its data folder (tests of the app alone). */
export interface MaintenanceDeps {
  backups: WorkstationBackups;
  keyHex: string;
  /** Restart onto a restored backup; absent where nothing can restart the server (tests of the app alone). */
  requestRestore?: (file: string) => void;
}

export function maintenanceHandlers(deps: {
  store: Store;
  maintenance?: MaintenanceDeps;
}): Handlers<MaintenanceEndpoints> {
  const need = (): MaintenanceDeps => {
    if (!deps.maintenance)
      throw new AppError(503, 'unavailable', 'Maintenance is not available in this mode.');
    return deps.maintenance;
  };
  return {
    getMaintenance: () => {
      const { backups } = need();
      return {
        backups: backups.list(),
        schedule: backups.schedule(),
        folder: backups.folder,
        lastRestore: lastRestore(deps.store),
      };
    },
    createBackup: ({ signedIn }) => need().backups.create(signedIn.actor, 'manual'),
    updateBackupSchedule: ({ body, signedIn }) => need().backups.setSchedule(signedIn.actor, body),
    exportDatabaseKey: async ({ body, signedIn, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      return exportDatabaseKey(deps.store, need().keyHex, signedIn, body);
    },
    restoreBackup: async ({ body, signedIn, res }) => {
      const { backups, requestRestore } = need();
      // Checked before anything changes: a damaged file or another key's backup is refused with a sentence.
      const file = backups.fileToRestore(body.name);
      if (!requestRestore) {
        throw new AppError(503, 'unavailable', 'This server cannot restart itself; restore from the command line.');
      }
      await reauthenticate(deps.store, signedIn, body, 'backup.restore', (w) =>
        w.audit({ action: 'backup.restore', detail: { stage: 'requested', backup: body.name } }),
      );
      // Answer first, then restart: the screen shows "restarting" and waits for the server to come back.
      res.on('finish', () => requestRestore(file));
      return { restarting: true as const };
    },
  };
}
