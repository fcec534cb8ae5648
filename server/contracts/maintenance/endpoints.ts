import { endpoint } from '../endpoint';
import * as maintenance from './index';

/** Admin > Maintenance (see ../api.ts). Administrators only: the key export re-checks who is asking. */
export const maintenanceEndpoints = {
  getMaintenance: endpoint({
    method: 'GET',
    path: '/api/admin/maintenance',
    access: 'security.manage',
    summary: 'This workstation’s backups and backup schedule',
    response: maintenance.maintenanceSchema,
  }),
  createBackup: endpoint({
    method: 'POST',
    path: '/api/admin/maintenance/backups',
    access: 'security.manage',
    summary: 'Write an encrypted backup of this workstation’s database now (checked to open)',
    response: maintenance.backupSchema,
  }),
  updateBackupSchedule: endpoint({
    method: 'PUT',
    path: '/api/admin/maintenance/schedule',
    access: 'security.manage',
    summary: 'Automatic backups: on or off, how often, how many to keep',
    body: maintenance.backupScheduleSchema,
    response: maintenance.backupScheduleSchema,
  }),
  exportDatabaseKey: endpoint({
    method: 'POST',
    path: '/api/admin/maintenance/key-export',
    access: 'security.manage',
    summary: 'Show the database key once for escrow, after the administrator signs in again',
    body: maintenance.keyExportRequestSchema,
    response: maintenance.keyExportSchema,
  }),
  restoreBackup: endpoint({
    method: 'POST',
    path: '/api/admin/maintenance/restore',
    access: 'security.manage',
    summary:
      'Replace this workstation’s data with one of its backups (after signing in again); the server restarts onto it',
    body: maintenance.restoreBackupRequestSchema,
    response: maintenance.restoreBackupSchema,
  }),
};
