import { z } from 'zod';
import { idSchema } from '../common';
import { appointmentPatientSchema } from '../scheduling';

/**
 * Appointment requests (issue 11): a patient asks the clinic for a new appointment in the portal (a type,
 * optionally a clinician, the days and times of day that suit them, a short note). The request is written at
 * central as a replicated row (`appointment_requests`, workstation migration 0025) that the workstations
 * pull into the front desk's Requests queue; staff book it (the booking names the request, which then holds
 * the appointment) or decline it with a reason the patient sees. Property names are the workstation's
 * drizzle properties (tests/unit/sync/row-shapes.test.ts keeps them in step).
 */

export const requestWeekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const requestDayParts = ['morning', 'afternoon', 'evening'] as const;
export const requestStatuses = ['pending', 'booked', 'declined'] as const;
export type RequestWeekday = (typeof requestWeekdays)[number];
export type RequestDayPart = (typeof requestDayParts)[number];
export type RequestStatus = (typeof requestStatuses)[number];

export const appointmentRequestRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  patientId: z.string(),
  /** null: any clinician. */
  providerId: z.string().nullable(),
  appointmentTypeId: z.string(),
  /** JSON text: the weekdays that suit the patient (empty: any day). */
  preferredDays: z.string(),
  /** JSON text: the parts of the day that suit the patient (empty: any time). */
  preferredTimes: z.string(),
  note: z.string(),
  /** The patient's first name, or the proxy's name, as staff see who asked. */
  requestedBy: z.string(),
  status: z.enum(requestStatuses),
  /** Booked: the appointment made from it. */
  appointmentId: z.string().nullable(),
  /** Declined: the reason, shown to the patient. */
  declineReason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type AppointmentRequestRow = z.infer<typeof appointmentRequestRowSchema>;

/** Reads a stored JSON list, keeping only known values (a damaged value reads as "any"). */
export function parseChoiceList<T extends string>(
  text: string | null | undefined,
  allowed: readonly T[],
): T[] {
  try {
    const parsed: unknown = JSON.parse(text ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return allowed.filter((v) => parsed.includes(v));
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------- the portal's side

export const portalRequestCreateSchema = z.object({
  /** null: whoever is free. */
  providerId: idSchema.nullable().default(null),
  appointmentTypeId: z.uuid('Choose the kind of visit.'),
  preferredDays: z.array(z.enum(requestWeekdays)).max(7).default([]),
  preferredTimes: z.array(z.enum(requestDayParts)).max(3).default([]),
  note: z.string().trim().max(500, 'At most 500 characters.').default(''),
});
export type PortalRequestCreate = z.infer<typeof portalRequestCreateSchema>;

export const portalRequestSchema = z.object({
  id: idSchema,
  providerName: z.string().nullable(),
  typeName: z.string(),
  preferredDays: z.array(z.enum(requestWeekdays)),
  preferredTimes: z.array(z.enum(requestDayParts)),
  note: z.string(),
  status: z.enum(requestStatuses),
  declineReason: z.string().nullable(),
  /** Booked: when the appointment starts (it is also listed under the appointments). */
  bookedStartsAt: z.string().nullable(),
  timeZone: z.string(),
  createdAt: z.string(),
});
export type PortalRequest = z.infer<typeof portalRequestSchema>;

export const portalRequestChoiceSchema = z.object({ id: idSchema, name: z.string() });
export const portalRequestListSchema = z.object({
  requests: z.array(portalRequestSchema),
  /** What the patient may ask for: the clinic's active clinicians and appointment types. */
  providers: z.array(portalRequestChoiceSchema),
  types: z.array(portalRequestChoiceSchema),
  /** Whether this account may ask (a proxy needs the scope). */
  mayRequest: z.boolean(),
});
export type PortalRequestList = z.infer<typeof portalRequestListSchema>;

// ---------------------------------------------------------------- the front desk's side

export const appointmentRequestSchema = z.object({
  id: idSchema,
  patient: appointmentPatientSchema,
  providerId: idSchema.nullable(),
  appointmentTypeId: idSchema,
  preferredDays: z.array(z.enum(requestWeekdays)),
  preferredTimes: z.array(z.enum(requestDayParts)),
  note: z.string(),
  requestedBy: z.string(),
  status: z.enum(requestStatuses),
  createdAt: z.string(),
});
export type AppointmentRequest = z.infer<typeof appointmentRequestSchema>;
export const appointmentRequestListSchema = z.object({ requests: z.array(appointmentRequestSchema) });
export const appointmentRequestParamsSchema = z.object({ id: idSchema });
export const appointmentRequestDeclineSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(5, 'Tell the patient why (at least 5 characters); they see this in the portal.')
    .max(300, 'At most 300 characters.'),
});
