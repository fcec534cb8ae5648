import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';
import {
  appointmentStatuses,
  blockKinds,
  modalities,
  seriesStatuses,
  waitlistPriorities,
  waitlistStatuses,
} from '../../../contracts/scheduling';
import { requestStatuses } from '../../../contracts/portal/requests';

/** Scheduling and check-in (migration 0003). See docs/scheduling.md for what each column means. */

export const providerProfiles = sqliteTable('provider_profiles', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  userId: text('user_id').notNull(),
  credentials: text('credentials').notNull(),
  npi: text('npi'),
  specialty: text('specialty').notNull(),
  color: text('color').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const locations = sqliteTable('locations', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const rooms = sqliteTable('rooms', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  locationId: text('location_id').notNull(),
  name: text('name').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const appointmentTypes = sqliteTable('appointment_types', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  name: text('name').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  defaultRoomId: text('default_room_id'),
  color: text('color').notNull(),
  modality: text('modality', { enum: modalities }).notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const workingHours = sqliteTable('working_hours', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  providerId: text('provider_id').notNull(),
  locationId: text('location_id').notNull(),
  weekday: integer('weekday').notNull(),
  startTime: text('start_time').notNull(),
  endTime: text('end_time').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const scheduleBlocks = sqliteTable('schedule_blocks', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  providerId: text('provider_id'),
  roomId: text('room_id'),
  kind: text('kind', { enum: blockKinds }).notNull(),
  label: text('label').notNull(),
  startsAt: text('starts_at').notNull(),
  endsAt: text('ends_at').notNull(),
  timeZone: text('time_zone').notNull(),
  recurrence: text('recurrence'),
  rrule: text('rrule'),
  untilAt: text('until_at'),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const appointmentSeries = sqliteTable('appointment_series', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  providerId: text('provider_id').notNull(),
  appointmentTypeId: text('appointment_type_id').notNull(),
  locationId: text('location_id').notNull(),
  roomId: text('room_id'),
  startsAt: text('starts_at').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  timeZone: text('time_zone').notNull(),
  recurrence: text('recurrence').notNull(),
  rrule: text('rrule').notNull(),
  note: text('note').notNull(),
  status: text('status', { enum: seriesStatuses }).notNull(),
  splitFromId: text('split_from_id'),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const appointments = sqliteTable('appointments', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  providerId: text('provider_id').notNull(),
  appointmentTypeId: text('appointment_type_id').notNull(),
  locationId: text('location_id').notNull(),
  roomId: text('room_id'),
  startsAt: text('starts_at').notNull(),
  endsAt: text('ends_at').notNull(),
  timeZone: text('time_zone').notNull(),
  modality: text('modality', { enum: modalities }).notNull(),
  status: text('status', { enum: appointmentStatuses }).notNull(),
  statusChangedAt: text('status_changed_at').notNull(),
  note: text('note').notNull(),
  seriesId: text('series_id'),
  occurrenceDate: text('occurrence_date'),
  detached: integer('detached', { mode: 'boolean' }).notNull(),
  arrivedAt: text('arrived_at'),
  checkedInAt: text('checked_in_at'),
  roomedAt: text('roomed_at'),
  withProviderAt: text('with_provider_at'),
  checkedOutAt: text('checked_out_at'),
  cancelledAt: text('cancelled_at'),
  cancelReason: text('cancel_reason'),
  lateCancel: integer('late_cancel', { mode: 'boolean' }).notNull(),
  noShowAt: text('no_show_at'),
  copayDueCents: integer('copay_due_cents'),
  demographicsConfirmedAt: text('demographics_confirmed_at'),
  insuranceReviewedAt: text('insurance_reviewed_at'),
  overrideReason: text('override_reason'),
  doubleBookedAt: text('double_booked_at'),
  doubleBookedWith: text('double_booked_with'),
  /** The patient confirmed this time from a reminder's link (written at central). */
  patientConfirmedAt: text('patient_confirmed_at'),
  waitlistEntryId: text('waitlist_entry_id'),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

export const appointmentStatusEvents = sqliteTable('appointment_status_events', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  appointmentId: text('appointment_id').notNull(),
  fromStatus: text('from_status', { enum: appointmentStatuses }).notNull(),
  toStatus: text('to_status', { enum: appointmentStatuses }).notNull(),
  at: text('at').notNull(),
  userId: text('user_id'),
  undoneAt: text('undone_at'),
  undoneBy: text('undone_by'),
  updatedAt: text('updated_at').notNull(),
});

export const appointmentChanges = sqliteTable('appointment_changes', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  appointmentId: text('appointment_id').notNull(),
  kind: text('kind').notNull(),
  before: text('before').notNull(),
  after: text('after').notNull(),
  reason: text('reason'),
  at: text('at').notNull(),
  userId: text('user_id'),
  updatedAt: text('updated_at').notNull(),
});

export const waitlistEntries = sqliteTable('waitlist_entries', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  providerId: text('provider_id').notNull(),
  appointmentTypeId: text('appointment_type_id'),
  note: text('note').notNull(),
  earliestDate: text('earliest_date'),
  latestDate: text('latest_date'),
  priority: text('priority', { enum: waitlistPriorities }).notNull(),
  status: text('status', { enum: waitlistStatuses }).notNull(),
  removedReason: text('removed_reason'),
  bookedAppointmentId: text('booked_appointment_id'),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});

/** Appointment requests from the patient portal (migration 0020_appointment_requests); replicated. */
export const appointmentRequests = sqliteTable('appointment_requests', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  providerId: text('provider_id'),
  appointmentTypeId: text('appointment_type_id').notNull(),
  preferredDays: text('preferred_days').notNull(),
  preferredTimes: text('preferred_times').notNull(),
  note: text('note').notNull(),
  requestedBy: text('requested_by').notNull(),
  status: text('status', { enum: requestStatuses }).notNull(),
  appointmentId: text('appointment_id'),
  declineReason: text('decline_reason'),
  decidedBy: text('decided_by'),
  decidedAt: text('decided_at'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
});
