import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { conflictKinds, syncBlockedReasons } from '../../../contracts/sync';

/** Replication: this workstation's enrollment and progress (local), and the conflict inbox (replicated). */

export const syncState = sqliteTable('sync_state', {
  id: integer('id').primaryKey(),
  centralUrl: text('central_url'),
  deviceId: text('device_id'),
  credential: text('credential'),
  enrolledAt: text('enrolled_at'),
  epoch: text('epoch'),
  cursor: integer('cursor').notNull(),
  initialDone: integer('initial_done', { mode: 'boolean' }).notNull(),
  lastSuccessAt: text('last_success_at'),
  clockSkewMs: integer('clock_skew_ms'),
  blocked: text('blocked', { enum: syncBlockedReasons }),
  blockedMessage: text('blocked_message'),
});

export const syncConflicts = sqliteTable('sync_conflicts', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  kind: text('kind', { enum: conflictKinds }).notNull(),
  tableName: text('table_name').notNull(),
  rowId: text('row_id').notNull(),
  field: text('field'),
  valueKept: text('value_kept'),
  valueLost: text('value_lost'),
  reason: text('reason').notNull(),
  message: text('message').notNull(),
  deviceId: text('device_id'),
  otherDeviceId: text('other_device_id'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  resolvedAt: text('resolved_at'),
  resolvedBy: text('resolved_by'),
  resolution: text('resolution'),
  deletedAt: text('deleted_at'),
});
