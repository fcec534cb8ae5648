import { z } from 'zod';

/**
 * The replication protocol between a workstation and the central API: one definition used by the
 * workstation's sync client and by central's HTTP layer. Rows travel as JSON objects keyed by the drizzle
 * property names of the workstation tables (camelCase), exactly as the outbox stores them.
 */

/** Bumped when a message changes incompatibly; central refuses other versions with `protocol_mismatch`. */
export const SYNC_PROTOCOL_VERSION = 1;

/** Headers every workstation request carries, and the ones central answers with. */
export const syncHeaders = {
  protocol: 'x-tessera-protocol',
  /** The workstation's local schema version (PRAGMA user_version): an old workstation is told to update. */
  schema: 'x-tessera-schema',
  /** The workstation's clock when it sent the request (ISO instant): used to measure skew, never trusted. */
  clock: 'x-tessera-clock',
  /** Central's clock when it answered (epoch ms). */
  serverTime: 'x-tessera-server-time',
  /** Central's epoch id: changes when central is restored from a backup. */
  epoch: 'x-tessera-epoch',
  /** The workstation's report for the console: `app=1.4.0; pending=3; conflicts=0; cursor=1200`. */
  status: 'x-tessera-status',
} as const;

/**
 * The newest workstation schema version (PRAGMA user_version) this build knows. Central serves workstations
 * up to it and never lets a reported version above it raise what the clinic requires: a device cannot
 * ratchet its clinic with a made-up version. tests/unit/sync/protocol-catalogue.test.ts pins it to the
 * workstation's migrations list, so adding a migration means bumping it here.
 */
export const LATEST_WORKSTATION_SCHEMA = 28;

/** A schema version as a workstation reports it: one this build of Tessera knows. */
export const workstationSchemaSchema = z
  .number()
  .int()
  .nonnegative()
  .max(
    LATEST_WORKSTATION_SCHEMA,
    'This workstation runs a newer version of Tessera than the central server supports. Update the central server first.',
  );

/**
 * The tables whose rows replicate (the keys of the workstation's `replicatedTables`, pinned to it by
 * tests/unit/sync/protocol-catalogue.test.ts). Central accepts and serves rows of these tables only.
 */
export const REPLICATED_TABLES = [
  'users',
  'patients',
  'patient_emergency_contacts',
  'patient_guarantors',
  'patient_coverages',
  'provider_profiles',
  'locations',
  'rooms',
  'appointment_types',
  'working_hours',
  'schedule_blocks',
  'appointment_series',
  'appointments',
  'appointment_status_events',
  'appointment_changes',
  'waitlist_entries',
  'encounters',
  'problems',
  'allergies',
  'medications',
  'vitals',
  'patient_alerts',
  'note_templates',
  'notes',
  'note_addenda',
  'note_amendments',
  'treatment_plans',
  'plan_progress',
  'clinician_supervision',
  'clinic_settings',
  'service_codes',
  'fee_schedule_entries',
  'place_of_service_rules',
  'appointment_type_service_codes',
  'charge_lines',
  'payment_policy_overrides',
  'emergency_access_grants',
  'audit_log',
  'sync_conflicts',
  'ledger_entries',
  'ledger_allocations',
  'telehealth_sessions',
  'telehealth_events',
  'telehealth_chat_messages',
  'portal_threads',
  'portal_messages',
  'questionnaire_assignments',
  'questionnaire_responses',
  'claim_payers',
  'claim_billing_providers',
  'claim_rendering_providers',
  'claims',
  'claim_lines',
  'claim_batches',
  'claim_files',
  'claim_events',
  'era_payments',
  'claim_line_postings',
  'claim_inbound_files',
  'eligibility_files',
  'eligibility_checks',
  'portal_forms',
  'portal_form_submissions',
  'portal_demographic_changes',
  'appointment_requests',
  'portal_files',
  'tracking_entries',
  'tracking_ranges',
  'medication_adherence',
] as const;
export type ReplicatedTable = (typeof REPLICATED_TABLES)[number];

/** SQL table names as the workstation knows them (the keys of `replicatedTables`). */
export const tableNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'Not a table name.');

const replicated: ReadonlySet<string> = new Set(REPLICATED_TABLES);

