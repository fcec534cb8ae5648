import { z } from 'zod';
import { idSchema } from '../common';

/**
 * Telehealth (issue 10): video visits with an enforced waiting room. Central owns the session state (one
 * session per appointment; participants with their admission state; chat; events); the clinician's renderer
 * reaches it only through its workstation's proxy endpoints (./endpoints.ts), the patient's join page
 * directly (./central-endpoints.ts). Live updates and WebRTC signaling: ./live.ts. Replicated rows: ./rows.ts.
 *
 * Identities given to the video provider are participant ids and room names are session ids: no names or
 * other patient data ever reach Twilio or a URL. The join token is opaque (signed ids and a window).
 */

/** Which video provider a clinic's central uses (TESSERA_TELEHEALTH_PROVIDER). */
export const videoProviders = ['twilio', 'direct'] as const;
export const videoProviderSchema = z.enum(videoProviders);
export type VideoProvider = z.infer<typeof videoProviderSchema>;

export const sessionStatuses = ['open', 'ended'] as const;
export const sessionStatusSchema = z.enum(sessionStatuses);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

/** `audio_only`: video failed and the visit continued by phone (recorded; a different billing modifier). */
export const sessionModes = ['video', 'audio_only'] as const;
export const sessionModeSchema = z.enum(sessionModes);
export type SessionMode = z.infer<typeof sessionModeSchema>;

export const participantRoles = ['host', 'patient', 'guest'] as const;
export const participantRoleSchema = z.enum(participantRoles);
export type ParticipantRole = z.infer<typeof participantRoleSchema>;

/**
 * - invited: a link exists, nobody has opened it yet;
 * - waiting: in the waiting room (every join, and every re-opened page, lands here);
 * - admitted: the host let them in: they may get a room token;
 * - connected: their media is up (reported by the page, or by the provider);
 * - left: they left (or the session ended); opening the link again returns to waiting;
 * - denied: the host turned them away with a message (terminal for that link);
 * - removed: the host removed them; removed from the provider's room at once; the link is revoked.
 */
export const participantStates = [
  'invited',
  'waiting',
  'admitted',
  'connected',
  'left',
  'denied',
  'removed',
] as const;
export const participantStateSchema = z.enum(participantStates);
export type ParticipantState = z.infer<typeof participantStateSchema>;

export const participantStateLabels: Record<ParticipantState, string> = {
  invited: 'Invited',
  waiting: 'Waiting',
  admitted: 'Admitted',
  connected: 'In the visit',
  left: 'Left',
  denied: 'Turned away',
  removed: 'Removed',
};

/**
 * clinic_settings row `<clinicId>:telehealth.join_opens_minutes` (JSON number): how many minutes before the
 * start patients may join their video visit from the portal. Unset or unreadable: central's default
 * (`TESSERA_TELEHEALTH_OPENS_BEFORE_MINUTES`).
 */
export const JOIN_OPENS_KEY = 'telehealth.join_opens_minutes';
export const MAX_JOIN_OPENS_MINUTES = 24 * 60;

export function readJoinOpensMinutes(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_JOIN_OPENS_MINUTES
    ? value
    : null;
}

/** Group visits: couples, family, groups — at most this many participants, the host included. */
export const MAX_PARTICIPANTS = 12;

/** How the session looks to everyone in it. `patientLocation` is null for patients and guests. */
export const telehealthSessionSchema = z.object({
  id: idSchema,
  appointmentId: idSchema,
  provider: videoProviderSchema,
  status: sessionStatusSchema,
  mode: sessionModeSchema,
  /** The clinician's display name, shown in the waiting room. */
  hostName: z.string(),
  clinicName: z.string(),
  /** The clinic's waiting-room message (clinic setting `telehealth.waitingMessage`), or ''. */
  clinicMessage: z.string(),
  /** The appointment's start (ISO instant). */
  startsAt: z.string(),
  createdAt: z.string(),
  /** First admission of a patient or guest. */
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  audioOnlyAt: z.string().nullable(),
  /** Where the patient is during the visit (confirmed at start: the emergency address). Staff only. */
  patientLocation: z.string().nullable(),
  locationConfirmedAt: z.string().nullable(),
  /** The confirmed location is the patient's home (place of service 10) or elsewhere (02); null: not yet. Staff only. */
  patientAtHome: z.boolean().nullable(),
});
export type TelehealthSession = z.infer<typeof telehealthSessionSchema>;

