import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  conflictRecordSchema,
  replicatedSettingRowSchema,
  replicatedUserRowSchema,
} from '../../../server/contracts/sync/rows';
import {
  telehealthChatRowSchema,
  telehealthEventRowSchema,
  telehealthSessionRowSchema,
} from '../../../server/contracts/telehealth/rows';
import {
  portalMessageRowSchema,
  portalThreadRowSchema,
  questionnaireAssignmentRowSchema,
  questionnaireResponseRowSchema,
} from '../../../server/contracts/portal/messaging';
import {
  portalDemographicChangeRowSchema,
  portalFormRowSchema,
  portalFormSubmissionRowSchema,
} from '../../../server/contracts/forms';
import { appointmentRequestRowSchema } from '../../../server/contracts/portal/requests';
import { portalFileRowSchema } from '../../../server/contracts/portal/files';
import {
  appointmentRequests,
  clinicSettings,
  portalDemographicChanges,
  portalFiles,
  portalForms,
  portalFormSubmissions,
  portalMessages,
  portalThreads,
  questionnaireAssignments,
  questionnaireResponses,
  syncConflicts,
  telehealthChatMessages,
  telehealthEvents,
  telehealthSessions,
  users,
} from '../../../server/workstation/db/schema';

/** Central writes these rows itself; their shape must be exactly the workstation table's. */
describe('rows central writes', () => {
  it.each([
    ['users', users, replicatedUserRowSchema],
    ['sync_conflicts', syncConflicts, conflictRecordSchema],
    ['clinic_settings', clinicSettings, replicatedSettingRowSchema],
    ['telehealth_sessions', telehealthSessions, telehealthSessionRowSchema],
    ['telehealth_events', telehealthEvents, telehealthEventRowSchema],
    ['telehealth_chat_messages', telehealthChatMessages, telehealthChatRowSchema],
    ['portal_threads', portalThreads, portalThreadRowSchema],
    ['portal_messages', portalMessages, portalMessageRowSchema],
    ['questionnaire_assignments', questionnaireAssignments, questionnaireAssignmentRowSchema],
    ['questionnaire_responses', questionnaireResponses, questionnaireResponseRowSchema],
    ['portal_forms', portalForms, portalFormRowSchema],
    ['portal_form_submissions', portalFormSubmissions, portalFormSubmissionRowSchema],
    ['portal_demographic_changes', portalDemographicChanges, portalDemographicChangeRowSchema],
    ['appointment_requests', appointmentRequests, appointmentRequestRowSchema],
    ['portal_files', portalFiles, portalFileRowSchema],
  ] as const)('%s has the workstation table’s properties', (_name, table, schema) => {
    expect(Object.keys(schema.shape).sort()).toEqual(Object.keys(getTableColumns(table)).sort());
  });
});
