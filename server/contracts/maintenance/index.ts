import { z } from 'zod';
import { totpCodeSchema } from '../auth';

/**
 * Looking after one workstation's data (Admin > Maintenance): encrypted backups on demand and on a schedule,
 * and the database key shown once for IT to keep in escrow.
 */

export const backupKinds = ['manual', 'automatic'] as const;
export const backupSchema = z.object({
  name: z.string(),
  kind: z.enum(backupKinds),
  createdAt: z.string(),
  bytes: z.number().int(),
});
export type Backup = z.infer<typeof backupSchema>;

export const backupScheduleSchema = z.object({
  enabled: z.boolean(),
  everyHours: z
    .number()
    .int('Give a whole number of hours.')
    .min(1, 'Back up at most every hour.')
    .max(168, 'Back up at least once a week.'),
  keep: z
    .number()
    .int('Give a whole number of backups.')
    .min(1, 'Keep at least one automatic backup.')
    .max(90, 'Keep at most 90 automatic backups.'),
});
export type BackupSchedule = z.infer<typeof backupScheduleSchema>;
export const defaultBackupSchedule: BackupSchedule = { enabled: true, everyHours: 24, keep: 14 };

/** The last in-app restore, said on Admin > Maintenance once the server is back. */
export const restoreOutcomeSchema = z.object({
  backup: z.string(),
  at: z.string(),
  ok: z.boolean(),
  /** A sentence: what happened, and for a failure that the data is as it was. */
  message: z.string(),
});
export type RestoreOutcome = z.infer<typeof restoreOutcomeSchema>;

export const maintenanceSchema = z.object({
  backups: z.array(backupSchema),
  schedule: backupScheduleSchema,
  /** Where backups are written (the data folder's backups/ folder), for IT to copy off the machine. */
  folder: z.string(),
  lastRestore: restoreOutcomeSchema.nullable(),
});

export const keyExportRequestSchema = z.object({
  password: z.string().min(1, 'Enter your password.').max(256),
  code: totpCodeSchema.optional(),
});
export const keyExportSchema = z.object({ keyHex: z.string() });

/**
 * Restore one of this workstation's backups (by its file name in the backups folder, never a path), after the
 * administrator signs in again as for the key export. The server then restarts onto the restored database.
 */
export const restoreBackupRequestSchema = z.object({
  name: z.string().regex(/^tessera-\d{8}T\d{6}Z-(manual|automatic)\.db$/, 'Choose a backup from the list.'),
  password: z.string().min(1, 'Enter your password.').max(256),
  code: totpCodeSchema.optional(),
});
export const restoreBackupSchema = z.object({ restarting: z.literal(true) });