export const participantSchema = z.object({
  id: idSchema,
  role: participantRoleSchema,
  displayName: z.string(),
  state: participantStateSchema,
  stateChangedAt: z.string(),
  /** When they entered the waiting room this time (null unless waiting): the waiting list's "for 4 min". */
  waitingSince: z.string().nullable(),
  /** The message given when denied (shown to that participant). */
  deniedMessage: z.string().nullable(),
});
export type Participant = z.infer<typeof participantSchema>;

export const chatMessageSchema = z.object({
  id: idSchema,
  sessionId: idSchema,
  participantId: idSchema,
  senderRole: participantRoleSchema,
  senderName: z.string(),
  text: z.string(),
  sentAt: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/**
 * The whole state of a session as one side sees it: the answer to a state request and the first event of
 * every live stream (so a reconnect or a reload starts from the truth, chat history included).
 * Staff see every participant; a patient or guest sees themselves, the host, and the others once admitted.
 */
export const sessionSnapshotSchema = z.object({
  session: telehealthSessionSchema,
  participants: z.array(participantSchema),
  chat: z.array(chatMessageSchema),
  /** The participant this view belongs to (the host for staff). */
  you: idSchema,
});
export type SessionSnapshot = z.infer<typeof sessionSnapshotSchema>;

// ---------------------------------------------------------------- inputs

export const chatTextSchema = z
  .string()
  .trim()
  .min(1, 'Type a message.')
  .max(2000, 'Keep a message to 2,000 characters or fewer.');
export const sendChatSchema = z.object({ text: chatTextSchema });

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter your name as the clinician should see it.')
  .max(100, 'Use 100 characters or fewer.');

export const startSessionSchema = z.object({ appointmentId: idSchema });

export const linkRoles = ['patient', 'guest'] as const;
export const createLinkSchema = z.discriminatedUnion('role', [
  /** The appointment's patient: one valid link at a time (a new one replaces the old). */
  z.object({ role: z.literal('patient') }),
  /** A host-approved guest (interpreter, family member): each guest link admits one more person. */
  z.object({ role: z.literal('guest'), displayName: displayNameSchema }),
]);
export type CreateLink = z.infer<typeof createLinkSchema>;

export const joinLinkSchema = z.object({
  /** The patient page's address, with the token in the fragment (#t=…): never sent to a server by a browser. */
  url: z.string(),
  token: z.string(),
  participantId: idSchema,
  /** When the link starts working (30 minutes before the start) and stops (configurable after it). */
  opensAt: z.string(),
  expiresAt: z.string(),
});
export type JoinLink = z.infer<typeof joinLinkSchema>;

export const denySchema = z.object({
  message: z
    .string()
    .trim()
    .max(500, 'Keep the message to 500 characters or fewer.')
    .default('')
    .transform((m) => m || 'The clinician cannot see you in this visit. Please contact the clinic.'),
});

export const confirmLocationSchema = z.object({
  location: z
    .string()
    .trim()
    .min(3, 'Enter where the patient is now (street address, city), for emergencies.')
    .max(300, 'Use 300 characters or fewer.'),
  /** Home → place of service 10, elsewhere → 02 (billing's rule table); asked, never assumed. */
  atHome: z.boolean({
    error: 'Say whether the patient is at home or somewhere else (it decides the place of service).',
  }),
});

export const audioOnlySchema = z.object({
  reason: z.string().trim().max(300, 'Use 300 characters or fewer.').default(''),
});

/**
 * Switch the visit between video and audio only (either side's control bar; the reconnect overlay). The
 * session records each change with its time: audio-only time changes the billing modifier (93 / FQ).
 */
export const changeModeSchema = z.object({
  mode: sessionModeSchema,
  reason: z.string().trim().max(300, 'Use 300 characters or fewer.').default(''),
});

/** What a page reports about its own media; drives `connected` / `left`. */
export const connectionReportSchema = z.object({ state: z.enum(['connected', 'left']) });
/**
 * The host's report to central. A workstation that signs its clinician out (idle time-out, lock, sign-out)
 * reports `left` for them with why, so the patient's waiting room shows them away and the record says so.
 */
export const hostLeftReasons = ['signed_out_idle', 'signed_out'] as const;
export type HostLeftReason = (typeof hostLeftReasons)[number];
export const hostLeftReasonLabels: Record<HostLeftReason, string> = {
  signed_out_idle: 'signed out on the workstation after inactivity',
  signed_out: 'signed out on the workstation',
};
export const hostConnectionReportSchema = connectionReportSchema.extend({ reason: z.enum(hostLeftReasons).optional() });

/** Twilio's status callback URL names the clinic (the signature covers the whole URL). */
export const twilioStatusParamsSchema = z.object({ clinicId: idSchema });
export const providerEventAckSchema = z.object({ received: z.literal(true), duplicate: z.boolean() });

export const participantParamsSchema = z.object({ sessionId: idSchema, participantId: idSchema });
export const sessionParamsSchema = z.object({ sessionId: idSchema });
export const appointmentParamsSchema = z.object({ appointmentId: idSchema });

// ---------------------------------------------------------------- room access (only after admission)

export const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

/**
 * Given only to an admitted (or connected) participant of an open session, and to the host. Before
 * admission the request is refused with 403 `not_admitted`.
 */
export const roomAccessSchema = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('twilio'),
    /** A Twilio access token (JWT) with a VideoGrant for this one room. */
    token: z.string(),
    roomName: z.string(),
    identity: z.string(),
    expiresAt: z.string(),
  }),
  z.object({
    provider: z.literal('direct'),
    /** Browser WebRTC, signaling through central's live channel (./live.ts). */
    iceServers: z.array(iceServerSchema),
    roomName: z.string(),
    identity: z.string(),
    expiresAt: z.string(),
  }),
]);
export type RoomAccess = z.infer<typeof roomAccessSchema>;

