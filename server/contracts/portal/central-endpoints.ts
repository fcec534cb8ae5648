import type { CentralEndpoint } from '../central/endpoints';
import * as d from './documents';
import * as fl from './files';
import * as p from './index';
import { okSchema } from '../common';

/**
 * Central's staff entries for portal access (the workstation forwards them from the patient record, as the
 * signed-in staff member): invite a patient or a proxy, list a patient's accounts and activity, revoke.
 */
const ep = <E extends CentralEndpoint>(e: E) => e;

export const portalCentralEndpoints = {
  portalCentralInvite: ep({
    method: 'POST',
    path: '/v1/portal-access/invitations',
    access: 'staff',
    permission: 'patients.write',
    summary: 'Invite a patient (or a proxy for a minor) to the portal; the invitation is e-mailed',
    body: p.portalInviteSchema,
    response: p.portalAccountSchema,
  }),
  portalCentralAccess: ep({
    method: 'GET',
    path: '/v1/portal-access',
    access: 'staff',
    permission: 'patients.read',
    summary: "A patient's portal accounts and their activity",
    query: p.portalPatientQuerySchema,
    response: p.portalAccessSchema,
  }),
  portalCentralRevoke: ep({
    method: 'POST',
    path: '/v1/portal-access/:accountId/revoke',
    access: 'staff',
    permission: 'patients.write',
    summary: 'Revoke a portal account at once (its sessions end)',
    params: p.portalAccountParamsSchema,
    response: p.portalAccountSchema,
  }),
  portalCentralShareDocument: ep({
    method: 'POST',
    path: '/v1/portal-access/documents',
    access: 'staff',
    permission: 'billing.read',
    summary: "Share a PDF of one of the patient's kept documents in the portal (kept encrypted)",
    body: d.portalShareDocumentSchema,
    response: d.portalSharedDocumentSchema,
  }),
  portalCentralDocuments: ep({
    method: 'GET',
    path: '/v1/portal-access/documents',
    access: 'staff',
    permission: 'patients.read',
    summary: "Documents shared in the patient's portal, with their downloads",
    query: p.portalPatientQuerySchema,
    response: d.portalSharedDocumentListSchema,
  }),
  // Twilio Messaging's inbound webhook (the number's "A message comes in"): STOP / START replies to the
  // reminders. Signed with the Auth Token; answered with empty TwiML (no reply from central: Twilio's own
  // opt-out handling answers STOP).
  portalSmsInbound: ep({
    method: 'POST',
    path: '/v1/portal-sms/inbound',
    access: 'twilio',
    summary: 'Twilio’s inbound text messages (signed): STOP turns reminder texts off, START on again',
    response: okSchema,
  }),
  portalCentralWithdrawDocument: ep({
    method: 'POST',
    path: '/v1/portal-access/documents/:id/withdraw',
    access: 'staff',
    permission: 'billing.read',
    summary: 'Withdraw a shared document: it leaves the patient’s portal at once',
    params: d.portalDocumentParamsSchema,
    body: d.portalWithdrawSchema,
    response: d.portalSharedDocumentSchema,
  }),
  portalCentralFileContent: ep({
    method: 'GET',
    path: '/v1/portal-access/files/:id',
    access: 'staff',
    permission: 'patients.read',
    summary: "One file of the patient's (an upload, a card photo, an attachment): its bytes",
    params: fl.portalStaffFileParamsSchema,
    query: fl.portalStaffFileQuerySchema,
    response: fl.portalFileContentSchema,
  }),
  portalCentralAttach: ep({
    method: 'POST',
    path: '/v1/portal-access/attachments',
    access: 'staff',
    permission: 'chart.write',
    summary: 'Store the files of a reply the workstation is about to write (checked and kept encrypted)',
    body: fl.portalStaffAttachSchema,
    response: fl.portalStaffAttachResultSchema,
  }),
} as const;
