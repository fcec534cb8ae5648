import { z } from 'zod';
import { idSchema } from '../common';
import { newPasswordSchema, usernameSchema } from '../auth';
import { permissionSchema, roleSchema } from './permissions';
import { timeFormatSchema } from '../time-format';

export * from './permissions';

export const userSummarySchema = z.object({
  id: idSchema,
  username: z.string(),
  fullName: z.string(),
  roles: z.array(roleSchema),
  active: z.boolean(),
  mfaEnrolled: z.boolean(),
  /** Signs in with a password an administrator set and must choose their own. */
  passwordChangeRequired: z.boolean(),
  lockedUntil: z.string().nullable(),
  failedAttempts: z.number().int(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type UserSummary = z.infer<typeof userSummarySchema>;

export const userListSchema = z.object({ users: z.array(userSummarySchema) });

export const createUserSchema = z.object({
  username: usernameSchema,
  fullName: z.string().trim().min(1, 'Enter the person’s full name.').max(200),
  password: newPasswordSchema,
  roles: z.array(roleSchema).min(1, 'Give the user at least one role.'),
});
export type CreateUser = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    fullName: z.string().trim().min(1).max(200),
    roles: z.array(roleSchema).min(1, 'Give the user at least one role.'),
    active: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to change.');

export const resetPasswordSchema = z.object({ password: newPasswordSchema });

export const userIdParamsSchema = z.object({ id: idSchema });

export const roleMatrixSchema = z.object({
  roles: z.array(
    z.object({ role: roleSchema, permissions: z.array(permissionSchema), mfaRequired: z.boolean() }),
  ),
});

export const securitySettingsSchema = z.object({
  lockoutThreshold: z.number().int().min(3, 'At least 3 attempts.').max(20, 'At most 20 attempts.'),
  lockoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  idleTimeoutMinutes: z.number().int().min(1, 'At least 1 minute.').max(240, 'At most 4 hours.'),
  mfaRequiredRoles: z.array(roleSchema),
});
export type SecuritySettings = z.infer<typeof securitySettingsSchema>;
export const updateSecuritySettingsSchema = securitySettingsSchema.partial().extend({
  /**
   * Required to stop requiring MFA for a role that holds administration rights: one stolen password would
   * then open the whole clinic, so the admin confirms it knowingly (and the audit entry says so).
   */
  confirmMfaOffForAdmin: z.literal(true).optional(),
});
export type UpdateSecuritySettings = z.infer<typeof updateSecuritySettingsSchema>;

/** Admin > Clinic: how the clinic's times read on every screen and document. */
export const updateClinicSettingsSchema = z.object({ timeFormat: timeFormatSchema });
export type UpdateClinicSettings = z.infer<typeof updateClinicSettingsSchema>;