/**
 * For the network test before joining: a Twilio token for a throw-away preflight room (never the visit's
 * room), or the ICE servers for the direct provider. Allowed in the waiting room.
 */
export const preflightAccessSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('twilio'), token: z.string(), expiresAt: z.string() }),
  z.object({ provider: z.literal('direct'), iceServers: z.array(iceServerSchema) }),
]);
export type PreflightAccess = z.infer<typeof preflightAccessSchema>;

// ---------------------------------------------------------------- the patient's link

/** The join token: opaque, signed, single-appointment. Carried in the page's fragment and POSTed. */
export const joinTokenSchema = z
  .string()
  .trim()
  .min(1, 'This link is incomplete. Open the whole link from your message, or ask the clinic for a new one.')
  .max(
    1000,
    'This link is not valid. Open the whole link from your message, or ask the clinic for a new one.',
  );

export const checkLinkSchema = z.object({ token: joinTokenSchema });
/** What the page shows before the device check: whose visit, when the link works. */
export const linkInfoSchema = z.object({
  clinicName: z.string(),
  hostName: z.string(),
  startsAt: z.string(),
  opensAt: z.string(),
  expiresAt: z.string(),
  role: z.enum(linkRoles),
  /** The name the clinic has for a guest, or '' (the patient confirms their own on the device check). */
  suggestedName: z.string(),
});
export type LinkInfo = z.infer<typeof linkInfoSchema>;

export const joinSchema = z.object({ token: joinTokenSchema, displayName: displayNameSchema });
export const joinResultSchema = z.object({
  /**
   * The participant credential: `Authorization: Bearer …` on every participant endpoint. Each join issues a
   * new one and retires the previous (one device at a time); keep it in memory, not in storage.
   */
  credential: z.string(),
  snapshot: sessionSnapshotSchema,
});
export type JoinResult = z.infer<typeof joinResultSchema>;

/**
 * Error codes of a refused link (the `error.message` is the sentence to show; it says what to do):
 * - link_invalid: not a link of ours, or altered (400);
 * - link_not_yet: before the window opens; `message` says when (403);
 * - link_expired: after the window (410);
 * - link_replaced: a newer link was sent for this visit (410);
 * - link_revoked: the participant was removed (410);
 * - link_denied: the clinician turned this participant away; the message is theirs (403);
 * - visit_ended: the session has ended (410);
 * - visit_full: the visit has its maximum of participants (409).
 */
