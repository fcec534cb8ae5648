import { z } from 'zod';
import { idSchema } from '../common';
import { portalAppointmentSchema } from './index';
import { MAX_JOIN_OPENS_MINUTES } from '../telehealth';

/**
 * Self-scheduling and the cancellation window (docs/portal.md, "Self-scheduling"). Both are clinic settings
 * written on a workstation (`clinic_settings` keys below, `Store.write`, audited) and replicated; central
 * reads them from the clinic's replica. Self-booking is off until the clinic turns it on per appointment
 * type, naming the clinicians patients may book, how far ahead and with how much notice.
 */

/** clinic_settings row `<clinicId>:portal.self_booking` (JSON value). */
export const SELF_BOOKING_KEY = 'portal.self_booking';
/** clinic_settings row `<clinicId>:portal.cancel_window` (JSON value). */
export const CANCEL_WINDOW_KEY = 'portal.cancel_window';

/** Until the clinic sets one: 24 hours (as before the screen existed). */
export const DEFAULT_CANCEL_WINDOW_HOURS = 24;
export const MAX_CANCEL_WINDOW_HOURS = 336;
export const MAX_DAYS_AHEAD = 180;
export const MAX_NOTICE_HOURS = 336;

export const cancelWindowSchema = z.object({
  hours: z
    .number({ message: 'Enter a number of hours.' })
    .int('Enter whole hours.')
    .min(0, 'Enter 0 or more hours (0: patients may cancel until the start).')
    .max(MAX_CANCEL_WINDOW_HOURS, `At most ${MAX_CANCEL_WINDOW_HOURS} hours (two weeks).`),
});
export type CancelWindow = z.infer<typeof cancelWindowSchema>;

export const selfBookingTypeSchema = z.object({
  appointmentTypeId: idSchema,
  /** The clinicians patients may book for this type (at least one). */
  providerIds: z.array(idSchema).min(1, 'Choose at least one clinician patients may book.').max(200),
  maxDaysAhead: z
    .number({ message: 'Enter a number of days.' })
    .int('Enter whole days.')
    .min(1, 'Patients need at least 1 day to choose from.')
    .max(MAX_DAYS_AHEAD, `At most ${MAX_DAYS_AHEAD} days ahead.`),
  minNoticeHours: z
    .number({ message: 'Enter a number of hours.' })
    .int('Enter whole hours.')
    .min(0, 'Enter 0 or more hours.')
    .max(MAX_NOTICE_HOURS, `At most ${MAX_NOTICE_HOURS} hours (two weeks).`),
});
export type SelfBookingType = z.infer<typeof selfBookingTypeSchema>;

export const selfBookingPolicySchema = z.object({
  types: z
    .array(selfBookingTypeSchema)
    .max(100)
    .refine(
      (t) => new Set(t.map((x) => x.appointmentTypeId)).size === t.length,
      'Each appointment type can be listed once.',
    ),
});
export type SelfBookingPolicy = z.infer<typeof selfBookingPolicySchema>;

/** Reads a stored value leniently: anything unreadable is "no self-booking". */
export function readSelfBookingPolicy(value: unknown): SelfBookingPolicy {
  const ok = selfBookingPolicySchema.safeParse(value);
  return ok.success ? ok.data : { types: [] };
}

/** Reads a stored window leniently: anything unreadable is the default. */
export function readCancelWindow(value: unknown): number | null {
  const ok = cancelWindowSchema.safeParse(value);
  return ok.success ? ok.data.hours : null;
}

/**
 * How many minutes before the start patients may join their video visit from the portal (clinic setting
 * `telehealth.join_opens_minutes`, JSON number, read by central; contracts/telehealth). Null: clear the
 * clinic's value, so central's telehealth default applies.
 */
export const videoJoinWindowSchema = z.object({
  minutes: z
    .number({ message: 'Enter a number of minutes.' })
    .int('Enter whole minutes.')
    .min(0, 'Enter 0 or more minutes (0: patients may join from the start).')
    .max(MAX_JOIN_OPENS_MINUTES, `At most ${MAX_JOIN_OPENS_MINUTES} minutes (24 hours).`)
    .nullable(),
});
export type VideoJoinWindow = z.infer<typeof videoJoinWindowSchema>;

/** The workstation's settings screen: every portal scheduling setting. */
export const portalSchedulingSettingsSchema = z.object({
  selfBooking: selfBookingPolicySchema,
  cancelWindowHours: z.number().int(),
  /** The clinic's video join window in minutes; null: central's telehealth default applies. */
  videoJoinOpensMinutes: z.number().int().nullable(),
});
export type PortalSchedulingSettings = z.infer<typeof portalSchedulingSettingsSchema>;

// ---------------------------------------------------------------- the portal's side

const choice = z.object({ id: idSchema, name: z.string() });

export const selfBookingOptionsSchema = z.object({
  /** Types the clinic lets patients book, each with its clinicians; empty: self-booking is off. */
  types: z.array(
    choice.extend({
      durationMinutes: z.number().int(),
      modality: z.string(),
      maxDaysAhead: z.number().int(),
      minNoticeHours: z.number().int(),
      providers: z.array(choice),
    }),
  ),
  /** Whether this account may book (a proxy needs the `appointments.request` scope). */
  mayBook: z.boolean(),
  timeZone: z.string(),
});
export type SelfBookingOptions = z.infer<typeof selfBookingOptionsSchema>;

export const selfBookingSlotParamsSchema = z.object({ typeId: idSchema, providerId: idSchema });

export const selfBookingSlotsSchema = z.object({
  timeZone: z.string(),
  /** Open slots, earliest first (start and end instants, UTC). */
  slots: z.array(z.object({ startsAt: z.string(), endsAt: z.string() })),
});
export type SelfBookingSlots = z.infer<typeof selfBookingSlotsSchema>;

export const selfBookingCreateSchema = z.object({
  appointmentTypeId: z.uuid('Choose the kind of visit.'),
  providerId: z.uuid('Choose a clinician.'),
  startsAt: z.iso.datetime({ message: 'Choose a time from the list.' }),
});
export type SelfBookingCreate = z.infer<typeof selfBookingCreateSchema>;

export const selfBookingResultSchema = portalAppointmentSchema;
