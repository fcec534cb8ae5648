import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { trackingKinds } from '../../../contracts/portal/tracking';

/** Health tracking from the portal and the clinician's ranges (migration 0023_portal_tracking); replicated. */

export const trackingEntries = sqliteTable('tracking_entries', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  kind: text('kind', { enum: trackingKinds }).notNull(),
  value: integer('value').notNull(),
  value2: integer('value2'),
  enteredByName: text('entered_by_name').notNull(),
  observedAt: text('observed_at').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const trackingRanges = sqliteTable('tracking_ranges', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  kind: text('kind', { enum: trackingKinds }).notNull(),
  low: integer('low'),
  high: integer('high'),
  low2: integer('low2'),
  high2: integer('high2'),
  setBy: text('set_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});
