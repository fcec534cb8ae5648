import { z } from 'zod';
import { reminderOptOutSchema, reminderSendSchema } from './reminders';
import { idSchema } from '../common';
import { passkeyRegistrationSchema } from './signin';

/**
 * The patient portal's payloads (issue 11), shared by central, the workstation's patient record and the
 * portal's pages. Nothing a patient sends names a patient: who they are comes from their session.
 */

/** What a proxy (a guardian of a minor) may see and do; a patient's own account holds all of them. */
export const portalScopes = [
  'appointments',
  'appointments.cancel',
  'appointments.request',
  'messages',
  'questionnaires',
  'forms',
  'billing',
  'tracking',
  'visit_summaries',
] as const;
export const portalScopeSchema = z.enum(portalScopes);
export type PortalScope = z.infer<typeof portalScopeSchema>;

export const proxyRelationships = ['parent', 'legal_guardian', 'other_caregiver'] as const;
export const proxyRelationshipSchema = z.enum(proxyRelationships);

const emailSchema = z
  .string()
  .trim()
  .max(254, 'At most 254 characters.')
  .pipe(z.email('Enter an e-mail address such as name@example.com.'));

const inviteSelf = z.object({ kind: z.literal('self'), email: emailSchema });
const inviteProxy = z.object({
  kind: z.literal('proxy'),
  email: emailSchema,
  proxyName: z.string().trim().min(2, 'Enter the name of the person who will sign in.').max(120),
  relationship: proxyRelationshipSchema,
  scope: z.array(portalScopeSchema).min(1, 'Choose at least one thing the proxy may do.'),
});
/** The invitation as the patient record sends it (the patient is in the path). */
export const portalInviteBodySchema = z.discriminatedUnion('kind', [inviteSelf, inviteProxy]);
export type PortalInviteBody = z.infer<typeof portalInviteBodySchema>;
/** The invitation as the workstation forwards it to central. */
export const portalInviteSchema = z.discriminatedUnion('kind', [
  inviteSelf.extend({ patientId: idSchema }),
  inviteProxy.extend({ patientId: idSchema }),
]);
export type PortalInvite = z.infer<typeof portalInviteSchema>;

export const portalAccountStatuses = ['invited', 'active', 'revoked'] as const;

/** An account as staff see it on the patient record. */
export const portalAccountSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  kind: z.enum(['self', 'proxy']),
  proxyName: z.string().nullable(),
  relationship: proxyRelationshipSchema.nullable(),
  scope: z.array(portalScopeSchema),
  email: z.string(),
  status: z.enum(portalAccountStatuses),
  createdAt: z.string(),
  activatedAt: z.string().nullable(),
  lastSignInAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** When the newest unused invitation stops working (null: none pending). */
  invitationExpiresAt: z.string().nullable(),
});
export type PortalAccount = z.infer<typeof portalAccountSchema>;

export const portalActivitySchema = z.object({
  id: idSchema,
  accountId: idSchema,
  action: z.string(),
  outcome: z.enum(['ok', 'refused']),
  /** A staff member's act (invite, revoke); null for the account's own. */
  byStaff: z.boolean(),
  at: z.string(),
});
export type PortalActivity = z.infer<typeof portalActivitySchema>;

export const portalPatientQuerySchema = z.object({ patientId: idSchema });
export const portalPatientParamsSchema = z.object({ patientId: idSchema });
export const portalPatientAccountParamsSchema = z.object({ patientId: idSchema, accountId: idSchema });
export const portalAccountParamsSchema = z.object({ accountId: idSchema });
export const portalAccessSchema = z.object({
  accounts: z.array(portalAccountSchema),
  activity: z.array(portalActivitySchema),
  /** Reminder channels the patient turned off (STOP by text, the e-mail's unsubscribe link). */
  reminderOptOuts: z.array(reminderOptOutSchema).default([]),
  /** The latest reminders central sent or could not send, newest first. */
  reminders: z.array(reminderSendSchema).default([]),
});
export type PortalAccess = z.infer<typeof portalAccessSchema>;

// ------------------------------------------------------------------ the patient's side

export const invitationTokenSchema = z
  .string()
  .min(40, 'This link is incomplete. Open the whole link from the e-mail.')
  .max(200, 'This link is not valid. Open the whole link from the e-mail.');

export const setupBeginSchema = z.object({ token: invitationTokenSchema });
export const setupBeginResultSchema = z.object({
  clinicName: z.string(),
  kind: z.enum(['self', 'proxy']),
  totpSecret: z.string(),
  totpUri: z.string(),
});

export const portalPasswordSchema = z
  .string()
  .min(12, 'Use at least 12 characters.')
  .max(200, 'At most 200 characters.');
export const totpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.');

/** The second factor at set-up: the authenticator app's first code, or a passkey (one of the two). */
export const setupCompleteSchema = z
  .object({
    token: invitationTokenSchema,
    password: portalPasswordSchema,
    code: totpCodeSchema.optional(),
    passkey: passkeyRegistrationSchema.optional(),
  })
  .refine((v) => (v.code === undefined) !== (v.passkey === undefined), {
    path: ['code'],
    message: 'Enter the 6-digit code from your authenticator app, or add a passkey instead.',
  });

export const portalSignInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password.').max(200),
  code: totpCodeSchema,
});

export const portalMeSchema = z.object({
  firstName: z.string(),
  clinicName: z.string(),
  kind: z.enum(['self', 'proxy']),
  proxyName: z.string().nullable(),
  scope: z.array(portalScopeSchema),
  idleMinutes: z.number().int(),
  /** false for a session started from an e-mailed link until the patient confirms a second factor. */
  secondFactor: z.boolean(),
  /** The care team's messages the patient has not opened yet (0 when the account has no messages scope). */
  unreadMessages: z.number().int().nonnegative(),
});
export type PortalMe = z.infer<typeof portalMeSchema>;

export const portalAppointmentSchema = z.object({
  id: idSchema,
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
  status: z.string(),
  modality: z.string(),
  providerName: z.string(),
  typeName: z.string(),
  locationName: z.string(),
  /** Whether the portal may cancel it now (status, the clinic's window, the account's scope). */
  canCancel: z.boolean(),
  /** The last moment the portal takes a cancellation (start minus the clinic's window). */
  cancelBy: z.string(),
  /**
   * A video visit: from when "Join video visit" shows (start minus the join link's window); it shows until
   * the appointment ends. Null for in-person visits, cancelled ones, or when central has no video service.
   */
  videoJoinFrom: z.string().nullable(),
});
export type PortalAppointment = z.infer<typeof portalAppointmentSchema>;

export const portalAppointmentsSchema = z.object({
  upcoming: z.array(portalAppointmentSchema),
  past: z.array(portalAppointmentSchema),
  cancelWindowHours: z.number().int(),
});

export const portalAppointmentParamsSchema = z.object({ id: idSchema });
/** Where "Join video visit" goes: the telehealth join page with the visit's link token in the fragment. */
export const portalVideoJoinSchema = z.object({ url: z.string() });
export type PortalVideoJoin = z.infer<typeof portalVideoJoinSchema>;

export const portalCancelSchema = z.object({
  reason: z.string().trim().max(300, 'At most 300 characters.').default(''),
});

export const portalActivityListSchema = z.object({
  entries: z.array(z.object({ action: z.string(), outcome: z.enum(['ok', 'refused']), at: z.string() })),
});
