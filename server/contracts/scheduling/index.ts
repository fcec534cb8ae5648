import { z } from 'zod';
import { idSchema } from '../common';
import { boundedDate, boundedInstant, boundedMonth, scheduleDates, withDateRange } from '../date-bounds';

/**
 * Scheduling and check-in payloads. Times travel as UTC instants (ISO 8601 with an offset); calendar
 * dates (`YYYY-MM-DD`) and wall times (`HH:MM`) are the clinic's local ones. See docs/scheduling.md.
 */

export const localDateSchema = boundedDate(scheduleDates, 'Enter a complete date.');
export const localTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time like 09:30.');
export const monthSchema = boundedMonth(scheduleDates);
/** An instant on the schedule (UTC ISO 8601 with an offset), inside the schedule's date window. */
const scheduleInstantSchema = boundedInstant(scheduleDates);
export const colorSchema = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #3a7bd5.')
  .transform((c) => c.toLowerCase());

// ---------------------------------------------------------------- appointment statuses

/**
 * The visit's path: scheduled → arrived → checked_in → roomed → with_provider → checked_out, or it ends as
 * cancelled / no_show. These values are stored in `appointments.status`; other areas rely on them.
 */
export const appointmentStatuses = [
  'scheduled',
  'arrived',
  'checked_in',
  'roomed',
  'with_provider',
  'checked_out',
  'cancelled',
  'no_show',
] as const;
export const appointmentStatusSchema = z.enum(appointmentStatuses);
export type AppointmentStatus = z.infer<typeof appointmentStatusSchema>;

export const appointmentStatusLabels: Record<AppointmentStatus, string> = {
  scheduled: 'Scheduled',
  arrived: 'Arrived',
  checked_in: 'Checked in',
  roomed: 'Roomed',
  with_provider: 'With provider',
  checked_out: 'Checked out',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** The forward steps of the check-in flow (cancel and no-show have their own endpoints). */
export const visitSteps = ['arrived', 'checked_in', 'roomed', 'with_provider', 'checked_out'] as const;
export const visitStepSchema = z.enum(visitSteps);
export type VisitStep = z.infer<typeof visitStepSchema>;

export const modalities = ['in_person', 'telehealth'] as const;
export const modalitySchema = z.enum(modalities);
export type Modality = z.infer<typeof modalitySchema>;
export const modalityLabels: Record<Modality, string> = { in_person: 'In person', telehealth: 'Telehealth' };

// ---------------------------------------------------------------- recurrence

export const weekdayCodes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const weekdayCodeSchema = z.enum(weekdayCodes);
export type WeekdayCode = z.infer<typeof weekdayCodeSchema>;

/**
 * A repeat rule in the words people use; the server turns it into an RFC 5545 RRULE anchored at the first
 * occurrence's local date and time. Weekly without weekdays repeats on the first occurrence's weekday;
 * monthly by `date` keeps the day of the month (months without it are skipped), by `weekday` keeps e.g.
 * "the 2nd Tuesday": `weekdayOrdinal` 1–4 or -1 for "the last" (BYDAY=-1FR); without it, the first
 * occurrence's (a 5th weekday means "the last"). `weekStart` is the day weeks start on for "every N weeks"
 * (RFC 5545 WKST, Monday unless a series was moved across it). Splits and moves carry both, so an edit
 * never re-reads them from a later date.
 */
export const weekdayOrdinals = [1, 2, 3, 4, -1] as const;
export type WeekdayOrdinal = (typeof weekdayOrdinals)[number];
export const weekdayOrdinalWords: Record<WeekdayOrdinal, string> = {
  1: '1st',
  2: '2nd',
  3: '3rd',
  4: '4th',
  [-1]: 'last',
};
export const weekdayNames: Record<WeekdayCode, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};

/**
 * Which of its weekday in its month a date (YYYY-MM-DD) is: [2] for a 2nd Tuesday, [4, -1] for a 4th Friday
 * that is also the last, [-1] for a 5th. A rule may use any of them; the first is the default.
 */
