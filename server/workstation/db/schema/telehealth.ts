import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import {
  participantRoles,
  sessionModes,
  sessionStatuses,
  videoProviders,
} from '../../../contracts/telehealth';
import { telehealthEventKinds } from '../../../contracts/telehealth/rows';

/** Telehealth visit records written by central (migration 0011_telehealth); replicated, read-only here. */

export const telehealthSessions = sqliteTable('telehealth_sessions', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  appointmentId: text('appointment_id').notNull(),
  hostUserId: text('host_user_id').notNull(),
  provider: text('provider', { enum: videoProviders }).notNull(),
  status: text('status', { enum: sessionStatuses }).notNull(),
  mode: text('mode', { enum: sessionModes }).notNull(),
  patientLocation: text('patient_location'),
  locationConfirmedAt: text('location_confirmed_at'),
  patientAtHome: integer('patient_at_home', { mode: 'boolean' }),
  roomDurationSeconds: integer('room_duration_seconds'),
  audioOnlyAt: text('audio_only_at'),
  audioOnlyReason: text('audio_only_reason'),
  startedAt: text('started_at'),
  endedAt: text('ended_at'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const telehealthEvents = sqliteTable('telehealth_events', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  sessionId: text('session_id').notNull(),
  appointmentId: text('appointment_id').notNull(),
  kind: text('kind', { enum: telehealthEventKinds }).notNull(),
  participantId: text('participant_id'),
  participantRole: text('participant_role', { enum: participantRoles }),
  participantName: text('participant_name'),
  actorUserId: text('actor_user_id'),
  detail: text('detail').notNull(),
  occurredAt: text('occurred_at').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const telehealthChatMessages = sqliteTable('telehealth_chat_messages', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  sessionId: text('session_id').notNull(),
  appointmentId: text('appointment_id').notNull(),
  participantId: text('participant_id').notNull(),
  senderRole: text('sender_role', { enum: participantRoles }).notNull(),
  senderName: text('sender_name').notNull(),
  body: text('body').notNull(),
  sentAt: text('sent_at').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});
