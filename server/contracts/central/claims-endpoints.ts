import { z } from 'zod';
import type { CentralEndpoint } from './endpoints';
import { clinicParamsSchema } from './index';

const ep = <E extends CentralEndpoint>(e: E) => e;

export const inboundImportGrantSchema = z.object({
  /** True: this workstation imports the file (and only it). False: another workstation was granted it. */
  granted: z.boolean(),
});

/**
 * Whether central holds a clearinghouse connection for the caller's clinic, and when it last used it. Never
 * a credential, host, folder or URL: only that it is configured, its kind, and times.
 */
export const clearinghouseConnectionSchema = z.object({
  configured: z.boolean(),
  transport: z.enum(['sftp', 'https']).nullable(),
  /** The last batch central sent for the clinic (any node). */
  lastSendAt: z.string().nullable(),
  /** The last file central received for the clinic (any node). */
  lastFileAt: z.string().nullable(),
  /** The last completed poll of the clinic's inbound folders by any central node (kept in the database). */
  lastPollAt: z.string().nullable(),
});
export type ClearinghouseConnection = z.infer<typeof clearinghouseConnectionSchema>;

const text = (what: string, max: number) =>
  z
    .string({ error: `Give ${what}.` })
    .trim()
    .min(1, `Give ${what}.`)
    .max(max, `${what[0]!.toUpperCase()}${what.slice(1)} is longer than ${max} characters.`)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((v) => !/[\u0000-\u001f]/.test(v), `${what[0]!.toUpperCase()}${what.slice(1)} may not hold control characters.`);
const folder = (what: string) =>
  text(what, 500).refine((v) => v.startsWith('/'), `Give ${what} as an absolute path (starting with /).`);

/**
 * A clinic's clearinghouse connection as a central administrator sets it (console or API). The secret (the
 * SFTP private key or password, the API client secret) is stored encrypted and never returned; leave it out
 * to keep the stored one (same kind of connection only).
 */
