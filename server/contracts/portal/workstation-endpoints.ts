import { endpoint } from '../endpoint';
import * as d from './documents';
import * as fl from './files';
import * as p from './index';
import * as r from './reminders';
import * as sb from './self-booking';

/**
 * Portal access from the patient record (see ../api.ts). The workstation forwards each to central
 * (./central-endpoints.ts) as the signed-in staff member; portal accounts live only at central. Without
 * central the answer is 503 with a sentence ("Portal access needs the central server…").
 */
export const portalWorkstationEndpoints = {
  portalAccess: endpoint({
    method: 'GET',
    path: '/api/patients/:patientId/portal',
    access: 'patients.read',
    summary: "The patient's portal accounts (and proxies) with their activity",
    params: p.portalPatientParamsSchema,
    response: p.portalAccessSchema,
  }),
  portalInvite: endpoint({
    method: 'POST',
    path: '/api/patients/:patientId/portal/invitations',
    access: 'patients.write',
    summary: 'Invite the patient, or a guardian as proxy, to the portal (e-mailed by central)',
    params: p.portalPatientParamsSchema,
    body: p.portalInviteBodySchema,
    response: p.portalAccountSchema,
  }),
  portalRevoke: endpoint({
    method: 'POST',
    path: '/api/patients/:patientId/portal/:accountId/revoke',
    access: 'patients.write',
    summary: 'End a portal account at once',
    params: p.portalPatientAccountParamsSchema,
    response: p.portalAccountSchema,
  }),
  portalShareDocument: endpoint({
    method: 'POST',
    path: '/api/patients/:patientId/portal/documents',
    access: 'billing.post',
    summary:
      "Share one of the patient's kept billing documents in the portal (drawn as a PDF, sent to central)",
    params: p.portalPatientParamsSchema,
    body: d.portalShareBodySchema,
    response: d.portalSharedDocumentSchema,
  }),
  portalSharedDocuments: endpoint({
    method: 'GET',
    path: '/api/patients/:patientId/portal/documents',
    access: 'billing.read',
    summary: "Documents shared in the patient's portal, with how often the patient downloaded them",
    params: p.portalPatientParamsSchema,
    response: d.portalSharedDocumentListSchema,
  }),
  // The clinic's reminder policy: a clinic setting written here (Store.write) and replicated; central's
  // reminder job reads it from the clinic's replica. Works offline like every other setting.
  reminderSettings: endpoint({
    method: 'GET',
    path: '/api/admin/reminders',
    access: 'security.manage',
    summary: 'When and how the clinic reminds patients of appointments (e-mail, text message)',
    response: r.reminderSettingsSchema,
  }),
  updateReminderSettings: endpoint({
    method: 'PUT',
    path: '/api/admin/reminders',
    access: 'security.manage',
    summary: 'Set the reminder times and channels (audited, replicated to central)',
    body: r.reminderPolicySchema,
    response: r.reminderSettingsSchema,
  }),
  // Self-booking per appointment type and the cancellation window: clinic settings written here and
  // replicated; central reads them from the clinic's replica (docs/portal.md).
  portalSchedulingSettings: endpoint({
    method: 'GET',
    path: '/api/admin/portal-scheduling',
    access: 'schedule.manage',
    summary: 'Online self-booking per appointment type and the portal cancellation window',
    response: sb.portalSchedulingSettingsSchema,
  }),
  updateSelfBooking: endpoint({
    method: 'PUT',
    path: '/api/admin/portal-scheduling/self-booking',
    access: 'schedule.manage',
    summary: 'Set which appointment types patients may book online, with whom, how far ahead (audited)',
    body: sb.selfBookingPolicySchema,
    response: sb.portalSchedulingSettingsSchema,
  }),
  updateCancelWindow: endpoint({
    method: 'PUT',
    path: '/api/admin/portal-scheduling/cancel-window',
    access: 'schedule.manage',
    summary: 'Set how many hours before the start the portal stops taking cancellations (audited)',
    body: sb.cancelWindowSchema,
    response: sb.portalSchedulingSettingsSchema,
  }),
  updateVideoJoinWindow: endpoint({
    method: 'PUT',
    path: '/api/admin/portal-scheduling/video-join-window',
    access: 'schedule.manage',
    summary:
      'Set how many minutes before the start patients may join their video visit from the portal (audited)',
    body: sb.videoJoinWindowSchema,
    response: sb.portalSchedulingSettingsSchema,
  }),
  portalWithdrawDocument: endpoint({
    method: 'POST',
    path: '/api/patients/:patientId/portal/documents/:documentId/withdraw',
    access: 'billing.post',
    summary: 'Withdraw a shared document from the patient’s portal at once (kept at central for the record)',
    params: d.portalPatientDocumentParamsSchema,
    response: d.portalSharedDocumentSchema,
  }),
  // A signed note's visit summary (server/domain/clinical/visit-summary.ts): previewed, shared, withdrawn
  // by a clinician from the note; stored at central with the shared billing documents.
  noteSummaryPreview: endpoint({
    method: 'GET',
    path: '/api/notes/:id/portal-summary/preview',
    access: 'notes.write',
    summary: "What a signed note's visit summary for the patient says (its patient-facing parts only)",
    params: d.noteSummaryParamsSchema,
    response: d.visitSummaryPreviewSchema,
  }),
  noteSummaryPdf: endpoint({
    method: 'GET',
    path: '/api/notes/:id/portal-summary/pdf',
    access: 'notes.write',
    summary: 'The visit summary as the PDF the patient would receive (preview; audited as an export)',
    params: d.noteSummaryParamsSchema,
    response: 'pdf',
  }),
  noteSummaryStatus: endpoint({
    method: 'GET',
    path: '/api/notes/:id/portal-summary',
    access: 'notes.write',
    summary: "Whether the note's visit summary is in the patient's portal, with its downloads",
    params: d.noteSummaryParamsSchema,
    response: d.noteSummaryStatusSchema,
  }),
  shareNoteSummary: endpoint({
    method: 'POST',
    path: '/api/notes/:id/portal-summary',
    access: 'notes.write',
    summary: "Share a signed note's visit summary in the patient's portal (drawn as a PDF, sent to central)",
    params: d.noteSummaryParamsSchema,
    response: d.portalSharedDocumentSchema,
  }),
  withdrawNoteSummary: endpoint({
    method: 'POST',
    path: '/api/notes/:id/portal-summary/withdraw',
    access: 'notes.write',
    summary: "Withdraw the note's visit summary from the patient's portal at once",
    params: d.noteSummaryParamsSchema,
    response: d.portalSharedDocumentSchema,
  }),
  portalRecordFiles: endpoint({
    method: 'GET',
    path: '/api/patients/:patientId/portal/files',
    access: 'patients.read',
    summary: 'Files the patient sent through the portal (uploads, insurance card photos, attachments)',
    params: p.portalPatientParamsSchema,
    response: fl.recordFileListSchema,
  }),
  portalRecordFileContent: endpoint({
    method: 'GET',
    path: '/api/patients/:patientId/portal/files/:fileId/content',
    access: 'patients.read',
    summary: 'Open one of the patient’s portal files (its bytes come from central; audited)',
    params: fl.recordFileParamsSchema,
    response: fl.portalFileContentSchema,
  }),
  portalRecordFileReview: endpoint({
    method: 'POST',
    path: '/api/patients/:patientId/portal/files/:fileId/review',
    access: 'patients.write',
    summary: 'Mark a file the patient sent as reviewed',
    params: fl.recordFileParamsSchema,
    response: fl.recordFileSchema,
  }),
};
