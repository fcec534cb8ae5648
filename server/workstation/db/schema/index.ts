/**
 * drizzle view of the tables created by ../migrations (the migrations are the source of truth), one file
 * per feature area.
 */
import { auditLog, clinicSettings, emergencyAccessGrants, users } from './core';
import { patientCoverages, patientEmergencyContacts, patientGuarantors, patients } from './patients';
import {
  appointmentChanges,
  appointmentRequests,
  appointmentSeries,
  appointmentStatusEvents,
  appointmentTypes,
  appointments,
  locations,
  providerProfiles,
  rooms,
  scheduleBlocks,
  waitlistEntries,
  workingHours,
} from './scheduling';
import {
  allergies,
  clinicianSupervision,
  encounters,
  medications,
  noteAddenda,
  noteAmendments,
  notes,
  noteTemplates,
  patientAlerts,
  planProgress,
  problems,
  treatmentPlans,
  vitals,
} from './clinical';
import { syncConflicts } from './sync';
import { ledgerAllocations, ledgerEntries } from './billing';
import {
  appointmentTypeServiceCodes,
  chargeLines,
  feeScheduleEntries,
  paymentPolicyOverrides,
  placeOfServiceRules,
  serviceCodes,
} from './fees';
import { telehealthChatMessages, telehealthEvents, telehealthSessions } from './telehealth';
import { portalMessages, portalThreads, questionnaireAssignments, questionnaireResponses } from './messaging';
import { portalDemographicChanges, portalFormSubmissions, portalForms } from './forms';
import { portalFiles } from './files';
import { trackingEntries, trackingRanges } from './tracking';
import { medicationAdherence } from './adherence';
import {
  claimBatches,
  claimBillingProviders,
  claimEvents,
  claimFiles,
  claimInboundFiles,
  claimLinePostings,
  claimLines,
  claimPayers,
  claimRenderingProviders,
  claims,
  eligibilityChecks,
  eligibilityFiles,
  eraPayments,
} from './claims';

export * from './core';
export * from './patients';
export * from './scheduling';
export * from './clinical';
export * from './sync';
export * from './billing';
export * from './fees';
export * from './telehealth';
export * from './messaging';
export * from './forms';
export * from './files';
export * from './tracking';
export * from './adherence';
export * from './claims';

/** Tables whose rows replicate through the outbox, by SQL name. */
export const replicatedTables = {
  users,
  patients,
  patient_emergency_contacts: patientEmergencyContacts,
  patient_guarantors: patientGuarantors,
  patient_coverages: patientCoverages,
  provider_profiles: providerProfiles,
  locations,
  rooms,
  appointment_types: appointmentTypes,
  working_hours: workingHours,
  schedule_blocks: scheduleBlocks,
  appointment_series: appointmentSeries,
  appointments,
  appointment_status_events: appointmentStatusEvents,
  appointment_changes: appointmentChanges,
  waitlist_entries: waitlistEntries,
  encounters,
  problems,
  allergies,
  medications,
  vitals,
  patient_alerts: patientAlerts,
  note_templates: noteTemplates,
  notes,
  note_addenda: noteAddenda,
  note_amendments: noteAmendments,
  treatment_plans: treatmentPlans,
  plan_progress: planProgress,
  clinician_supervision: clinicianSupervision,
  clinic_settings: clinicSettings,
  service_codes: serviceCodes,
  fee_schedule_entries: feeScheduleEntries,
  place_of_service_rules: placeOfServiceRules,
  appointment_type_service_codes: appointmentTypeServiceCodes,
  charge_lines: chargeLines,
  payment_policy_overrides: paymentPolicyOverrides,
  emergency_access_grants: emergencyAccessGrants,
  audit_log: auditLog,
  sync_conflicts: syncConflicts,
  ledger_entries: ledgerEntries,
  ledger_allocations: ledgerAllocations,
  telehealth_sessions: telehealthSessions,
  telehealth_events: telehealthEvents,
  telehealth_chat_messages: telehealthChatMessages,
  portal_threads: portalThreads,
  portal_messages: portalMessages,
  questionnaire_assignments: questionnaireAssignments,
  questionnaire_responses: questionnaireResponses,
  portal_forms: portalForms,
  portal_form_submissions: portalFormSubmissions,
  portal_demographic_changes: portalDemographicChanges,
  appointment_requests: appointmentRequests,
  portal_files: portalFiles,
  claim_payers: claimPayers,
  claim_billing_providers: claimBillingProviders,
  claim_rendering_providers: claimRenderingProviders,
  claims,
  claim_lines: claimLines,
  claim_batches: claimBatches,
  claim_files: claimFiles,
  claim_events: claimEvents,
  era_payments: eraPayments,
  claim_line_postings: claimLinePostings,
  claim_inbound_files: claimInboundFiles,
  eligibility_files: eligibilityFiles,
  eligibility_checks: eligibilityChecks,
  tracking_entries: trackingEntries,
  tracking_ranges: trackingRanges,
  medication_adherence: medicationAdherence,
} as const;
export type ReplicatedTableName = keyof typeof replicatedTables;

