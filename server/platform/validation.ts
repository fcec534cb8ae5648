import type { z } from 'zod';
import { validationFields } from '../contracts/messages';
import { AppError } from './errors';

/**
 * Input validation for both servers' endpoint registries: a zod failure becomes a 400 naming each field
 * once (the first problem per field, in the shared sentences of contracts/messages.ts), with a one-line
 * summary that names fields the way a person does.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationError(result.error);
}

export function validationError(error: z.ZodError): AppError {
  const { message, fields } = validationFields(error.issues);
  return new AppError(400, 'invalid_input', message, fields);
}
