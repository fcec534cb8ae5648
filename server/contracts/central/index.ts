import { z } from 'zod';
import { idSchema, timeZoneSchema } from '../common';
import { newPasswordSchema, totpCodeSchema, usernameSchema } from '../auth';
import { roleSchema } from '../admin/permissions';

/** Central's administration API: organizations, clinics, enrollment codes, devices and staff accounts. */

export const centralHealthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number(),
});
export const centralReadySchema = z.object({
  status: z.enum(['ready']),
  schemaVersion: z.number().int(),
  epoch: z.string(),
});

export const adminSignInSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, 'Enter your username.').max(64),
  password: z.string().min(1, 'Enter your password.').max(256),
  code: totpCodeSchema,
});
export const adminSessionSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  admin: z.object({ id: idSchema, username: z.string(), orgId: idSchema.nullable() }),
});

export const orgSchema = z.object({ id: idSchema, name: z.string(), createdAt: z.string() });
export const orgListSchema = z.object({ orgs: z.array(orgSchema) });
export const createOrgSchema = z.object({
  name: z.string().trim().min(1, 'Enter the organization’s name.').max(200),
});

export const clinicSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  name: z.string(),
  timeZone: z.string(),
  createdAt: z.string(),
  /** Highest change sequence: 0 means no workstation has sent anything yet. */
  head: z.number().int(),
});
export const clinicListSchema = z.object({ clinics: z.array(clinicSchema) });
export const createClinicSchema = z.object({
  orgId: idSchema,
  name: z.string().trim().min(1, 'Enter the clinic’s name.').max(200),
  timeZone: timeZoneSchema,
});
export const clinicParamsSchema = z.object({ clinicId: idSchema });

export const createEnrollmentCodeSchema = z.object({
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(24),
});
export const enrollmentCodeCreatedSchema = z.object({ code: z.string(), expiresAt: z.string() });

export const deviceSchema = z.object({
  id: idSchema,
  name: z.string(),
  workstationId: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  lastMutationId: z.number().int(),
  schemaVersion: z.number().int().nullable(),
  /** Central's clock minus the workstation's at its last request. */
  clockSkewMs: z.number().nullable(),
});
export const deviceListSchema = z.object({ devices: z.array(deviceSchema) });
export const deviceParamsSchema = z.object({ clinicId: idSchema, deviceId: idSchema });

export const staffSchema = z.object({
  id: idSchema,
  username: z.string(),
  fullName: z.string(),
  roles: z.array(roleSchema),
  active: z.boolean(),
  mfaEnrolled: z.boolean(),
});
export const staffListSchema = z.object({ staff: z.array(staffSchema) });
export const createStaffSchema = z.object({
  username: usernameSchema,
  fullName: z.string().trim().min(1, 'Enter the person’s full name.').max(200),
  password: newPasswordSchema,
  roles: z.array(roleSchema).min(1, 'Give the person at least one role.'),
});
export const updateStaffSchema = z
  .object({
    fullName: z.string().trim().min(1).max(200),
    roles: z.array(roleSchema).min(1, 'Give the person at least one role.'),
    active: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to change.');
export const staffParamsSchema = z.object({ clinicId: idSchema, userId: idSchema });

// ---------------------------------------------------------------- code sets (ICD-10-CM)

export const orgParamsSchema = z.object({ orgId: idSchema });

/** An organization administrator imports CDC's file once; every workstation of the organization gets it. */
export const publishCodeSetSchema = z.object({
  release: z
    .string()
    .trim()
    .min(1, 'Name the release, e.g. FY2026 (October 1, 2025).')
    .max(100, 'At most 100 characters.'),
  /** The codes (or order) file as CDC publishes it. */
  content: z
    .string()
    .min(1, 'The file is empty.')
    .max(32 * 1024 * 1024, 'At most 32 MB.'),
  allowPartial: z.boolean().default(false),
});

/** A release as central advertises it: workstations compare the digest with what they installed. */
export const codeSetReleaseSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  codeSet: z.literal('icd10cm'),
  release: z.string(),
  /** SHA-256 (hex) of the file: the download is checked against it. */
  digest: z.string(),
  codeCount: z.number().int(),
  publishedAt: z.string(),
});
export type CodeSetRelease = z.infer<typeof codeSetReleaseSchema>;
export const currentCodeSetSchema = z.object({ current: codeSetReleaseSchema.nullable() });