type ReferencingTables = Omit<typeof replicatedTables, 'audit_log' | 'clinic_settings'>;
/** A replicated table and the columns of it that hold a patient id (property names, as drizzle has them). */
export type PatientReference = {
  [K in keyof ReferencingTables]: {
    table: K;
    columns: readonly (keyof ReferencingTables[K]['$inferSelect'] & string)[];
  };
}[keyof ReferencingTables];

/**
 * Every column that points at a patient, by table. Merging two patient records moves each row found here
 * from the merged-away id to the surviving one (through the write path, so each move is in the outbox).
 * Add your area's tables when they hold patient ids. Left out on purpose: `audit_log` (append-only; entries
 * keep the id they were written with) and `emergency_access_grants` (a grant covers the record it was given
 * for, not the person's other record).
 */
export const patientReferenceColumns: readonly PatientReference[] = [
  { table: 'patient_emergency_contacts', columns: ['patientId'] },
  { table: 'patient_guarantors', columns: ['patientId'] },
  { table: 'patient_coverages', columns: ['patientId'] },
  { table: 'appointment_series', columns: ['patientId'] },
  { table: 'appointments', columns: ['patientId'] },
  { table: 'waitlist_entries', columns: ['patientId'] },
  { table: 'encounters', columns: ['patientId'] },
  { table: 'problems', columns: ['patientId'] },
  { table: 'allergies', columns: ['patientId'] },
  { table: 'medications', columns: ['patientId'] },
  { table: 'vitals', columns: ['patientId'] },
  { table: 'patient_alerts', columns: ['patientId'] },
  // A signed note or plan may move to the surviving record (the database allows only that change on a
  // signed row); its signature covers signed_patient_id, which stays as it was signed.
  { table: 'notes', columns: ['patientId'] },
  { table: 'treatment_plans', columns: ['patientId'] },
  // The ledger is append-only, but a merge re-files the account: its triggers allow patient_id alone to change.
  { table: 'ledger_entries', columns: ['patientId'] },
  { table: 'ledger_allocations', columns: ['patientId'] },
  { table: 'fee_schedule_entries', columns: ['patientId'] },
  { table: 'charge_lines', columns: ['patientId'] },
  { table: 'payment_policy_overrides', columns: ['patientId'] },
  { table: 'portal_threads', columns: ['patientId'] },
  { table: 'portal_messages', columns: ['patientId'] },
  { table: 'questionnaire_assignments', columns: ['patientId'] },
  { table: 'questionnaire_responses', columns: ['patientId'] },
  { table: 'claims', columns: ['patientId'] },
  { table: 'claim_lines', columns: ['patientId'] },
  { table: 'claim_events', columns: ['patientId'] },
  { table: 'claim_line_postings', columns: ['patientId'] },
  { table: 'eligibility_checks', columns: ['patientId'] },
  { table: 'portal_forms', columns: ['patientId'] },
  { table: 'portal_form_submissions', columns: ['patientId'] },
  { table: 'portal_demographic_changes', columns: ['patientId'] },
  { table: 'appointment_requests', columns: ['patientId'] },
  { table: 'portal_files', columns: ['patientId'] },
  { table: 'tracking_entries', columns: ['patientId'] },
  { table: 'tracking_ranges', columns: ['patientId'] },
  { table: 'medication_adherence', columns: ['patientId'] },
];