export const clearinghouseSftpInputSchema = z.object({
  transport: z.literal('sftp'),
  host: text('the clearinghouse server’s host name', 255).refine(
    (v) => /^[A-Za-z0-9.:-]+$/.test(v),
    'The host name may hold letters, digits, dots, dashes and colons only.',
  ),
  port: z.number({ error: 'Give the port as a number.' }).int('Give the port as a whole number.').min(1, 'A port is between 1 and 65535.').max(65535, 'A port is between 1 and 65535.').default(22),
  username: text('the SFTP user name', 100),
  hostKeySha256: z
    .string({ error: 'Give the server’s host key fingerprint.' })
    .trim()
    .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'Give the server’s host key fingerprint as ssh-keygen -lf prints it (SHA256:…).'),
  privateKey: z
    .string()
    .max(20_000, 'The private key is longer than 20,000 characters.')
    .refine((v) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v), 'Paste the whole private key, from its -----BEGIN line to its -----END line.')
    .optional(),
  password: z.string().min(1, 'The password is empty.').max(500, 'The password is longer than 500 characters.').optional(),
  uploadDir: folder('the upload folder'),
  inbound999: folder('the 999 folder'),
  inbound277ca: folder('the 277CA folder'),
  inbound835: folder('the 835 folder'),
  inbound271: folder('the 271 folder'),
  archiveDir: folder('the archive folder'),
});
export const clearinghouseHttpsInputSchema = z.object({
  transport: z.literal('https'),
  baseUrl: text('the API address', 500).refine((v) => {
    try {
      return new URL(v).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Give the API address starting with https://.'),
  clientId: text('the API client id', 200),
  clientSecret: z.string().min(1, 'The client secret is empty.').max(2_000, 'The client secret is longer than 2,000 characters.').optional(),
});
export const clearinghouseInputSchema = z.discriminatedUnion('transport', [clearinghouseSftpInputSchema, clearinghouseHttpsInputSchema], {
  error: 'Choose the connection kind: sftp or https.',
});
export type ClearinghouseInput = z.infer<typeof clearinghouseInputSchema>;

/** What an administrator sees of a clinic's connection: never the key, password or client secret. */
export const clearinghouseAdminViewSchema = z.object({
  clinicId: z.string(),
  configured: z.boolean(),
  /** `central`: set by an administrator (stored encrypted); `environment`: central's TESSERA_CLEARINGHOUSE_* bootstrap. */
  source: z.enum(['central', 'environment']).nullable(),
  transport: z.enum(['sftp', 'https']).nullable(),
  /** The SFTP host or the API address's host. */
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  /** The SFTP user or the API client id. */
  user: z.string().nullable(),
  hostKeySha256: z.string().nullable(),
  folders: z
    .object({ upload: z.string(), x999: z.string(), x277ca: z.string(), x835: z.string(), x271: z.string(), archive: z.string() })
    .nullable(),
  apiUrl: z.string().nullable(),
  lastTest: z.object({ at: z.string(), ok: z.boolean(), message: z.string() }).nullable(),
  lastPollAt: z.string().nullable(),
  /**
   * The clinic's polls by any central node: the last completed one (`at`, with the files it handed over) and
   * the last attempt, with the reason as a sentence when it failed. Null before the first attempt.
   */
  lastPoll: z
    .object({ at: z.string().nullable(), files: z.number().int(), attemptAt: z.string().nullable(), error: z.string().nullable() })
    .nullable(),
  /**
   * The clinic's latest batch transmissions (newest first, at most 20): file name, status, attempts, when
   * sent, the next attempt and the reason of a failed one, and the clearinghouse's answer (the HTTPS sent log).
   */
  transmissions: z.array(
    z.object({
      fileName: z.string(),
      status: z.enum(['queued', 'sent', 'failed', 'skipped']),
      attempts: z.number().int(),
      sentAt: z.string().nullable(),
      nextAttemptAt: z.string().nullable(),
      error: z.string().nullable(),
      answer: z.string().nullable(),
    }),
  ),
  updatedAt: z.string().nullable(),
});
export type ClearinghouseAdminView = z.infer<typeof clearinghouseAdminViewSchema>;

/**
 * Central's claims endpoints (spread into centralApi). A workstation asks before importing a file central
 * fetched from the clearinghouse, so each file is imported by exactly one workstation
 * (docs/claims-inbound.md, "Transport"). The clearinghouse credentials never leave central.
 */
export const claimsCentralEndpoints = {
  grantInboundImport: ep({
    method: 'POST',
    path: '/v1/claims/inbound-files/:id/import-grant',
    access: 'device',
    summary: 'Ask to import a clearinghouse file (999, 277CA, 835, 271); the first workstation to ask gets it',
    params: z.object({ id: z.uuid() }),
    response: inboundImportGrantSchema,
  }),
  clearinghouseConnection: ep({
    method: 'GET',
    path: '/v1/claims/clearinghouse',
    access: 'staff',
    permission: 'claims.work',
    summary: 'Whether central has a clearinghouse connection for this clinic: configured or not, its kind, last send/poll times',
    response: clearinghouseConnectionSchema,
  }),
  getClinicClearinghouse: ep({
    method: 'GET',
    path: '/v1/admin/clinics/:clinicId/clearinghouse',
    access: 'admin',
    summary: 'The clinic’s clearinghouse connection: kind, host, user, folders, last test and poll (never a secret)',
    params: clinicParamsSchema,
    response: clearinghouseAdminViewSchema,
  }),
  setClinicClearinghouse: ep({
    method: 'POST',
    path: '/v1/admin/clinics/:clinicId/clearinghouse',
    access: 'admin',
    summary: 'Set the clinic’s clearinghouse connection (SFTP or HTTPS); the secret is stored encrypted',
    params: clinicParamsSchema,
    body: clearinghouseInputSchema,
    response: clearinghouseAdminViewSchema,
  }),
  removeClinicClearinghouse: ep({
    method: 'DELETE',
    path: '/v1/admin/clinics/:clinicId/clearinghouse',
    access: 'admin',
    summary: 'Remove the clinic’s stored clearinghouse connection (the environment one, if any, applies again)',
    params: clinicParamsSchema,
    response: clearinghouseAdminViewSchema,
  }),
  testClinicClearinghouse: ep({
    method: 'POST',
    path: '/v1/admin/clinics/:clinicId/clearinghouse/test',
    access: 'admin',
    summary: 'Connect to the clinic’s clearinghouse and list its inbound folders; the outcome is kept',
    params: clinicParamsSchema,
    response: clearinghouseAdminViewSchema,
  }),
};
