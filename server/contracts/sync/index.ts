import { z } from 'zod';
import { idSchema } from '../common';
import { enrollmentCodeSchema } from './protocol';
import { conflictKinds } from './rows';

export * from './protocol';
export * from './rows';

/** What the app frame and the Sync admin screen show about this workstation's replication. */
export const syncStateSchema = z.enum([
  /** Not enrolled with a central server: works alone. */
  'not_enrolled',
  /** Enrolled; the first contact of this run has not finished yet. */
  'connecting',
  /** Central answers and the live channel is open. */
  'online',
  /** Central cannot be reached; local work continues and is sent later. */
  'offline',
  /** Central refuses this workstation's schema: Tessera must be updated; unsent changes are kept. */
  'update_required',
  /** Central revoked this workstation's credential: an administrator must enroll it again. */
  'revoked',
  /** Central answered with an error that retrying has not fixed yet. */
  'error',
]);
export type SyncState = z.infer<typeof syncStateSchema>;
/** Stored in `sync_state.blocked`: the states only central can lift. */
export const syncBlockedReasons = ['revoked', 'update_required'] as const satisfies readonly SyncState[];

export const syncStatusSchema = z.object({
  state: syncStateSchema,
  centralUrl: z.string().nullable(),
  /** The machine policy presets (and locks) the central server address. */
  centralUrlLocked: z.boolean(),
  deviceId: z.string().nullable(),
  enrolledAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  /** Local changes central has not acknowledged yet. */
  pending: z.number().int().nonnegative(),
  /** Open entries in the conflict inbox. */
  conflicts: z.number().int().nonnegative(),
  /** Central's clock minus this workstation's, when measured; large values are shown as a warning. */
  clockSkewMs: z.number().nullable(),
  /** A sentence for staff: what is happening and what (if anything) to do. */
  message: z.string().nullable(),
  nextRetryAt: z.string().nullable(),
  /** The first download of the clinic's records after enrolling. */
  initialSync: z.object({
    done: z.boolean(),
    received: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().nullable(),
  }),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const centralUrlSchema = z
  .url({
    protocol: /^https?$/,
    message: 'Enter the central server address, like https://tessera.example.org.',
  })
  .max(500)
  .transform((u) => u.replace(/\/+$/, ''));

export const enrollSchema = z.object({
  centralUrl: centralUrlSchema,
  code: enrollmentCodeSchema,
  workstationName: z.string().trim().min(1, 'Name this workstation (for example Front desk 1).').max(100),
});
export type Enroll = z.input<typeof enrollSchema>;

export const conflictKindSchema = z.enum(conflictKinds);
export type ConflictKind = z.infer<typeof conflictKindSchema>;

export const conflictSubjectSchema = z.object({
  kind: z.enum(['patient', 'appointment', 'note', 'staff', 'setting', 'record']),
  /** Who or what it is about, for staff (a patient's name and MRN, a username, a setting). */
  label: z.string(),
  patientId: z.string().nullable(),
});

export const conflictSchema = z.object({
  id: idSchema,
  kind: conflictKindSchema,
  tableName: z.string(),
  rowId: z.string(),
  /** The property concerned (overwritten), or null for the whole record. */
  field: z.string().nullable(),
  subject: conflictSubjectSchema,
  /** The value the record holds now. */
  currentValue: z.unknown(),
  /** The value that lost: overwritten, refused, or the other appointment(s). */
  otherValue: z.unknown(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  /** Whether "use the other value" is possible (overwritten values of records that still exist). */
  canRestore: z.boolean(),
  /**
   * An edit to a patient record that was merged into another: the surviving record and the fields the edit
   * changed, which "Apply to <label>" writes there. Null when there is nothing to re-apply.
   */
  survivor: z.object({ patientId: z.string(), label: z.string(), fields: z.array(z.string()) }).nullable(),
});
export type Conflict = z.infer<typeof conflictSchema>;

export const conflictListQuerySchema = z.object({
  status: z.enum(['open', 'resolved']).default('open'),
});
export const conflictListSchema = z.object({ conflicts: z.array(conflictSchema) });

export const conflictIdParamsSchema = z.object({ id: idSchema });

export const resolveConflictSchema = z.object({
  /**
   * keep_current: the record stays as it is; restore_other: put the overwritten value back;
   * acknowledge: seen and handled elsewhere (a refused edit re-done as an addendum, a double booking kept);
   * apply_to_survivor: write an edit made to a merged-away patient record to the record it was merged into.
   */
  action: z.enum(['keep_current', 'restore_other', 'acknowledge', 'apply_to_survivor']),
});
export type ResolveConflict = z.infer<typeof resolveConflictSchema>;
