import { bigint, boolean, integer, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** drizzle view of central's tables (./migrations is the source of truth). All live in schema `tessera`. */
export const tessera = pgSchema('tessera');

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const centralMeta = tessera.table('central_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const orgs = tessera.table('orgs', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const clinics = tessera.table('clinics', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  changeSeq: bigint('change_seq', { mode: 'number' }).notNull().default(0),
  schemaHighWater: integer('schema_high_water').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const admins = tessera.table('admins', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id'),
  username: text('username').notNull(),
  passwordHash: text('password_hash').notNull(),
  totpSecret: text('totp_secret').notNull(),
  totpLastCounter: bigint('totp_last_counter', { mode: 'number' }),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: ts('locked_until'),
  createdAt: ts('created_at').notNull().defaultNow(),
  disabledAt: ts('disabled_at'),
});

export const adminSessions = tessera.table('admin_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  adminId: uuid('admin_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
  endedAt: ts('ended_at'),
});

export const devices = tessera.table('devices', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  name: text('name').notNull(),
  workstationId: uuid('workstation_id').notNull(),
  credentialHash: text('credential_hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
  lastSeenAt: ts('last_seen_at'),
  lastMutationId: bigint('last_mutation_id', { mode: 'number' }).notNull().default(0),
  schemaVersion: integer('schema_version'),
  clockSkewMs: bigint('clock_skew_ms', { mode: 'number' }),
});

export const enrollmentCodes = tessera.table('enrollment_codes', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  codeHash: text('code_hash').notNull(),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  deviceId: uuid('device_id'),
});

export const replicaRows = tessera.table('replica_rows', {
  clinicId: uuid('clinic_id').notNull(),
  tableName: text('table_name').notNull(),
  rowId: text('row_id').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  fieldStamps: jsonb('field_stamps').$type<Record<string, [number, string]>>().notNull(),
  createdSeq: bigint('created_seq', { mode: 'number' }).notNull(),
  createdBy: text('created_by').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const replicaLog = tessera.table('replica_log', {
  clinicId: uuid('clinic_id').notNull(),
  tableName: text('table_name').notNull(),
  rowId: text('row_id').notNull(),
  deviceId: uuid('device_id'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

export const bookingSlots = tessera.table('booking_slots', {
  clinicId: uuid('clinic_id').notNull(),
  tableName: text('table_name').notNull(),
  rowId: text('row_id').notNull(),
  resource: text('resource').notNull(),
  during: text('during').notNull(),
  origin: text('origin').notNull(),
  flagged: boolean('flagged').notNull(),
});
