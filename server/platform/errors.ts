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

/**
 * A refusal the caller should simply retry after a pause (answered 503 with Retry-After): the server lost
 * a resource it needs for a moment (central's database connection in the middle of a request). The
 * replication protocol is idempotent, so a retry of what may have committed stores nothing twice.
 */
export class RetryableError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(503, code, message);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found.`);

export const fieldError = (field: string, message: string) =>
  new AppError(400, 'invalid_input', message, { [field]: message });

/** A short reference the user can quote to IT; the details stay in the log. */
export const errorRef = () => crypto.randomBytes(4).toString('hex');
