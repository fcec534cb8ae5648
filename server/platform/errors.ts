import crypto from 'node:crypto';

/**
 * An error the person at the screen (or the workstation calling central) can act on: an HTTP status, a
 * stable code (clients react to some codes), and a sentence for a person. Services of both servers throw
 * it; the shared error handler turns it into `{ error: { code, message, fields } }`. Messages never
 * contain patient data or secrets.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found.`);

export const fieldError = (field: string, message: string) =>
  new AppError(400, 'invalid_input', message, { [field]: message });

/** A short reference the user can quote to IT; the details stay in the log. */
export const errorRef = () => crypto.randomBytes(4).toString('hex');
