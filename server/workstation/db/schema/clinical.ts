import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import {
  alertSeverities,
  allergySeverities,
  allergyStatuses,
  allergyTypes,
  encounterTypes,
  medicationStatuses,
  problemStatuses,
} from '../../../contracts/clinical/chart';
import { encounterModalities } from '../../../contracts/billing/setup';
import { codeSetOrigins } from '../../../contracts/clinical/codes';
import { amendmentStatuses, noteStatuses } from '../../../contracts/clinical/notes';
import { planStatuses } from '../../../contracts/clinical/plans';
import { templateStatuses } from '../../../contracts/clinical/templates';

/** Clinical documentation (migration 0004): chart lists, encounters, notes, templates, treatment plans. */

export const encounters = sqliteTable('encounters', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  providerUserId: text('provider_user_id').notNull(),
  appointmentId: text('appointment_id'),
  locationId: text('location_id'),
  locationName: text('location_name').notNull(),
  dateOfService: text('date_of_service').notNull(),
  startAt: text('start_at').notNull(),
  timeZone: text('time_zone').notNull(),
  type: text('type', { enum: encounterTypes }).notNull(),
  reason: text('reason').notNull(),
  /** JSON array of { code, description } in rank order (first = primary). */
  diagnoses: text('diagnoses').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
  /** How the visit happened (place of service, telehealth modifiers). Migration 0008. */
  modality: text('modality', { enum: encounterModalities }).notNull().default('office'),
  /** Closed visits post their charge lines; lines are then corrected only by reversal. Migration 0008. */
  closedAt: text('closed_at'),
  closedBy: text('closed_by'),
});

export const problems = sqliteTable('problems', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  /** '' while uncoded (the description is then the clinician's free text). */
  code: text('code').notNull(),
  description: text('description').notNull(),
  codeSetRelease: text('code_set_release').notNull(),
  status: text('status', { enum: problemStatuses }).notNull(),
  onsetDate: text('onset_date'),
  resolvedDate: text('resolved_date'),
  note: text('note').notNull(),
  recordedBy: text('recorded_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
  /** The free text an uncoded diagnosis was recorded as (kept once it is coded). Migration 0006. */
  recordedAs: text('recorded_as'),
  /** The signed note an uncoded diagnosis came from. Migration 0006. */
  sourceNoteId: text('source_note_id'),
});

