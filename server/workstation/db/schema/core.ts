import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { mutationOps } from '../../../contracts/sync/protocol';

/** Core tables: workstation metadata, staff, sessions, audit and the replication outbox. */

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const clinicSettings = sqliteTable(
  'clinic_settings',
  {
    clinicId: text('clinic_id').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    updatedAt: text('updated_at').notNull(),
    updatedBy: text('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.key] })],
);

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  username: text('username').notNull(),
  fullName: text('full_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  roles: text('roles').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  mfaSecret: text('mfa_secret'),
  mfaEnrolledAt: text('mfa_enrolled_at'),
  mfaLastCounter: integer('mfa_last_counter'),
  recoveryCodeHashes: text('recovery_code_hashes').notNull(),
  failedAttempts: integer('failed_attempts').notNull(),
  lockedUntil: text('locked_until'),
  lastLoginAt: text('last_login_at'),
  /** The password was set by an administrator: the next sign-in must choose a new one (migration 0008). */
  passwordChangeRequired: integer('password_change_required', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
  /** An administrator's signed approval of the account's guarded values (domain/sync/staff-approval.ts). */
  changeApproval: text('change_approval'),
});

export const sessions = sqliteTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull(),
  createdAt: text('created_at').notNull(),
  lastActivityAt: text('last_activity_at').notNull(),
  endedAt: text('ended_at'),
  endReason: text('end_reason'),
});

export const emergencyAccessGrants = sqliteTable('emergency_access_grants', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  userId: text('user_id').notNull(),
  patientId: text('patient_id').notNull(),
  reason: text('reason').notNull(),
  grantedAt: text('granted_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});

/** A hash-chained audit log's columns (fresh builders on each call: a column builder belongs to one table). */
const auditChainColumns = () => ({
  seq: integer('seq').primaryKey(),
  id: text('id').notNull(),
  clinicId: text('clinic_id').notNull(),
  at: text('at').notNull(),
  userId: text('user_id'),
  username: text('username'),
  action: text('action').notNull(),
  outcome: text('outcome').notNull(),
  patientId: text('patient_id'),
  workstationId: text('workstation_id').notNull(),
  detail: text('detail').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

export const auditLog = sqliteTable('audit_log', auditChainColumns());

/**
 * The clinic's portal audit chain as pulled from central (migration 0028): the same columns as audit_log,
 * central's numbering, read-only here (services/audit/portal-chain.ts). Not a replicated table.
 */
export const portalAuditLog = sqliteTable('portal_audit_log', auditChainColumns());

export const outbox = sqliteTable('outbox', {
  mutationId: integer('mutation_id').primaryKey({ autoIncrement: true }),
  tableName: text('table_name').notNull(),
  rowId: text('row_id').notNull(),
  op: text('op', { enum: mutationOps }).notNull(),
  payload: text('payload').notNull(),
  createdAt: text('created_at').notNull(),
  pushedAt: text('pushed_at'),
  /** JSON array of the properties an update changed (null: all of them); added by migration 0005. */
  changedFields: text('changed_fields'),
  /** The sync cursor when the change was made (set by a trigger, migration 0005). */
  seenSeq: integer('seen_seq'),
});