/** A table a workstation may push to: one that replicates (typed as a string, like the outbox's column). */
export const replicatedTableSchema = tableNameSchema.refine(
  (t) => replicated.has(t),
  'Not a replicated table.',
);

/**
 * How deep a pushed row's values may nest. Rows are flat (column -> scalar; JSON columns travel as text),
 * so anything deeper is not a row of ours; central refuses such a mutation as rejected (kept in the
 * conflict inbox), never by failing the whole push, which the workstation would retry for ever.
 */
export const ROW_MAX_DEPTH = 4;

/**
 * A replicated row: property name -> JSON value. Checked as a JSON object and taken as parsed: a record
 * schema would check every key is a string (JSON keys always are) and copy every row, which was a tenth
 * of a first download's time and is repeated for every row of every push. What the values may be is
 * each side's business (central's policies and rowProblem, the workstation's columns).
 */
export const rowSchema = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'A row must be a JSON object.',
);
export type Row = z.infer<typeof rowSchema>;

/** Stored in `outbox.op`. */
export const mutationOps = ['insert', 'update', 'delete'] as const;

export const mutationSchema = z.object({
  /** Per-device, strictly increasing (the outbox's mutation_id). */
  mutationId: z.number().int().positive(),
  table: replicatedTableSchema,
  rowId: z.string().min(1).max(200),
  op: z.enum(mutationOps),
  /** The whole row after the change. */
  row: rowSchema,
  /** The properties this mutation changed; null = all of them (inserts, or writes that did not say). */
  changedFields: z.array(z.string().max(64)).max(200).nullable(),
  /**
   * The change sequence the workstation had pulled when the change was made: a field central changed after
   * it (from another workstation) was overwritten without being seen, which is a conflict worth recording.
   * Null: unknown (written before the workstation's current epoch), so plain last-writer-wins.
   */
  seenSeq: z.number().int().nonnegative().nullable(),
  /** The workstation's clock at the change: shown to people, never used to order changes. */
  createdAt: z.string().max(40),
});
export type Mutation = z.infer<typeof mutationSchema>;

export const PUSH_BATCH_MAX = 1000;

