import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import {
  changeFields,
  changeStatuses,
  formKinds,
  formLanguages,
  formStatuses,
} from '../../../contracts/forms';
import { consentIds } from '../../../contracts/forms/consents';

/** Portal forms: intake, consents, proposed demographic changes (migration 0019_portal_forms); replicated. */

export const portalForms = sqliteTable('portal_forms', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  kind: text('kind', { enum: formKinds }).notNull(),
  consentId: text('consent_id', { enum: consentIds }),
  status: text('status', { enum: formStatuses }).notNull(),
  assignedBy: text('assigned_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const portalFormSubmissions = sqliteTable('portal_form_submissions', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  formId: text('form_id').notNull(),
  kind: text('kind', { enum: formKinds }).notNull(),
  answers: text('answers').notNull(),
  consentId: text('consent_id', { enum: consentIds }),
  consentVersion: integer('consent_version'),
  consentLanguage: text('consent_language', { enum: formLanguages }),
  consentTitle: text('consent_title'),
  consentText: text('consent_text'),
  consentSha256: text('consent_sha256'),
  signedName: text('signed_name'),
  signature: text('signature'),
  signerIp: text('signer_ip'),
  signedAt: text('signed_at'),
  submittedBy: text('submitted_by').notNull(),
  submittedAt: text('submitted_at').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const portalDemographicChanges = sqliteTable('portal_demographic_changes', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  submissionId: text('submission_id').notNull(),
  field: text('field', { enum: changeFields }).notNull(),
  previousValue: text('previous_value').notNull(),
  proposedValue: text('proposed_value').notNull(),
  status: text('status', { enum: changeStatuses }).notNull(),
  decidedBy: text('decided_by'),
  decidedAt: text('decided_at'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});
