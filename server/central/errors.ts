/**
 * An error the caller can act on: status, a stable code (the workstation reacts to some codes), and a
 * message for a person. Messages never contain patient data or secrets.
 */
export class CentralError extends Error {
  override name = 'CentralError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new CentralError(404, 'not_found', `${what} was not found.`);

/**
 * A refusal the caller should simply retry after a pause (answered with Retry-After): central's database
 * connection was lost in the middle of a request. The push protocol is idempotent, so a retry of what may
 * have committed stores nothing twice.
 */
export class RetryableError extends CentralError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(503, code, message);
  }
}
