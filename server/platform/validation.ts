import type { z } from 'zod';
import { AppError } from './errors';

/**
 * Input validation for both servers' endpoint registries: a zod failure becomes a 400 naming each field
 * once (the first problem per field), with a one-line summary a person can read.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationError(result.error);
}

export function validationError(error: z.ZodError): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] ??= issue.message;
  }
  const entries = Object.entries(fields);
  const first = entries[0];
  const summary =
    entries.length === 1 && first
      ? `${first[0] === '_' ? '' : `${first[0]}: `}${first[1]}`
      : 'Some fields need attention.';
  return new AppError(400, 'invalid_input', summary, fields);
}
