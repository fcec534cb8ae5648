import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { adherenceStatuses } from '../../../contracts/portal/adherence';

/** Medication adherence reported in the portal (migration 0025_medication_adherence); replicated. */
export const medicationAdherence = sqliteTable('medication_adherence', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  medicationId: text('medication_id').notNull(),
  day: text('day').notNull(),
  status: text('status', { enum: adherenceStatuses }).notNull(),
  note: text('note').notNull(),
  enteredByName: text('entered_by_name').notNull(),
  reportedAt: text('reported_at').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});
