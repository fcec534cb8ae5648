import { z } from 'zod';
import { participantRoleSchema, sessionModeSchema, sessionStatusSchema, videoProviderSchema } from './index';

/**
 * The telehealth rows central writes and every workstation of the clinic pulls (replicated tables
 * `telehealth_sessions`, `telehealth_events`, `telehealth_chat_messages`; workstation migration
 * 0011_telehealth). They are the visit's record: kept with the appointment, readable offline
 * (`telehealthRecord`). Workstations never write them (central refuses such a push). Property names are
 * the workstation's drizzle properties.
 */

export const TELEHEALTH_TABLES = [
  'telehealth_sessions',
  'telehealth_events',
  'telehealth_chat_messages',
] as const;

export const telehealthSessionRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  appointmentId: z.string(),
  hostUserId: z.string(),
  provider: videoProviderSchema,
  status: sessionStatusSchema,
  mode: sessionModeSchema,
  patientLocation: z.string().nullable(),
  locationConfirmedAt: z.string().nullable(),
  /** The patient's confirmed location is their home (place of service 10) or not (02); null: not confirmed. */
  patientAtHome: z.boolean().nullable(),
  /** The video room's length as the provider reported it (Twilio room-ended), seconds. */
  roomDurationSeconds: z.number().int().nullable(),
  audioOnlyAt: z.string().nullable(),
  audioOnlyReason: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type TelehealthSessionRow = z.infer<typeof telehealthSessionRowSchema>;

/** What happened in a session, in order: the visit's audit-like timeline. */
export const telehealthEventKinds = [
  'session_opened',
  'link_issued',
  'joined_waiting',
  'admitted',
  'denied',
  'removed',
  'connected',
  'left',
  'location_confirmed',
  'audio_only',
  'video_resumed',
  'room_ended',
  'ended',
] as const;
export type TelehealthEventKind = (typeof telehealthEventKinds)[number];

export const telehealthEventRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  sessionId: z.string(),
  appointmentId: z.string(),
  kind: z.enum(telehealthEventKinds),
  participantId: z.string().nullable(),
  participantRole: participantRoleSchema.nullable(),
  participantName: z.string().nullable(),
  /** The staff member who acted (admit, deny, remove, end…), or null for the participant's own act. */
  actorUserId: z.string().nullable(),
  /** A short sentence (the deny message, the audio-only reason); never a token. */
  detail: z.string(),
  occurredAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type TelehealthEventRow = z.infer<typeof telehealthEventRowSchema>;

export const telehealthChatRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  sessionId: z.string(),
  appointmentId: z.string(),
  participantId: z.string(),
  senderRole: participantRoleSchema,
  senderName: z.string(),
  body: z.string(),
  sentAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type TelehealthChatRow = z.infer<typeof telehealthChatRowSchema>;
