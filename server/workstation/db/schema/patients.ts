import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/** Patient registry. */
export const patients = sqliteTable('patients', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  mrn: text('mrn').notNull(),
  legalFirstName: text('legal_first_name').notNull(),
  legalLastName: text('legal_last_name').notNull(),
  dateOfBirth: text('date_of_birth').notNull(),
  restricted: integer('restricted', { mode: 'boolean' }).notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});