export const pushRequestSchema = z.object({
  /** The epoch the workstation is in step with; central answers `epoch_changed` when it differs. */
  epoch: z.string().max(100),
  /**
   * The highest mutation id central acknowledged to this workstation. A central that has less (restored
   * from a backup) answers `central_behind` instead of applying, so the gap is re-sent first, in order.
   */
  lastAcknowledged: z.number().int().nonnegative(),
  mutations: z.array(mutationSchema).min(1).max(PUSH_BATCH_MAX),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

/**
 * - applied: stored as sent;
 * - merged: stored, but combined with a concurrent change from elsewhere (a conflict record keeps what
 *   was overwritten, or an appointment was flagged double-booked);
 * - rejected: not stored; a conflict record keeps what was sent, and `current` is central's row so the
 *   workstation can put its copy back in step.
 */
export const mutationStatusSchema = z.enum(['applied', 'merged', 'rejected']);
export type MutationStatus = z.infer<typeof mutationStatusSchema>;

export const mutationResultSchema = z.object({
  mutationId: z.number().int().positive(),
  status: mutationStatusSchema,
  /** True when central had already applied this id (a retry after a lost answer): nothing was done twice. */
  duplicate: z.boolean().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  /** For rejections: central's current row (null when central has none). */
  current: rowSchema.nullable().optional(),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResponseSchema = z.object({
  epoch: z.string(),
  results: z.array(mutationResultSchema),
  /** The highest mutation id central has applied for this device (after this push). */
  lastMutationId: z.number().int().nonnegative(),
  /** The clinic's change sequence after this push. */
  head: z.number().int().nonnegative(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const PULL_PAGE_MAX = 5000;

export const pullQuerySchema = z.object({
  cursor: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(PULL_PAGE_MAX).default(1000),
});

export const changeSchema = z.object({
  seq: z.number().int().positive(),
  table: tableNameSchema,
  rowId: z.string(),
  /** The row's current state (tombstones are rows with deletedAt set). */
  row: rowSchema,
});
export type Change = z.infer<typeof changeSchema>;

export const pullResponseSchema = z.object({
  epoch: z.string(),
  changes: z.array(changeSchema),
  /** Apply the page, then store this cursor in the same local transaction. */
  cursor: z.number().int().nonnegative(),
  head: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

export const helloResponseSchema = z.object({
  epoch: z.string(),
  clinicId: z.uuid(),
  clinicName: z.string(),
  deviceId: z.uuid(),
  /** What central has applied for this device: after a restore it can be lower than what was acknowledged. */
  lastMutationId: z.number().int().nonnegative(),
  head: z.number().int().nonnegative(),
  /** The lowest workstation schema version central serves for this clinic. */
  requiredSchema: z.number().int().nonnegative(),
  serverTime: z.number(),
});
export type HelloResponse = z.infer<typeof helloResponseSchema>;

/** One-time codes look like ABCD-EFGH-JKMN-PQRS (Crockford base32, 80 bits). */
export const enrollmentCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(
    z
      .string()
      .regex(
        /^[0-9A-HJKMNP-TV-Z]{16}$/,
        'Enrollment codes have 16 letters and digits, like ABCD-EFGH-JKMN-PQRS.',
      ),
  );

export const enrollRequestSchema = z.object({
  code: enrollmentCodeSchema,
  /** The workstation's own id (meta.workstation_id): shown to admins, and lets a re-enrollment be recognised. */
  workstationId: z.uuid(),
  name: z.string().trim().min(1).max(100),
  schemaVersion: workstationSchemaSchema,
  /** The clinic this workstation already serves (set up before enrolling), or null for a fresh one. */
  clinicId: z.uuid().nullable(),
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

export const enrollResponseSchema = z.object({
  deviceId: z.uuid(),
  /** The device credential: sent as `Authorization: Bearer …` from now on; revocable by central admins. */
  credential: z.string(),
  clinicId: z.uuid(),
  clinicName: z.string(),
  epoch: z.string(),
  /**
   * The clinic's key for the staff secrets central sends wrapped (domain/sync/secret-wrap.ts): given here
   * only, never in a pull, so a pull with a stolen credential alone does not reveal them.
   */
  secretsKey: z.string().min(1).max(100),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/** Live channel (server-sent events): `event: change` with this data when the clinic's sequence advances. */
export const changeEventSchema = z.object({ head: z.number().int().nonnegative(), epoch: z.string() });

/** Error codes with a protocol meaning (the workstation reacts to each differently). */
export const syncErrorCodes = {
  updateRequired: 'update_required',
  protocolMismatch: 'protocol_mismatch',
  deviceRevoked: 'device_revoked',
  notAuthenticated: 'not_authenticated',
  /** The workstation must say hello again (central restored from a backup). */
  epochChanged: 'epoch_changed',
  centralBehind: 'central_behind',
} as const;

// ------------------------------------------------------------------ the portal's audit chain

/** The workstation id of every portal entry in the clinic's audit log (the portal is not a workstation). */
export const PORTAL_AUDIT_SOURCE = 'patient-portal';
/** Prefix of every portal act's action in the audit log: `patient_portal.sign_in`, `patient_portal.billing.pay`. */
export const PORTAL_ACTION_PREFIX = 'patient_portal.';
export const PORTAL_AUDIT_PAGE_MAX = 2000;

export const portalAuditQuerySchema = z.object({
  /** The last portal entry this workstation stored (0: none). */
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(PORTAL_AUDIT_PAGE_MAX).default(1000),
});

/**
 * One entry of a clinic's portal chain, exactly the fields its hash covers (domain/audit/hash-chain.ts) plus
 * the hash: the workstation re-hashes it before storing, so an entry altered at central is refused.
 */
export const portalAuditEntrySchema = z.object({
  seq: z.number().int().positive(),
  id: z.string(),
  clinicId: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  action: z.string().startsWith(PORTAL_ACTION_PREFIX).max(96),
  outcome: z.enum(['success', 'denied']),
  patientId: z.string().nullable(),
  workstationId: z.literal(PORTAL_AUDIT_SOURCE),
  detail: z.string().max(1000),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PortalAuditEntry = z.infer<typeof portalAuditEntrySchema>;

export const portalAuditPageSchema = z.object({
  entries: z.array(portalAuditEntrySchema),
  /** More entries wait (sealed or not yet sealed): ask again after the last one. */
  hasMore: z.boolean(),
});
export type PortalAuditPage = z.infer<typeof portalAuditPageSchema>;
