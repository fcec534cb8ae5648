import { z } from 'zod';
// Installs the shared sentences for validation errors (zod's global error map) wherever contracts load.
import './messages';
import { boundedInstant, recordDates } from './date-bounds';

/** UUIDv7 (or any RFC 4122 UUID) as stored in every replicated table's `id`. */
export const idSchema = z.uuid();
export type Id = z.infer<typeof idSchema>;

/** Every non-2xx JSON answer: a message a person can act on, plus field errors for forms. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const okSchema = z.object({ ok: z.literal(true) });

/**
 * IANA time zone name, validated against the runtime's zone database and stored under its canonical
 * spelling ('america/chicago' is accepted by Intl but would then travel into calendar exports as typed).
 */
export const timeZoneSchema = z
  .string()
  .max(64, 'Choose a time zone from the list (for example America/Chicago).')
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return tz.includes('/') || tz === 'UTC';
      } catch {
        return false;
      }
    },
    { message: 'Choose a time zone from the list (for example America/Chicago).' },
  )
  .transform((tz) => new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone);

/** An instant (ISO 8601 with an offset) inside the record window; the schedule has its own, narrower one. */
export const isoInstantSchema = boundedInstant(recordDates);
