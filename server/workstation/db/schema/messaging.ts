import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instrumentIds } from '../../../contracts/questionnaires/instruments';
import {
  assignmentStatuses,
  messageSenders,
  questionnaireSchedules,
} from '../../../contracts/portal/messaging';

/** Secure messages and questionnaires (migration 0014_portal_messages); replicated with central. */

export const portalThreads = sqliteTable('portal_threads', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  subject: text('subject').notNull(),
  assignedUserId: text('assigned_user_id'),
  openedBy: text('opened_by', { enum: messageSenders }).notNull(),
  lastMessageAt: text('last_message_at').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const portalMessages = sqliteTable('portal_messages', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  threadId: text('thread_id').notNull(),
  patientId: text('patient_id').notNull(),
  sender: text('sender', { enum: messageSenders }).notNull(),
  senderUserId: text('sender_user_id'),
  senderName: text('sender_name').notNull(),
  body: text('body').notNull(),
  sentAt: text('sent_at').notNull(),
  readByPatientAt: text('read_by_patient_at'),
  readByStaffAt: text('read_by_staff_at'),
  readByStaffUserId: text('read_by_staff_user_id'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const questionnaireAssignments = sqliteTable('questionnaire_assignments', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  instrument: text('instrument', { enum: instrumentIds }).notNull(),
  schedule: text('schedule', { enum: questionnaireSchedules }).notNull(),
  repeatWeeks: integer('repeat_weeks'),
  status: text('status', { enum: assignmentStatuses }).notNull(),
  assignedBy: text('assigned_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const questionnaireResponses = sqliteTable('questionnaire_responses', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  assignmentId: text('assignment_id').notNull(),
  instrument: text('instrument', { enum: instrumentIds }).notNull(),
  answers: text('answers').notNull(),
  totalScore: integer('total_score').notNull(),
  severity: text('severity').notNull(),
  urgent: integer('urgent', { mode: 'boolean' }).notNull(),
  appointmentId: text('appointment_id'),
  period: integer('period'),
  submittedAt: text('submitted_at').notNull(),
  reviewedAt: text('reviewed_at'),
  reviewedBy: text('reviewed_by'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});