export function weekdayOrdinalsOfDate(date: string): WeekdayOrdinal[] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const nth = Math.ceil(d / 7);
  const last = d + 7 > daysInMonth;
  if (nth >= 5) return [-1];
  return last ? [nth as WeekdayOrdinal, -1] : [nth as WeekdayOrdinal];
}
export const recurrenceSchema = z
  .object({
    frequency: z.enum(['daily', 'weekly', 'monthly']),
    interval: z
      .number()
      .int()
      .min(1, 'Repeat at least every 1.')
      .max(52, 'Repeat at most every 52.')
      .default(1),
    weekdays: z.array(weekdayCodeSchema).max(7).optional(),
    monthlyBy: z.enum(['date', 'weekday']).optional(),
    weekdayOrdinal: z.literal(weekdayOrdinals, { message: 'Use 1 to 4, or -1 for the last.' }).optional(),
    weekStart: weekdayCodeSchema.optional(),
    /**
     * Set by the server when the first occurrence's wall time falls in a spring-forward gap (a series split
     * at 02:30 on the night clocks jump): the wall time every occurrence keeps, which the first instant
     * cannot tell (it reads 03:30).
     */
    wallTime: localTimeSchema.optional(),
    count: z
      .number()
      .int()
      .min(1, 'At least one occurrence.')
      .max(520, 'At most 520 occurrences.')
      .optional(),
    until: localDateSchema.optional(),
  })
  .refine((r) => !(r.count !== undefined && r.until !== undefined), {
    message: 'End the series after a number of times or on a date, not both.',
    path: ['count'],
  })
  .refine((r) => r.weekdayOrdinal === undefined || (r.frequency === 'monthly' && r.monthlyBy === 'weekday'), {
    message: 'Which weekday of the month applies only to a monthly rule by weekday.',
    path: ['weekdayOrdinal'],
  });
export type Recurrence = z.infer<typeof recurrenceSchema>;

/** Appointment series must end (by count or date), so every occurrence is a real, checkable booking. */
export const appointmentRecurrenceSchema = recurrenceSchema.refine(
  (r) => r.count !== undefined || r.until !== undefined,
  { message: 'Say when the series ends: after a number of times or on a date.', path: ['count'] },
);

// ---------------------------------------------------------------- set-up: providers, places, types

