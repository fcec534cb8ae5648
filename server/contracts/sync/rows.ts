import { z } from 'zod';

/**
 * Shapes of the replicated rows central itself writes (besides relaying what workstations send): conflict
 * records, staff accounts made by central administrators, and a new clinic's name and time zone. Property
 * names are those of the workstation's drizzle tables; a unit test keeps the two in step.
 */

export const conflictKinds = [
  /** Two workstations changed the same field; the later one (in central's order) won. */
  'overwritten',
  /** Central refused a change (a signed note, a taken username, …); what was sent is kept here. */
  'rejected',
  /** Two workstations booked overlapping appointments for one provider or room while offline. */
  'double_booked',
  /** A change from central could not be stored on this workstation. */
  'apply_failed',
] as const;

export const conflictRecordSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  kind: z.enum(conflictKinds),
  tableName: z.string(),
  rowId: z.string(),
  field: z.string().nullable(),
  /** JSON text: the value the record kept (overwritten), or null. */
  valueKept: z.string().nullable(),
  /** JSON text: the value that lost (overwritten), the refused row (rejected), the other bookings (double_booked). */
  valueLost: z.string().nullable(),
  reason: z.string(),
  message: z.string(),
  /** The workstation whose change lost or was refused; null for central. */
  deviceId: z.string().nullable(),
  otherDeviceId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.string().nullable(),
  deletedAt: z.string().nullable(),
});
export type ConflictRecord = z.infer<typeof conflictRecordSchema>;

export const replicatedUserRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  username: z.string(),
  fullName: z.string(),
  passwordHash: z.string(),
  /** JSON text: an array of roles. */
  roles: z.string(),
  active: z.boolean(),
  mfaSecret: z.string().nullable(),
  mfaEnrolledAt: z.string().nullable(),
  mfaLastCounter: z.number().nullable(),
  recoveryCodeHashes: z.string(),
  failedAttempts: z.number(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  /** Rows stored before workstation schema 7 lack it: read as false. */
  passwordChangeRequired: z.boolean().default(false),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
  /** JSON text: an administrator's signed approval (domain/sync/staff-approval.ts); null from central. */
  changeApproval: z.string().nullable(),
});
export type ReplicatedUserRow = z.infer<typeof replicatedUserRowSchema>;

export const replicatedSettingRowSchema = z.object({
  clinicId: z.string(),
  key: z.string(),
  /** JSON text. */
  value: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});

/** Row id of a clinic setting (its table has a composite key). */
export const settingRowId = (clinicId: string, key: string) => `${clinicId}:${key}`;

/** Origin stamp of changes made by central itself (administrators, the booking rule). */
export const CENTRAL_ORIGIN = 'central';
