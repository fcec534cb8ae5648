import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ledgerEntryKinds, paymentMethods, responsibilities } from '../../../contracts/billing/ledger';

/** The patient ledger (migration 0007): append-only entries and allocations. See docs/billing.md. */

export const ledgerEntries = sqliteTable('ledger_entries', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  kind: text('kind', { enum: ledgerEntryKinds }).notNull(),
  responsibility: text('responsibility', { enum: responsibilities }).notNull(),
  amountCents: integer('amount_cents').notNull(),
  transferFrom: text('transfer_from', { enum: responsibilities }),
  reversesEntryId: text('reverses_entry_id'),
  appliesToEntryId: text('applies_to_entry_id'),
  encounterId: text('encounter_id'),
  appointmentId: text('appointment_id'),
  chargeLineId: text('charge_line_id'),
  serviceDate: text('service_date'),
  providerUserId: text('provider_user_id'),
  locationId: text('location_id'),
  method: text('method', { enum: paymentMethods }),
  checkNumber: text('check_number'),
  externalRef: text('external_ref'),
  memo: text('memo').notNull(),
  postedAt: text('posted_at').notNull(),
  postedBy: text('posted_by').notNull(),
  createdAt: text('created_at').notNull(),
});

export const ledgerAllocations = sqliteTable('ledger_allocations', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  paymentEntryId: text('payment_entry_id').notNull(),
  chargeEntryId: text('charge_entry_id').notNull(),
  amountCents: integer('amount_cents').notNull(),
  reversesAllocationId: text('reverses_allocation_id'),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});
