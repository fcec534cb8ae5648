import { okSchema } from '../common';
import { endpoint } from '../endpoint';
import { portalPatientParamsSchema } from '../portal';
import * as i from './index';

/**
 * The clinic inbox and questionnaires on the patient record (see ../api.ts). All served from the
 * workstation's replicated copy, so they work offline; replies, assignment, read receipts and requests
 * reach the portal through replication. Every access is in the audit log with the patient.
 */
export const inboxEndpoints = {
  inbox: endpoint({
    method: 'GET',
    path: '/api/inbox',
    access: 'chart.read',
    summary: 'Portal conversations (with unread counts and assignment) and urgent questionnaire flags',
    query: i.inboxQuerySchema,
    response: i.inboxSchema,
  }),
  inboxThread: endpoint({
    method: 'GET',
    path: '/api/inbox/threads/:threadId',
    access: 'chart.read',
    summary: "One conversation (marks the patient's messages read by staff)",
    params: i.inboxThreadParamsSchema,
    response: i.inboxThreadSchema,
  }),
  inboxReply: endpoint({
    method: 'POST',
    path: '/api/inbox/threads/:threadId/messages',
    access: 'chart.write',
    summary: 'Reply to the patient (reaches the portal through replication)',
    params: i.inboxThreadParamsSchema,
    body: i.inboxReplySchema,
    response: i.inboxMessageSchema,
  }),
  inboxAssign: endpoint({
    method: 'POST',
    path: '/api/inbox/threads/:threadId/assign',
    access: 'chart.write',
    summary: 'Assign a conversation to a staff member (or unassign it)',
    params: i.inboxThreadParamsSchema,
    body: i.inboxAssignSchema,
    response: i.inboxThreadSummarySchema,
  }),
  patientQuestionnaires: endpoint({
    method: 'GET',
    path: '/api/patients/:patientId/questionnaires',
    access: 'chart.read',
    summary: "The patient's questionnaire requests and scores over time",
    params: portalPatientParamsSchema,
    response: i.patientQuestionnairesSchema,
  }),
  questionnaireSend: endpoint({
    method: 'POST',
    path: '/api/patients/:patientId/questionnaires',
    access: 'chart.write',
    summary: 'Ask the patient to fill in a questionnaire in the portal (once, or before each visit)',
    params: portalPatientParamsSchema,
    body: i.questionnaireSendSchema,
    response: okSchema,
  }),
  questionnaireStop: endpoint({
    method: 'POST',
    path: '/api/patients/:patientId/questionnaires/:id/stop',
    access: 'chart.write',
    summary: 'Stop asking for a questionnaire',
    params: i.patientQuestionnaireParamsSchema,
    response: okSchema,
  }),
  questionnaireReview: endpoint({
    method: 'POST',
    path: '/api/patients/:patientId/questionnaire-responses/:id/review',
    access: 'chart.write',
    summary: 'Mark an urgent questionnaire flag as reviewed by the clinician',
    params: i.patientQuestionnaireParamsSchema,
    response: okSchema,
  }),
};
