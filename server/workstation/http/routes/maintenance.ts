import { AppError } from '../../../platform/errors';
import type { WorkstationBackups } from '../../services/maintenance/backups';
import { exportDatabaseKey } from '../../services/maintenance/key-export';
import type { Store } from '../../db/store';
import type { Handlers } from '../context';

type MaintenanceEndpoints = 'getMaintenance' | 'createBackup' | 'updateBackupSchedule' | 'exportDatabaseKey';

/** Absent when the app is assembled without its data folder (tests of the app alone). */
export interface MaintenanceDeps {
  backups: WorkstationBackups;
  keyHex: string;
}

export function maintenanceHandlers(deps: { store: Store; maintenance?: MaintenanceDeps }): Handlers<MaintenanceEndpoints> {
  const need = (): MaintenanceDeps => {
    if (!deps.maintenance) throw new AppError(503, 'unavailable', 'Maintenance is not available in this mode.');
    return deps.maintenance;
  };
  return {
    getMaintenance: () => {
      const { backups } = need();
      return { backups: backups.list(), schedule: backups.schedule(), folder: backups.folder };
    },
    createBackup: ({ signedIn }) => need().backups.create(signedIn.actor, 'manual'),
    updateBackupSchedule: ({ body, signedIn }) => need().backups.setSchedule(signedIn.actor, body),
    exportDatabaseKey: async ({ body, signedIn, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      return exportDatabaseKey(deps.store, need().keyHex, signedIn, body);
    },
  };
}