export const providerSchema = z.object({
  id: idSchema,
  userId: idSchema,
  name: z.string(),
  credentials: z.string(),
  npi: z.string().nullable(),
  specialty: z.string(),
  color: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Provider = z.infer<typeof providerSchema>;

const npiInputSchema = z
  .string()
  .trim()
  .regex(/^\d{10}$/, 'An NPI has 10 digits.')
  .nullable()
  .or(z.literal('').transform(() => null));

export const providerCreateSchema = z.object({
  userId: idSchema,
  credentials: z.string().trim().max(40, 'At most 40 characters.').default(''),
  npi: npiInputSchema.default(null),
  specialty: z.string().trim().max(100, 'At most 100 characters.').default(''),
  color: colorSchema,
  active: z.boolean().default(true),
});
export const providerUpdateSchema = z
  .object({
    credentials: z.string().trim().max(40, 'At most 40 characters.'),
    npi: npiInputSchema,
    specialty: z.string().trim().max(100, 'At most 100 characters.'),
    color: colorSchema,
    active: z.boolean(),
  })
  .partial();
export const providerListSchema = z.object({ providers: z.array(providerSchema) });

export const roomSchema = z.object({
  id: idSchema,
  locationId: idSchema,
  name: z.string(),
  active: z.boolean(),
});
export type Room = z.infer<typeof roomSchema>;

export const locationSchema = z.object({
  id: idSchema,
  name: z.string(),
  address: z.string(),
  active: z.boolean(),
  rooms: z.array(roomSchema),
});
export type Location = z.infer<typeof locationSchema>;
export const locationListSchema = z.object({ locations: z.array(locationSchema) });

const nameSchema = z.string().trim().min(1, 'Enter a name.').max(100, 'At most 100 characters.');
export const locationCreateSchema = z.object({
  name: nameSchema,
  address: z.string().trim().max(300, 'At most 300 characters.').default(''),
  active: z.boolean().default(true),
});
export const locationUpdateSchema = z
  .object({ name: nameSchema, address: z.string().trim().max(300), active: z.boolean() })
  .partial();
export const roomCreateSchema = z.object({
  locationId: idSchema,
  name: nameSchema,
  active: z.boolean().default(true),
});
export const roomUpdateSchema = z.object({ name: nameSchema, active: z.boolean() }).partial();

export const appointmentTypeSchema = z.object({
  id: idSchema,
  name: z.string(),
  durationMinutes: z.number().int(),
  defaultRoomId: idSchema.nullable(),
  color: z.string(),
  modality: modalitySchema,
  active: z.boolean(),
});
export type AppointmentType = z.infer<typeof appointmentTypeSchema>;
export const appointmentTypeListSchema = z.object({ appointmentTypes: z.array(appointmentTypeSchema) });

const durationSchema = z
  .number()
  .int()
  .min(5, 'At least 5 minutes.')
  .max(720, 'At most 12 hours.')
  .refine((m) => m % 5 === 0, 'Use a multiple of 5 minutes.');
export const appointmentTypeCreateSchema = z.object({
  name: nameSchema,
  durationMinutes: durationSchema,
  defaultRoomId: idSchema.nullable().default(null),
  color: colorSchema,
  modality: modalitySchema.default('in_person'),
  active: z.boolean().default(true),
});
export const appointmentTypeUpdateSchema = z
  .object({
    name: nameSchema,
    durationMinutes: durationSchema,
    defaultRoomId: idSchema.nullable(),
    color: colorSchema,
    modality: modalitySchema,
    active: z.boolean(),
  })
  .partial();

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const workingHoursEntrySchema = z
  .object({
    locationId: idSchema,
    weekday: z.number().int().min(1).max(7),
    start: localTimeSchema,
    end: localTimeSchema,
  })
  .refine((h) => h.start < h.end, { message: 'The end must be after the start.', path: ['end'] });
export type WorkingHoursEntry = z.infer<typeof workingHoursEntrySchema>;
export const workingHoursSchema = z.object({ providerId: idSchema, hours: z.array(workingHoursEntrySchema) });
export const workingHoursUpdateSchema = z.object({ hours: z.array(workingHoursEntrySchema).max(70) });

// ---------------------------------------------------------------- blocks

export const blockKinds = ['lunch', 'meeting', 'time_off', 'other'] as const;
export const blockKindSchema = z.enum(blockKinds);
export type BlockKind = z.infer<typeof blockKindSchema>;
export const blockKindLabels: Record<BlockKind, string> = {
  lunch: 'Lunch',
  meeting: 'Meeting',
  time_off: 'Time off',
  other: 'Blocked',
};

/** A block as defined: one time, or the first occurrence of a repeating block. */
export const blockSchema = z.object({
  id: idSchema,
  providerId: idSchema.nullable(),
  roomId: idSchema.nullable(),
  kind: blockKindSchema,
  label: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
  recurrence: recurrenceSchema.nullable(),
  recurrenceText: z.string().nullable(),
});
export type Block = z.infer<typeof blockSchema>;
export const blockListSchema = z.object({ blocks: z.array(blockSchema) });

/** A block's provider or room (or neither: the whole clinic, e.g. a holiday). */
export const blockCreateSchema = z
  .object({
    providerId: idSchema.nullable().default(null),
    roomId: idSchema.nullable().default(null),
    kind: blockKindSchema,
    label: z.string().trim().max(100, 'At most 100 characters.').default(''),
    startsAt: scheduleInstantSchema,
    endsAt: scheduleInstantSchema,
    recurrence: recurrenceSchema.nullable().default(null),
  })
  .refine((b) => new Date(b.startsAt) < new Date(b.endsAt), {
    message: 'The end must be after the start.',
    path: ['endsAt'],
  })
  // A repeating block longer than a day would overlap its own next occurrence (and every schedule read
  // would expand all of them); longer time off is a one-time block.
  .refine((b) => !b.recurrence || Date.parse(b.endsAt) - Date.parse(b.startsAt) <= 86_400_000, {
    message: 'A repeating block lasts at most a day; for longer time off, add a one-time block.',
    path: ['endsAt'],
  });
export const blockIdParamsSchema = z.object({ id: idSchema });

/** One occurrence of a block inside a requested window. */
export const blockOccurrenceSchema = z.object({
  blockId: idSchema,
  providerId: idSchema.nullable(),
  roomId: idSchema.nullable(),
  kind: blockKindSchema,
  label: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  recurring: z.boolean(),
});
export type BlockOccurrence = z.infer<typeof blockOccurrenceSchema>;

// ---------------------------------------------------------------- appointments

/** Enough to tell patients apart on a schedule; the full record is behind the patient's page. */
export const appointmentPatientSchema = z.object({
  id: idSchema,
  mrn: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: z.string(),
  restricted: z.boolean(),
});
export type AppointmentPatient = z.infer<typeof appointmentPatientSchema>;

export const statusStepSchema = z.object({
  from: appointmentStatusSchema,
  to: appointmentStatusSchema,
  at: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
});
export type StatusStep = z.infer<typeof statusStepSchema>;

export const appointmentSchema = z.object({
  id: idSchema,
  patient: appointmentPatientSchema,
  providerId: idSchema,
  appointmentTypeId: idSchema,
  locationId: idSchema,
  roomId: idSchema.nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
  modality: modalitySchema,
  status: appointmentStatusSchema,
  statusChangedAt: z.string(),
  note: z.string(),
  seriesId: idSchema.nullable(),
  /** For a series member: the clinic-local date of the occurrence it stands for (its RECURRENCE-ID). */
  occurrenceDate: z.string().nullable(),
  /** Edited on its own: keeps its own time and details when the series is edited. */
  detached: z.boolean(),
  arrivedAt: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  roomedAt: z.string().nullable(),
  withProviderAt: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  lateCancel: z.boolean(),
  noShowAt: z.string().nullable(),
  copayDueCents: z.number().int().nullable(),
  overrideReason: z.string().nullable(),
  /** Set by sync when two workstations booked overlapping times offline; reception resolves it. */
  doubleBookedAt: z.string().nullable(),
  /** The patient confirmed this time from a reminder's link (central writes it; it replicates here). */
  patientConfirmedAt: z.string().nullable(),
  /** The last status step that can be undone, if any. */
  lastStep: statusStepSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Appointment = z.infer<typeof appointmentSchema>;

export const overrideSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(5, 'Say why this booking should go ahead anyway (at least 5 characters).')
    .max(500),
});

export const appointmentCreateSchema = z.object({
  patientId: idSchema,
  providerId: idSchema,
  appointmentTypeId: idSchema,
  locationId: idSchema,
  /** Omitted: the appointment type's default room (if any). */
  roomId: idSchema.nullable().optional(),
  startsAt: scheduleInstantSchema,
  /** Omitted: the appointment type's duration. */
  durationMinutes: durationSchema.optional(),
  note: z.string().trim().max(500, 'At most 500 characters.').default(''),
  recurrence: appointmentRecurrenceSchema.nullable().default(null),
  override: overrideSchema.nullable().default(null),
  waitlistEntryId: idSchema.nullable().default(null),
  /** Booking a patient's request from the portal: the request then holds the appointment. */
  appointmentRequestId: idSchema.nullable().default(null),
});
export type AppointmentCreate = z.infer<typeof appointmentCreateSchema>;

export const seriesStatuses = ['active', 'cancelled'] as const;
export const seriesSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  providerId: idSchema,
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  timeZone: z.string(),
  recurrence: recurrenceSchema,
  rrule: z.string(),
  recurrenceText: z.string(),
  status: z.enum(seriesStatuses),
});
export type Series = z.infer<typeof seriesSchema>;

