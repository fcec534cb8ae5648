import { z } from 'zod';
import { okSchema } from '../common';
import type { Permission } from '../admin/permissions';
import * as sync from '../sync/protocol';
import { telehealthCentralEndpoints } from '../telehealth/central-endpoints';
import * as central from './index';
import * as updates from './updates';
import { centralPaymentEndpoints } from './payments-endpoints';
import { consoleCentralEndpoints } from './console-endpoints';
import { portalCentralEndpoints } from '../portal/central-endpoints';
import { claimsCentralEndpoints } from './claims-endpoints';

/**
 * Who may call a central endpoint:
 * - `public`: liveness/readiness and the admin sign-in (rate limited); no tenant data;
 * - `enrollment`: the holder of a one-time enrollment code (in the body; rate limited);
 * - `device`: an enrolled workstation's credential (`Authorization: Bearer`); the tenant is its clinic;
 * - `admin`: a central administrator's session token; org administrators see their organization only;
 * - `operator`: a central administrator not bound to an organization (creates organizations);
 * - `metrics`: the Prometheus scrape token;
 * - `staff`: a device credential plus the signed-in staff member it acts for (`x-tessera-staff-user`),
 *   who must be active in the clinic and hold the entry's `permission` (telehealth);
 * - `join`: anyone with a telehealth join link (the token travels in the body; rate limited);
 * - `participant`: a patient or guest who joined a telehealth session (their participant credential);
 * - `stripe`: Stripe's webhook calls, accepted only with a valid `Stripe-Signature` over the raw body;
 * - `twilio`: Twilio's status callbacks, accepted only with a valid `X-Twilio-Signature` (URL + fields).
 */
export type CentralAccess =
  | 'public'
  | 'enrollment'
  | 'device'
  | 'admin'
  | 'operator'
  | 'metrics'
  | 'staff'
  | 'join'
  | 'participant'
  | 'stripe'
  | 'twilio';

/** The header naming the staff member a workstation acts for (`staff` access). */
export const STAFF_USER_HEADER = 'x-tessera-staff-user';

export interface CentralEndpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  access: CentralAccess;
  /** For `staff` access: what the staff member must hold (checked again at central). */
  permission?: Permission;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** JSON schema, or 'text' (Prometheus exposition) / 'sse' (event stream) / 'bytes' (files, byte ranges). */
  response: z.ZodType | 'text' | 'sse' | 'bytes';
}

const ep = <E extends CentralEndpoint>(e: E) => e;

