import { z } from 'zod';
import type { CentralEndpoint } from './endpoints';

const ep = <E extends CentralEndpoint>(e: E) => e;

export const inboundImportGrantSchema = z.object({
  /** True: this workstation imports the file (and only it). False: another workstation was granted it. */
  granted: z.boolean(),
});

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
};
