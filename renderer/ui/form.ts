import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from '../api/client';

/**
 * Put the server's field errors next to their fields. `aliases` maps server field paths to form field names
 * where they differ (the setup form is flat, the request nests `admin.password`). Returns true when at
 * least one field error was placed; the first such field gets focus.
 */
export function applyFieldErrors<T extends FieldValues>(
  err: unknown,
  setError: UseFormSetError<T>,
  known: readonly Path<T>[],
  aliases: Partial<Record<string, Path<T>>> = {},
): boolean {
  if (!(err instanceof ApiError)) return false;
  let placed = false;
  for (const [serverPath, message] of Object.entries(err.fields)) {
    const name =
      aliases[serverPath] ?? (known.includes(serverPath as Path<T>) ? (serverPath as Path<T>) : undefined);
    if (!name) continue;
    setError(name, { type: 'server', message }, { shouldFocus: !placed });
    placed = true;
  }
  return placed;
}

/**
 * The sentence for a form's alert. A 401 here means the session ended under the form; the lock screen is
 * opening, and the form keeps what was typed.
 */
export function formErrorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401)
      return 'Your session ended before this was saved. Unlock the screen, then save again — what you typed is still here.';
    return err.message;
  }
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong. Try again.';
}
