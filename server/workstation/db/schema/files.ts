import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { portalFilePurposes, portalFileSenders, portalFileTypes } from '../../../contracts/portal/files';

/** Files in the portal (migration 0022_portal_files); replicated from central, content fetched on opening. */
export const portalFiles = sqliteTable('portal_files', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  purpose: text('purpose', { enum: portalFilePurposes }).notNull(),
  sender: text('sender', { enum: portalFileSenders }).notNull(),
  senderUserId: text('sender_user_id'),
  senderName: text('sender_name').notNull(),
  title: text('title').notNull(),
  contentType: text('content_type', { enum: portalFileTypes }).notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  sha256: text('sha256').notNull(),
  messageId: text('message_id'),
  submissionId: text('submission_id'),
  uploadedAt: text('uploaded_at').notNull(),
  reviewedAt: text('reviewed_at'),
  reviewedBy: text('reviewed_by'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});