export const allergies = sqliteTable('allergies', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  type: text('type', { enum: allergyTypes }).notNull(),
  allergen: text('allergen').notNull(),
  reaction: text('reaction').notNull(),
  severity: text('severity', { enum: allergySeverities }).notNull(),
  status: text('status', { enum: allergyStatuses }).notNull(),
  onsetDate: text('onset_date'),
  recordedBy: text('recorded_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const medications = sqliteTable('medications', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  name: text('name').notNull(),
  dose: text('dose').notNull(),
  route: text('route').notNull(),
  frequency: text('frequency').notNull(),
  status: text('status', { enum: medicationStatuses }).notNull(),
  startDate: text('start_date'),
  stopDate: text('stop_date'),
  note: text('note').notNull(),
  recordedBy: text('recorded_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const vitals = sqliteTable('vitals', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  encounterId: text('encounter_id'),
  takenAt: text('taken_at').notNull(),
  systolic: integer('systolic'),
  diastolic: integer('diastolic'),
  heartRate: integer('heart_rate'),
  respiratoryRate: integer('respiratory_rate'),
  temperatureTenthsC: integer('temperature_tenths_c'),
  weightG: integer('weight_g'),
  heightMm: integer('height_mm'),
  spo2: integer('spo2'),
  painScore: integer('pain_score'),
  recordedBy: text('recorded_by').notNull(),
  enteredInErrorReason: text('entered_in_error_reason'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const patientAlerts = sqliteTable('patient_alerts', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  text: text('text').notNull(),
  severity: text('severity', { enum: alertSeverities }).notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const noteTemplates = sqliteTable('note_templates', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  templateKey: text('template_key').notNull(),
  version: integer('version').notNull(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  restrictedDefault: integer('restricted_default', { mode: 'boolean' }).notNull(),
  /** JSON: the template definition (sections, fields, pick lists). */
  definition: text('definition').notNull(),
  status: text('status', { enum: templateStatuses }).notNull(),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const notes = sqliteTable('notes', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  encounterId: text('encounter_id'),
  templateId: text('template_id').notNull(),
  title: text('title').notNull(),
  status: text('status', { enum: noteStatuses }).notNull(),
  restricted: integer('restricted', { mode: 'boolean' }).notNull(),
  authorId: text('author_id').notNull(),
  /** JSON: the note content (field values, plan progress). */
  content: text('content').notNull(),
  version: integer('version').notNull(),
  lastSavedAt: text('last_saved_at').notNull(),
  lastSavedBy: text('last_saved_by').notNull(),
  lastSavedWorkstation: text('last_saved_workstation').notNull(),
  signedPatientId: text('signed_patient_id'),
  signedBy: text('signed_by'),
  signedAt: text('signed_at'),
  digest: text('digest'),
  cosignerId: text('cosigner_id'),
  cosignedAt: text('cosigned_at'),
  cosignDigest: text('cosign_digest'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const noteAddenda = sqliteTable('note_addenda', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  noteId: text('note_id').notNull(),
  authorId: text('author_id').notNull(),
  text: text('text').notNull(),
  signedAt: text('signed_at').notNull(),
  digest: text('digest').notNull(),
  amendmentId: text('amendment_id'),
  createdAt: text('created_at').notNull(),
});

export const noteAmendments = sqliteTable('note_amendments', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  noteId: text('note_id').notNull(),
  requestedBy: text('requested_by').notNull(),
  receivedOn: text('received_on').notNull(),
  requestText: text('request_text').notNull(),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: text('recorded_at').notNull(),
  status: text('status', { enum: amendmentStatuses }).notNull(),
  decidedBy: text('decided_by'),
  decidedAt: text('decided_at'),
  decisionReason: text('decision_reason'),
  addendumId: text('addendum_id'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const treatmentPlans = sqliteTable('treatment_plans', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  planGroupId: text('plan_group_id').notNull(),
  version: integer('version').notNull(),
  status: text('status', { enum: planStatuses }).notNull(),
  title: text('title').notNull(),
  effectiveDate: text('effective_date').notNull(),
  reviewDate: text('review_date'),
  /** JSON: problems -> goals -> objectives -> interventions. */
  structure: text('structure').notNull(),
  authorId: text('author_id').notNull(),
  rowVersion: integer('row_version').notNull(),
  signedPatientId: text('signed_patient_id'),
  clinicianSignedBy: text('clinician_signed_by'),
  clinicianSignedAt: text('clinician_signed_at'),
  digest: text('digest'),
  clientName: text('client_name'),
  clientSignedOn: text('client_signed_on'),
  clientSignMethod: text('client_sign_method'),
  clientRecordedBy: text('client_recorded_by'),
  clientRecordedAt: text('client_recorded_at'),
  closedOutcome: text('closed_outcome'),
  closedReason: text('closed_reason'),
  closedAt: text('closed_at'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const planProgress = sqliteTable('plan_progress', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  planId: text('plan_id').notNull(),
  planGroupId: text('plan_group_id').notNull(),
  objectiveId: text('objective_id').notNull(),
  noteId: text('note_id').notNull(),
  rating: text('rating').notNull(),
  comment: text('comment').notNull(),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: text('recorded_at').notNull(),
});

export const clinicianSupervision = sqliteTable('clinician_supervision', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  clinicianId: text('clinician_id').notNull(),
  supervisorId: text('supervisor_id').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

/** Local only: per-user key for the encrypted unsaved-draft copies kept in the browser. */
export const draftCacheKeys = sqliteTable('draft_cache_keys', {
  userId: text('user_id').primaryKey(),
  key: text('key').notNull(),
  createdAt: text('created_at').notNull(),
});

/** Local only: reference code sets installed on this workstation (ICD-10-CM). */
export const referenceCodeSets = sqliteTable('reference_code_sets', {
  name: text('name').primaryKey(),
  release: text('release').notNull(),
  source: text('source').notNull(),
  codeCount: integer('code_count').notNull(),
  content: text('content').notNull(),
  installedAt: text('installed_at').notNull(),
  installedBy: text('installed_by'),
  /** SHA-256 (hex) of `content` (migration 0006). */
  digest: text('digest').notNull().default(''),
  origin: text('origin', { enum: codeSetOrigins })
    .notNull()
    .default('file'),
});

/** Codes a newer release dropped, kept so records that use them still resolve (migration 0006; local). */
export const referenceRetiredCodes = sqliteTable(
  'reference_retired_codes',
  {
    codeSet: text('code_set').notNull(),
    code: text('code').notNull(),
    description: text('description').notNull(),
    release: text('release').notNull(),
    retiredIn: text('retired_in').notNull(),
    retiredAt: text('retired_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.codeSet, t.code] })],
);
