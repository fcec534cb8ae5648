import { useEffect, useState } from 'react';
import type { FieldValues, Path, UseFormReturn, UseFormSetError } from 'react-hook-form';
import { validationFields } from '../../server/contracts/messages';
import { ApiError } from '../api/client';

/**
 * The shared form layer. Every form is react-hook-form with a zod resolver over the endpoint's contract; the
 * server's 400 answer carries one sentence per field path (the same sentences the resolver produces, from
 * the shared error map in server/contracts/messages.ts), and this module puts each next to its field. A
 * banner is only for what has no field on screen, and it goes away as soon as the person changes anything.
 */

type Aliases<T extends FieldValues> = Partial<Record<string, Path<T>>>;
/** The form's field names, or a test for forms whose fields are nested lists (a treatment plan's tree). */
type Known<T extends FieldValues> = readonly Path<T>[] | ((serverPath: string) => boolean);

/** The form field a server field path belongs to: through an alias, or the same name. */
function formFieldFor<T extends FieldValues>(
  serverPath: string,
  known: Known<T>,
  aliases: Aliases<T>,
): Path<T> | undefined {
  const alias = aliases[serverPath];
  if (alias) return alias;
  const isKnown = typeof known === 'function' ? known(serverPath) : known.includes(serverPath as Path<T>);
  return isKnown ? (serverPath as Path<T>) : undefined;
}

/**
 * Put the server's field errors next to their fields. `known` lists the form's field names (dotted paths
 * like `hours.5.end` for arrays); `aliases` maps server paths to form names where they differ. Returns the
 * field errors that found no field (path -> sentence); the first placed field gets focus.
 */
export function placeFieldErrors<T extends FieldValues>(
  err: unknown,
  setError: UseFormSetError<T>,
  known: Known<T>,
  aliases: Aliases<T> = {},
): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const unplaced: Record<string, string> = {};
  let placed = false;
  for (const [serverPath, message] of Object.entries(err.fields)) {
    const name = formFieldFor(serverPath, known, aliases);
    if (!name) {
      unplaced[serverPath] = message;
      continue;
    }
    setError(name, { type: 'server', message }, { shouldFocus: !placed });
    placed = true;
  }
  return unplaced;
}

/** Put the server's field errors next to their fields; true when at least one was placed. */
export function applyFieldErrors<T extends FieldValues>(
  err: unknown,
  setError: UseFormSetError<T>,
  known: readonly Path<T>[],
  aliases: Aliases<T> = {},
): boolean {
  if (!(err instanceof ApiError)) return false;
  const unplaced = placeFieldErrors(err, setError, known, aliases);
  return Object.keys(unplaced).length < Object.keys(err.fields).length;
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

/**
 * What still needs a banner after the field errors were placed: nothing when every field error found its
 * field, a summary of the fields not on screen, or the error's own sentence when it is not about fields.
 */
export function bannerFor(err: unknown, unplaced: Record<string, string>): string | null {
  if (err instanceof ApiError && Object.keys(err.fields).length > 0 && err.status !== 401) {
    const rest = Object.entries(unplaced);
    if (rest.length === 0) return null;
    return validationFields(rest.map(([path, message]) => ({ path: path.split('.'), message }))).message;
  }
  return formErrorMessage(err);
}

/**
 * Server errors for one react-hook-form form: `report(err)` places field errors next to their fields and keeps
 * a banner only for the rest; the banner clears as soon as any field changes, so a stale error never sits
 * over a corrected form.
 */
export function useServerErrors<T extends FieldValues>(
  form: Pick<UseFormReturn<T>, 'setError' | 'watch'>,
  known: Known<T>,
  aliases: Aliases<T> = {},
) {
  const [banner, setBanner] = useState<string | null>(null);
  const { watch } = form;
  useEffect(() => {
    if (!banner) return;
    const subscription = watch(() => setBanner(null));
    return () => subscription.unsubscribe();
  }, [banner, watch]);
  return {
    banner,
    /** Show a banner that is not a server error (a warning computed by the screen). */
    setBanner,
    clear: () => setBanner(null),
    report: (err: unknown) => setBanner(bannerFor(err, placeFieldErrors(err, form.setError, known, aliases))),
  };
}
