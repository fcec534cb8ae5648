import { z } from 'zod';
import type { CentralEndpoint } from './endpoints';

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
  /** The last completed poll of the answering node (null before its first, or when another node polls). */
  lastPollAt: z.string().nullable(),
});
export type ClearinghouseConnection = z.infer<typeof clearinghouseConnectionSchema>;

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
};