export const bookingResultSchema = z.object({
  appointment: appointmentSchema,
  series: seriesSchema.nullable(),
  /** How many appointments were made (1, or the series' occurrences). */
  booked: z.number().int(),
});

/** "Only this one", "this and the following ones", "the whole series" (from now on). */
export const seriesScopeSchema = z.enum(['this', 'following', 'series']);
export type SeriesScope = z.infer<typeof seriesScopeSchema>;

export const appointmentUpdateSchema = z
  .object({
    startsAt: scheduleInstantSchema.optional(),
    endsAt: scheduleInstantSchema.optional(),
    providerId: idSchema.optional(),
    locationId: idSchema.optional(),
    roomId: idSchema.nullable().optional(),
    appointmentTypeId: idSchema.optional(),
    note: z.string().trim().max(500, 'At most 500 characters.').optional(),
    /** Only with scope 'following' or 'series': a new repeat rule from the edited occurrence on. */
    recurrence: appointmentRecurrenceSchema.optional(),
    scope: seriesScopeSchema.default('this'),
    reason: z.string().trim().max(300, 'At most 300 characters.').optional(),
    override: overrideSchema.nullable().default(null),
  })
  .refine(
    (u) =>
      [
        'startsAt',
        'endsAt',
        'providerId',
        'locationId',
        'roomId',
        'appointmentTypeId',
        'note',
        'recurrence',
      ].some((k) => u[k as keyof typeof u] !== undefined),
    'Nothing to change.',
  );
