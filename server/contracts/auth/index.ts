import { z } from 'zod';
import { timeZoneSchema } from '../common';
import { DEFAULT_TIME_FORMAT, timeFormatSchema } from '../time-format';
import { permissionSchema, roleSchema } from '../admin/permissions';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'Usernames have at least 3 characters.')
  .max(64, 'Usernames have at most 64 characters.')
  .regex(/^[a-z0-9._-]+$/, 'Use letters, digits, dots, dashes or underscores.');

/** Length is checked here; the common-password list is checked on the server (domain/auth/password-policy). */
export const newPasswordSchema = z
  .string()
  .min(12, 'Passwords have at least 12 characters.')
  .max(256, 'Passwords have at most 256 characters.');

export const totpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from the authenticator app.');

export const recoveryCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]{5}-[a-z0-9]{5}$/, 'Recovery codes look like abcde-12345.');

/** A TOTP secret offered for enrollment; confirmed by a code before it is stored. */
export const totpEnrollmentSchema = z.object({
  enrollmentId: z.string(),
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});
export type TotpEnrollment = z.infer<typeof totpEnrollmentSchema>;

// ---- first-run setup ----
export const setupStatusSchema = z.object({ needed: z.boolean() });

/** Setup's first step: the clinic and its first administrator, checked before the authenticator step. */
export const setupDetailsSchema = z.object({
  clinicName: z.string().trim().min(1, 'Enter the clinic name.').max(200),
  timeZone: timeZoneSchema,
  admin: z.object({
    username: usernameSchema,
    fullName: z.string().trim().min(1, 'Enter the administrator’s full name.').max(200),
    password: newPasswordSchema,
  }),
});
export type SetupDetails = z.infer<typeof setupDetailsSchema>;

export const setupRequestSchema = setupDetailsSchema.extend({
  enrollmentId: z.string(),
  totpCode: totpCodeSchema,
});
export type SetupRequest = z.infer<typeof setupRequestSchema>;

export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

// ---- sign in ----
export const loginRequestSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, 'Enter your username.').max(64),
  password: z.string().min(1, 'Enter your password.').max(256),
});

export const mfaRequestSchema = z.union([
  z.object({ code: totpCodeSchema }),
  z.object({ recoveryCode: recoveryCodeSchema }),
]);

export const mfaEnrollConfirmSchema = z.object({ enrollmentId: z.string(), code: totpCodeSchema });

export const sessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  roles: z.array(roleSchema),
  permissions: z.array(permissionSchema),
  mfaEnrolled: z.boolean(),
  /** The password was set by an administrator: only the change-password step is open until it is replaced. */
  passwordChangeRequired: z.boolean(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** The clinic as every screen needs it: its name, time zone and clock (12/24-hour; Admin > Clinic). */
export const clinicInfoSchema = z.object({
  name: z.string(),
  timeZone: z.string(),
  timeFormat: timeFormatSchema.default(DEFAULT_TIME_FORMAT),
});
export type ClinicInfo = z.infer<typeof clinicInfoSchema>;

export const sessionInfoSchema = z.object({
  user: sessionUserSchema,
  clinic: clinicInfoSchema,
  idleTimeoutMinutes: z.number().int(),
  expiresAt: z.string(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

/**
 * Login answers with the next step. `mfa` asks for a code; `mfa_enroll` means the user's role requires
 * MFA and none is enrolled yet; `done` carries the session.
 */
export const loginResultSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('mfa') }),
  z.object({ step: z.literal('mfa_enroll'), enrollment: totpEnrollmentSchema }),
  z.object({ step: z.literal('done'), session: sessionInfoSchema }),
]);
export type LoginResult = z.infer<typeof loginResultSchema>;

export const mfaEnrollResultSchema = z.object({
  session: sessionInfoSchema,
  recoveryCodes: z.array(z.string()),
});

/** Why the app sent the user to the login screen; shown there. */
export const signedOutReasonSchema = z.enum(['expired', 'locked', 'signed_out']);
export type SignedOutReason = z.infer<typeof signedOutReasonSchema>;

/**
 * Why the screen locked: the idle time-out, or the person locking it on purpose (the Lock button,
 * Ctrl+Alt+L). The audit log tells the two apart: a lock is a deliberate act, a time-out is not.
 */
export const lockRequestSchema = z.object({ reason: z.enum(['idle', 'manual']) });
export type LockRequest = z.infer<typeof lockRequestSchema>;

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.'),
  newPassword: newPasswordSchema,
});
