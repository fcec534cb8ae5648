import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { chargeLineStatuses, policyPoints } from '../../../contracts/billing/charges';
import { encounterModalities, feeScopes } from '../../../contracts/billing/setup';

/** Billing set-up and charge lines (migration 0010_billing_setup; see docs/billing.md). */

export const serviceCodes = sqliteTable('service_codes', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  code: text('code').notNull(),
  description: text('description').notNull(),
  defaultUnits: integer('default_units').notNull(),
  defaultMinutes: integer('default_minutes'),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const feeScheduleEntries = sqliteTable('fee_schedule_entries', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  serviceCodeId: text('service_code_id').notNull(),
  scope: text('scope', { enum: feeScopes }).notNull(),
  providerUserId: text('provider_user_id'),
  patientId: text('patient_id'),
  amountCents: integer('amount_cents').notNull(),
  effectiveFrom: text('effective_from'),
  endsOn: text('ends_on'),
  note: text('note').notNull(),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const placeOfServiceRules = sqliteTable('place_of_service_rules', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  payerId: text('payer_id'),
  modality: text('modality', { enum: encounterModalities }).notNull(),
  placeOfService: text('place_of_service').notNull(),
  /** JSON array of up to 4 modifiers. */
  modifiers: text('modifiers').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const appointmentTypeServiceCodes = sqliteTable('appointment_type_service_codes', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  appointmentTypeId: text('appointment_type_id').notNull(),
  serviceCodeId: text('service_code_id').notNull(),
  units: integer('units').notNull(),
  position: integer('position').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const chargeLines = sqliteTable('charge_lines', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  encounterId: text('encounter_id').notNull(),
  patientId: text('patient_id').notNull(),
  serviceCodeId: text('service_code_id').notNull(),
  /** The code and description as they were when the line was made (printed on invoices and superbills). */
  code: text('code').notNull(),
  description: text('description').notNull(),
  units: integer('units').notNull(),
  /** JSON array of up to 4 modifiers. */
  modifiers: text('modifiers').notNull(),
  /** JSON array of 1-4 ordered 1-based pointers into the encounter's diagnoses. */
  diagnosisPointers: text('diagnosis_pointers').notNull(),
  renderingProviderUserId: text('rendering_provider_user_id').notNull(),
  dateOfService: text('date_of_service').notNull(),
  placeOfService: text('place_of_service').notNull(),
  unitFeeCents: integer('unit_fee_cents').notNull(),
  amountCents: integer('amount_cents').notNull(),
  feeSource: text('fee_source', { enum: ['practice', 'provider', 'patient', 'manual', 'none'] }).notNull(),
  status: text('status', { enum: chargeLineStatuses }).notNull(),
  ledgerEntryId: text('ledger_entry_id'),
  position: integer('position').notNull(),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const paymentPolicyOverrides = sqliteTable('payment_policy_overrides', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  appointmentId: text('appointment_id'),
  encounterId: text('encounter_id'),
  point: text('point', { enum: policyPoints }).notNull(),
  kind: text('kind', { enum: ['acknowledge', 'override'] }).notNull(),
  reason: text('reason').notNull(),
  dueCents: integer('due_cents').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
});
