import { z } from 'zod';
// Installs the shared sentences for validation errors (zod's global error map) wherever contracts load.
import './messages';

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

/** IANA time zone name, validated against the runtime's zone database. */
export const timeZoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return tz.includes('/') || tz === 'UTC';
    } catch {
      return false;
    }
  },
  { message: 'Choose a time zone from the list (for example America/Chicago).' },
);

export const isoInstantSchema = z.iso.datetime({ offset: true });