export const linkRefusalCodes = [
  'link_invalid',
  'link_not_yet',
  'link_expired',
  'link_replaced',
  'link_revoked',
  'link_denied',
  'visit_ended',
  'visit_full',
] as const;
export type LinkRefusalCode = (typeof linkRefusalCodes)[number];

/** Other codes the telehealth endpoints answer with. */
export const telehealthErrorCodes = {
  /** Room access asked for before admission (403). */
  notAdmitted: 'not_admitted',
  /** The participant credential was retired (the link opened elsewhere), or the participant removed (401). */
  participantRetired: 'participant_retired',
  /** The workstation cannot reach central (503): "Telehealth needs the central server…". */
  offline: 'telehealth_offline',
  /** The workstation is not enrolled with a central server (409). */
  notEnrolled: 'telehealth_not_enrolled',
  /** The appointment is not a telehealth appointment, or has not reached central yet (409/404). */
  notTelehealth: 'not_telehealth',
  appointmentUnknown: 'appointment_unknown',
  /** The session has ended (409). */
  ended: 'visit_ended',
  /** The visit's video provider is not configured on central (503). */
  notConfigured: 'telehealth_not_configured',
} as const;

// ---------------------------------------------------------------- configuration and status

export const telehealthConfigSchema = z.object({
  provider: videoProviderSchema,
  /** A link works from this many minutes before the start … */
  opensMinutesBefore: z.number().int(),
  /** … to this many minutes after it. */
  closesMinutesAfter: z.number().int(),
  /** The patient page's address on central (links are `${joinPageUrl}#t=…`). */
  joinPageUrl: z.string(),
});
export type TelehealthConfig = z.infer<typeof telehealthConfigSchema>;

/** The workstation's answer: telehealth works only while central answers. */
export const telehealthStatusSchema = z.discriminatedUnion('available', [
  z.object({ available: z.literal(true), config: telehealthConfigSchema }),
  z.object({
    available: z.literal(false),
    code: z.enum(['telehealth_offline', 'telehealth_not_enrolled', 'telehealth_not_configured']),
    /** A sentence: "Telehealth needs the central server, which cannot be reached. Everything else works." */
    message: z.string(),
  }),
]);
export type TelehealthStatus = z.infer<typeof telehealthStatusSchema>;

/** My day / the board: open sessions of the clinic and who waits in them. */
export const openSessionSchema = z.object({
  session: telehealthSessionSchema,
  waiting: z.number().int(),
  /** The longest current wait (ISO instant of the earliest waitingSince), or null. */
  waitingSince: z.string().nullable(),
  inRoom: z.number().int(),
});
export const openSessionListSchema = z.object({ sessions: z.array(openSessionSchema) });

export const sessionLookupSchema = z.object({ snapshot: sessionSnapshotSchema.nullable() });

/** A past visit's telehealth record, from the workstation's own copy (works offline). */
export const visitRecordSchema = z.object({
  sessions: z.array(
    z.object({
      id: idSchema,
      provider: videoProviderSchema,
      status: sessionStatusSchema,
      mode: sessionModeSchema,
      startedAt: z.string().nullable(),
      endedAt: z.string().nullable(),
      audioOnlyAt: z.string().nullable(),
      audioOnlyReason: z.string().nullable(),
      patientLocation: z.string().nullable(),
      locationConfirmedAt: z.string().nullable(),
      patientAtHome: z.boolean().nullable(),
      roomDurationSeconds: z.number().int().nullable(),
    }),
  ),
  events: z.array(
    z.object({
      id: idSchema,
      sessionId: idSchema,
      kind: z.string(),
      participantRole: participantRoleSchema.nullable(),
      participantName: z.string().nullable(),
      detail: z.string(),
      occurredAt: z.string(),
    }),
  ),
  chat: z.array(chatMessageSchema),
  /** Each participant's time in the video room, from the events above (joined/left stretches, total). */
  participants: z.array(
    z.object({
      sessionId: idSchema,
      participantId: idSchema,
      role: participantRoleSchema.nullable(),
      name: z.string().nullable(),
      intervals: z.array(z.object({ joinedAt: z.string(), leftAt: z.string().nullable(), seconds: z.number().int() })),
      connectedSeconds: z.number().int(),
    }),
  ),
});
export type VisitRecord = z.infer<typeof visitRecordSchema>;