export type AppointmentUpdate = z.infer<typeof appointmentUpdateSchema>;

export const appointmentCancelSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(3, 'Say why the appointment is cancelled.')
    .max(300, 'At most 300 characters.'),
  /** Omitted: late when cancelled less than 24 hours before the start. */
  lateCancel: z.boolean().optional(),
  scope: seriesScopeSchema.default('this'),
});

export const appointmentIdParamsSchema = z.object({ id: idSchema });

export const appointmentChangeSchema = z.object({
  at: z.string(),
  userName: z.string().nullable(),
  kind: z.string(),
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
});

export const appointmentDetailSchema = z.object({
  appointment: appointmentSchema,
  series: seriesSchema.nullable(),
  steps: z.array(statusStepSchema.extend({ undoneAt: z.string().nullable() })),
  changes: z.array(appointmentChangeSchema),
});
export type AppointmentDetail = z.infer<typeof appointmentDetailSchema>;

export const appointmentChangeResultSchema = z.object({
  appointment: appointmentSchema,
  /** How many appointments the change touched (more than 1 for series edits and cancels). */
  affected: z.number().int(),
});

// ---------------------------------------------------------------- conflicts and availability

export const conflictKinds = [
  'provider_busy',
  'room_busy',
  'patient_busy',
  'outside_hours',
  'blocked',
  'in_the_past',
] as const;
export const conflictSchema = z.object({
  kind: z.enum(conflictKinds),
  message: z.string(),
  startsAt: z.string(),
});
export type Conflict = z.infer<typeof conflictSchema>;