/** The one catalogue of central's HTTP API; central registers a guarded, validated handler for each. */
export const centralApi = {
  centralHealth: ep({
    method: 'GET',
    path: '/healthz',
    access: 'public',
    summary: 'Liveness',
    response: central.centralHealthSchema,
  }),
  centralReady: ep({
    method: 'GET',
    path: '/readyz',
    access: 'public',
    summary: 'Readiness: the database answers and is migrated',
    response: central.centralReadySchema,
  }),
  centralMetrics: ep({
    method: 'GET',
    path: '/metrics',
    access: 'metrics',
    summary: 'Prometheus metrics',
    response: 'text',
  }),
  enroll: ep({
    method: 'POST',
    path: '/v1/enroll',
    access: 'enrollment',
    summary: 'Exchange a one-time enrollment code for a device credential',
    body: sync.enrollRequestSchema,
    response: sync.enrollResponseSchema,
  }),
  syncHello: ep({
    method: 'GET',
    path: '/v1/sync/hello',
    access: 'device',
    summary: 'Epoch, clinic head and what central has applied for this device',
    response: sync.helloResponseSchema,
  }),
  syncPush: ep({
    method: 'POST',
    path: '/v1/sync/push',
    access: 'device',
    summary: 'Apply a batch of outbox mutations, in order, each exactly once',
    body: sync.pushRequestSchema,
    response: sync.pushResponseSchema,
  }),
  syncPull: ep({
    method: 'GET',
    path: '/v1/sync/pull',
    access: 'device',
    summary: 'Changed rows after a cursor, paged',
    query: sync.pullQuerySchema,
    response: sync.pullResponseSchema,
  }),
  syncPortalAudit: ep({
    method: 'GET',
    path: '/v1/sync/portal-audit',
    access: 'device',
    summary:
      "The clinic's portal audit chain (patients' portal acts) after an entry, paged; sealed in order first",
    query: sync.portalAuditQuerySchema,
    response: sync.portalAuditPageSchema,
  }),
  syncEvents: ep({
    method: 'GET',
    path: '/v1/sync/events',
    access: 'device',
    summary: 'Live channel: an event whenever the clinic’s change sequence advances',
    response: 'sse',
  }),
  adminSignIn: ep({
    method: 'POST',
    path: '/v1/admin/sessions',
    access: 'public',
    summary: 'Central administrator sign-in (password and authenticator code)',
    body: central.adminSignInSchema,
    response: central.adminSessionSchema,
  }),
  adminSignOut: ep({
    method: 'DELETE',
    path: '/v1/admin/sessions/current',
    access: 'admin',
    summary: 'End this administrator session',
    response: okSchema,
  }),
  listOrgs: ep({
    method: 'GET',
    path: '/v1/admin/orgs',
    access: 'admin',
    summary: 'Organizations this administrator may manage',
    response: central.orgListSchema,
  }),
  createOrg: ep({
    method: 'POST',
    path: '/v1/admin/orgs',
    access: 'operator',
    summary: 'Create an organization',
    body: central.createOrgSchema,
    response: central.orgSchema,
  }),
  listClinics: ep({
    method: 'GET',
    path: '/v1/admin/clinics',
    access: 'admin',
    summary: 'Clinics this administrator may manage',
    response: central.clinicListSchema,
  }),
  createClinic: ep({
    method: 'POST',
    path: '/v1/admin/clinics',
    access: 'admin',
    summary: 'Create a clinic in an organization',
    body: central.createClinicSchema,
    response: central.clinicSchema,
  }),
  createEnrollmentCode: ep({
    method: 'POST',
    path: '/v1/admin/clinics/:clinicId/enrollment-codes',
    access: 'admin',
    summary: 'A one-time code a workstation uses to enroll with this clinic',
    params: central.clinicParamsSchema,
    body: central.createEnrollmentCodeSchema,
    response: central.enrollmentCodeCreatedSchema,
  }),
  listDevices: ep({
    method: 'GET',
    path: '/v1/admin/clinics/:clinicId/devices',
    access: 'admin',
    summary: 'Enrolled workstations of a clinic',
    params: central.clinicParamsSchema,
    response: central.deviceListSchema,
  }),
  revokeDevice: ep({
    method: 'POST',
    path: '/v1/admin/clinics/:clinicId/devices/:deviceId/revoke',
    access: 'admin',
    summary: 'Revoke a workstation’s credential (refused from the next request on)',
    params: central.deviceParamsSchema,
    response: central.deviceSchema,
  }),
  listStaff: ep({
    method: 'GET',
    path: '/v1/admin/clinics/:clinicId/staff',
    access: 'admin',
    summary: 'Staff accounts of a clinic (no secrets)',
    params: central.clinicParamsSchema,
    response: central.staffListSchema,
  }),
  createStaff: ep({
    method: 'POST',
    path: '/v1/admin/clinics/:clinicId/staff',
    access: 'admin',
    summary: 'Create a staff account; it replicates to the clinic’s workstations',
    params: central.clinicParamsSchema,
    body: central.createStaffSchema,
    response: central.staffSchema,
  }),
  updateStaff: ep({
    method: 'PATCH',
    path: '/v1/admin/clinics/:clinicId/staff/:userId',
    access: 'admin',
    summary: 'Rename, change roles, disable or re-enable a staff account',
    params: central.staffParamsSchema,
    body: central.updateStaffSchema,
    response: central.staffSchema,
  }),
  publishCodeSet: ep({
    method: 'POST',
    path: '/v1/admin/orgs/:orgId/code-sets/icd10cm',
    access: 'admin',
    summary: 'Import an ICD-10-CM release (CDC’s file) for every workstation of the organization',
    params: central.orgParamsSchema,
    body: central.publishCodeSetSchema,
    response: central.codeSetReleaseSchema,
  }),
  currentCodeSet: ep({
    method: 'GET',
    path: '/v1/code-sets/icd10cm',
    access: 'device',
    summary: 'The ICD-10-CM release this workstation’s organization uses (release, digest, count)',
    response: central.currentCodeSetSchema,
  }),
  downloadCodeSet: ep({
    method: 'GET',
    path: '/v1/code-sets/icd10cm/:id/content',
    access: 'device',
    summary: 'The file of a release, as imported (text/plain); its SHA-256 is the advertised digest',
    params: z.object({ id: z.uuid() }),
    response: 'text',
  }),
  uploadUpdateFile: ep({
    method: 'POST',
    path: '/v1/admin/orgs/:orgId/updates/files/:name',
    access: 'admin',
    summary:
      'Upload one file of a desktop release (installer or blockmap) as application/octet-stream with its Content-Length',
    params: updates.updateFileParamsSchema,
    response: updates.updateFileSchema,
  }),
  createRelease: ep({
    method: 'POST',
    path: '/v1/admin/orgs/:orgId/updates/releases',
    access: 'admin',
    summary: 'Publish a desktop release with electron-builder’s manifests (its files uploaded first)',
    params: central.orgParamsSchema,
    body: updates.publishReleaseSchema,
    response: updates.releaseSchema,
  }),
  listReleases: ep({
    method: 'GET',
    path: '/v1/admin/orgs/:orgId/updates/releases',
    access: 'admin',
    summary: 'The organization’s desktop releases, newest first, with their rollout',
    params: central.orgParamsSchema,
    response: updates.releaseListSchema,
  }),
  setReleaseRollout: ep({
    method: 'PATCH',
    path: '/v1/admin/orgs/:orgId/updates/releases/:version',
    access: 'admin',
    summary: 'Change the share of workstations a release is offered to (staged rollout)',
    params: updates.releaseParamsSchema,
    body: updates.updateReleasePatchSchema,
    response: updates.releaseSchema,
  }),
  updateFeed: ep({
    method: 'GET',
    path: '/v1/updates/:name',
    access: 'device',
    summary:
      'The update feed electron-updater reads: a manifest (latest.yml, …) or a release file, with byte ranges',
    params: updates.feedParamsSchema,
    response: 'bytes',
  }),
  ...centralPaymentEndpoints,
  ...telehealthCentralEndpoints,
  ...consoleCentralEndpoints,
  ...portalCentralEndpoints,
  ...claimsCentralEndpoints,
} satisfies Record<string, CentralEndpoint>;

export type CentralApi = typeof centralApi;
export type CentralEndpointName = keyof CentralApi;
