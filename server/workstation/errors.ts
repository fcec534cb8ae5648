/**
 * An error the person at the screen can act on. Services throw it; the HTTP layer turns it into
 * `{ error: { code, message, fields } }` with the status. Messages never contain patient data.
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
