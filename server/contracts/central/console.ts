import { z } from 'zod';
import { idSchema } from '../common';
import { newPasswordSchema } from '../auth';
import { codeSetReleaseSchema } from './index';

/**
 * The central console (renderer/console, docs/console.md): a browser session for central administrators
 * (an httpOnly, SameSite=Strict cookie instead of a bearer token), and the reads the console needs beyond
 * the administration API it shares with `curl` users.
 */

/** The console's session cookie: httpOnly, SameSite=Strict, Secure over HTTPS, path / (it calls /v1/admin). */
export const CONSOLE_COOKIE = 'tessera_console';

export const consoleSessionSchema = z.object({
  admin: z.object({ id: idSchema, username: z.string(), orgId: idSchema.nullable() }),
  expiresAt: z.string(),
});
export type ConsoleSession = z.infer<typeof consoleSessionSchema>;

/** A reset: a new password the person is given, and optionally a fresh start for their authenticator. */
export const resetStaffPasswordSchema = z.object({
  password: newPasswordSchema,
  clearMfa: z.boolean().default(false),
});

export const codeSetReleaseListSchema = z.object({ releases: z.array(codeSetReleaseSchema) });

/** One workstation as the console shows it: enrollment, last contact and what it last reported. */
export const consoleDeviceSchema = z.object({
  id: idSchema,
  name: z.string(),
  workstationId: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  schemaVersion: z.number().int().nullable(),
  clockSkewMs: z.number().nullable(),
  appVersion: z.string().nullable(),
  /** Changes waiting on the workstation to be sent, as it last reported (null: never reported). */
  pendingMutations: z.number().int().nullable(),
  openConflicts: z.number().int().nullable(),
  /** Changes of its clinic the workstation has not pulled yet (clinic head minus its cursor). */
  changesBehind: z.number().int().nullable(),
  statusAt: z.string().nullable(),
});
export const consoleDeviceListSchema = z.object({ head: z.number().int(), devices: z.array(consoleDeviceSchema) });

export const clinicHealthSchema = z.object({
  clinicId: idSchema,
  name: z.string(),
  head: z.number().int(),
  activeDevices: z.number().int(),
  /** Workstations not heard from in the last hour (of the active ones). */
  silentDevices: z.number().int(),
  /** The most changes any active workstation is behind its clinic. */
  maxChangesBehind: z.number().int().nullable(),
  pendingMutations: z.number().int(),
  openConflicts: z.number().int(),
  oldestContactAt: z.string().nullable(),
  /** The clinic's last completed clearinghouse poll by any central node (null: never polled). */
  clearinghouseLastPollAt: z.string().nullable(),
});

export const healthReportSchema = z.object({
  checkedAt: z.string(),
  database: z.object({
    up: z.boolean(),
    latencyMs: z.number().nullable(),
    schemaVersion: z.number().int().nullable(),
    expectedSchemaVersion: z.number().int(),
  }),
  liveChannel: z.object({ listening: z.boolean(), connections: z.number().int() }),
  /** Requests answered by this central process in the window (other processes report their own). */
  requests: z.object({
    windowMinutes: z.number().int(),
    total: z.number().int(),
    clientErrors: z.number().int(),
    serverErrors: z.number().int(),
    serverErrorRate: z.number(),
  }),
  clinics: z.array(clinicHealthSchema),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
});
export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  username: z.string().nullable(),
  orgId: idSchema.nullable(),
  clinicId: idSchema.nullable(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.string(),
  address: z.string().nullable(),
});
export const auditListSchema = z.object({ entries: z.array(auditEntrySchema) });