/** Appointments last at most 12 hours (durationSchema); a check is about one appointment's time. */
const MAX_APPOINTMENT_MINUTES = 720;
export const slotCheckSchema = z
  .object({
    providerId: idSchema,
    locationId: idSchema,
    roomId: idSchema.nullable().default(null),
    patientId: idSchema.nullable().default(null),
    startsAt: scheduleInstantSchema,
    endsAt: scheduleInstantSchema,
    excludeAppointmentId: idSchema.nullable().default(null),
    recurrence: appointmentRecurrenceSchema.nullable().default(null),
  })
  .superRefine((s, ctx) => {
    const minutes = (Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000;
    if (!(minutes > 0)) {
      ctx.addIssue({ code: 'custom', message: 'The end must be after the start.', path: ['endsAt'] });
    } else if (minutes > MAX_APPOINTMENT_MINUTES) {
      ctx.addIssue({ code: 'custom', message: 'An appointment lasts at most 12 hours.', path: ['endsAt'] });
    }
  });
export const slotCheckResultSchema = z.object({
  conflicts: z.array(conflictSchema),
  occurrences: z.number().int(),
});

export const nextAvailableQuerySchema = z.object({
  providerId: idSchema,
  locationId: idSchema.optional(),
  appointmentTypeId: idSchema.optional(),
  durationMinutes: z.coerce.number().int().min(5).max(720).optional(),
  after: scheduleInstantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export const slotSchema = z.object({
  startsAt: z.string(),
  endsAt: z.string(),
  providerId: idSchema,
  locationId: idSchema,
  roomId: idSchema.nullable(),
});
export const nextAvailableResultSchema = z.object({ slots: z.array(slotSchema) });

// ---------------------------------------------------------------- schedule views

/** The most days one schedule view may ask for (a month view with the weeks around it). */
export const MAX_SCHEDULE_DAYS = 42;
export const scheduleQuerySchema = withDateRange(
  z.object({
    from: localDateSchema,
    /** Inclusive; at most 42 days from `from`. */
    to: localDateSchema,
    providerId: idSchema.optional(),
    locationId: idSchema.optional(),
    includeCancelled: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  }),
  MAX_SCHEDULE_DAYS,
);

export const hoursIntervalSchema = z.object({
  providerId: idSchema,
  locationId: idSchema,
  startsAt: z.string(),
  endsAt: z.string(),
});

export const scheduleSchema = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  appointments: z.array(appointmentSchema),
  blocks: z.array(blockOccurrenceSchema),
  hours: z.array(hoursIntervalSchema),
});
export type Schedule = z.infer<typeof scheduleSchema>;

export const monthQuerySchema = z.object({ month: monthSchema, providerId: idSchema.optional() });
export const monthSummarySchema = z.object({
  month: z.string(),
  days: z.array(
    z.object({
      date: z.string(),
      booked: z.number().int(),
      cancelled: z.number().int(),
      noShow: z.number().int(),
      blocked: z.boolean(),
    }),
  ),
});

export const boardQuerySchema = z.object({ providerId: idSchema.optional() });
export const boardSchema = z.object({
  date: z.string(),
  timeZone: z.string(),
  appointments: z.array(appointmentSchema),
});

// ---------------------------------------------------------------- check-in

export const checkInReviewSchema = z.object({
  appointmentId: idSchema,
  patient: appointmentPatientSchema,
  /** Demographics to confirm with the patient, with what is missing. */
  demographics: z.object({ problems: z.array(z.string()) }),
  /** Insurance on file for the visit date: what is missing or expired. */
  insurance: z.object({
    status: z.enum(['ok', 'missing', 'expired', 'problems', 'not_recorded']),
    problems: z.array(z.string()),
  }),
  copayDueCents: z.number().int().nullable(),
});
export type CheckInReview = z.infer<typeof checkInReviewSchema>;

export const statusChangeSchema = z.object({
  to: visitStepSchema,
  /** Rooming puts the patient in a room. */
  roomId: idSchema.nullable().optional(),
  /** Required when checking in: reception confirmed demographics and reviewed insurance with the patient. */
  checkIn: z
    .object({
      demographicsConfirmed: z.literal(true, { message: 'Confirm the demographics with the patient.' }),
      insuranceReviewed: z.literal(true, { message: 'Review the insurance with the patient.' }),
      copayDueCents: z
        .number()
        .int('Enter the copay in whole cents.')
        .min(0, 'The copay cannot be negative.')
        .max(10_000_00, 'That copay is too large.'),
    })
    .optional(),
});

// ---------------------------------------------------------------- waitlist

export const waitlistPriorities = ['normal', 'high'] as const;
/** Stored in `waitlist_entries.status`: an entry leaves the list booked or removed, never deleted. */
export const waitlistStatuses = ['waiting', 'booked', 'removed'] as const;

export const waitlistEntrySchema = z.object({
  id: idSchema,
  patient: appointmentPatientSchema,
  providerId: idSchema,
  appointmentTypeId: idSchema.nullable(),
  note: z.string(),
  earliestDate: z.string().nullable(),
  latestDate: z.string().nullable(),
  priority: z.enum(waitlistPriorities),
  createdAt: z.string(),
});
export type WaitlistEntry = z.infer<typeof waitlistEntrySchema>;
export const waitlistQuerySchema = z.object({ providerId: idSchema.optional() });
export const waitlistSchema = z.object({ entries: z.array(waitlistEntrySchema) });
export const waitlistCreateSchema = z
  .object({
    patientId: idSchema,
    providerId: idSchema,
    appointmentTypeId: idSchema.nullable().default(null),
    note: z.string().trim().max(500, 'At most 500 characters.').default(''),
    earliestDate: localDateSchema.nullable().default(null),
    latestDate: localDateSchema.nullable().default(null),
    priority: z.enum(waitlistPriorities).default('normal'),
  })
  .refine((w) => !w.earliestDate || !w.latestDate || w.earliestDate <= w.latestDate, {
    message: 'The latest date must not be before the earliest date.',
    path: ['latestDate'],
  });
export const waitlistRemoveSchema = z.object({ reason: z.enum(['booked', 'no_longer_needed', 'other']) });
export const waitlistIdParamsSchema = z.object({ id: idSchema });

// ---------------------------------------------------------------- export

export const idParamsSchema = z.object({ id: idSchema });
/** The most days one calendar export may cover (a year; the schedule page exports 91). */
export const MAX_EXPORT_DAYS = 366;
export const icsQuerySchema = withDateRange(
  z.object({
    from: localDateSchema,
    to: localDateSchema,
    /** Patient names in the calendar: off by default, because calendars leave the clinic's systems. */
    names: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  }),
  MAX_EXPORT_DAYS,
);
