import { okSchema } from '../common';
import * as central from './index';
import * as consoleSchemas from './console';
import type { CentralEndpoint } from './endpoints';

const ep = <E extends CentralEndpoint>(e: E) => e;

/**
 * The console's entries of central's catalogue. Sign-in is public (rate limited like the bearer sign-in);
 * the rest is `admin` access, which the console reaches with its session cookie (and curl with a token).
 */
export const consoleCentralEndpoints = {
  consoleSignIn: ep({
    method: 'POST',
    path: '/v1/console/session',
    access: 'public',
    summary: 'Console sign-in (password and authenticator code): sets the httpOnly session cookie',
    body: central.adminSignInSchema,
    response: consoleSchemas.consoleSessionSchema,
  }),
  consoleSession: ep({
    method: 'GET',
    path: '/v1/console/session',
    access: 'admin',
    summary: 'Who is signed in to the console, and until when',
    response: consoleSchemas.consoleSessionSchema,
  }),
  consoleSignOut: ep({
    method: 'DELETE',
    path: '/v1/console/session',
    access: 'admin',
    summary: 'End the console session and clear its cookie',
    response: okSchema,
  }),
  consoleDevices: ep({
    method: 'GET',
    path: '/v1/admin/clinics/:clinicId/workstations',
    access: 'admin',
    summary: 'Enrolled workstations with last contact, versions, sync lag, pending changes and conflicts',
    params: central.clinicParamsSchema,
    response: consoleSchemas.consoleDeviceListSchema,
  }),
  resetStaffPassword: ep({
    method: 'POST',
    path: '/v1/admin/clinics/:clinicId/staff/:userId/password',
    access: 'admin',
    summary: 'Set a new password for a staff account (and optionally clear its authenticator)',
    params: central.staffParamsSchema,
    body: consoleSchemas.resetStaffPasswordSchema,
    response: central.staffSchema,
  }),
  listCodeSets: ep({
    method: 'GET',
    path: '/v1/admin/orgs/:orgId/code-sets',
    access: 'admin',
    summary: 'The organization’s ICD-10-CM releases, newest (current) first',
    params: central.orgParamsSchema,
    response: consoleSchemas.codeSetReleaseListSchema,
  }),
  centralHealthReport: ep({
    method: 'GET',
    path: '/v1/admin/health',
    access: 'admin',
    summary: 'Database, live channel, recent error rates and replication per clinic',
    response: consoleSchemas.healthReportSchema,
  }),
  listAdminAudit: ep({
    method: 'GET',
    path: '/v1/admin/audit',
    access: 'admin',
    summary: 'Administration actions (console and API), newest first',
    query: consoleSchemas.auditQuerySchema,
    response: consoleSchemas.auditListSchema,
  }),
} satisfies Record<string, CentralEndpoint>;
