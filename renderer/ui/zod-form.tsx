import type { BaseSyntheticEvent, FormHTMLAttributes, ReactNode } from 'react';
import { useForm, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { Alert } from './Alert';
import { useServerErrors } from './form';

/**
 * The boilerplate every small form repeated: react-hook-form with a zod resolver over the contract (or a
 * form schema built from it), the server's field errors placed under their fields by `useServerErrors`, and
 * a submit that clears the last banner, saves, and reports a refusal. Forms with unusual needs (a nested
 * plan, a booking that focuses the override on a conflict) still use the pieces directly.
 */
export function useZodForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  options: {
    defaultValues: z.input<S>;
    /** The form's field names, so a server error on one of them lands under it. */
    fields: readonly Path<z.input<S>>[];
    /** Server field paths that differ from the form's names (`'override.reason': 'reason'`). */
    aliases?: Partial<Record<string, Path<z.input<S>>>>;
    /** Save the valid values; a thrown error is placed on its fields or shown in the banner. */
    onValid: (values: z.output<S>) => Promise<unknown>;
  },
) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    // The resolver's generic types cannot follow a schema passed as a type parameter; the casts stop at
    // this line, callers get the schema's own input and output types.
    resolver: zodResolver(schema as never) as never,
    defaultValues: options.defaultValues as never,
  });
  const server = useServerErrors(form as UseFormReturn<z.input<S>>, options.fields, options.aliases);
  const submit = form.handleSubmit(async (values) => {
    server.clear();
    try {
      await options.onValid(values);
    } catch (err) {
      server.report(err);
    }
  });
  return { form, server, submit };
}

/** What <ZodForm> needs of a `useZodForm` result. */
export interface ZodFormHandle {
  server: { banner: string | null };
  submit: (event?: BaseSyntheticEvent) => Promise<void>;
}

/**
 * The <form> of a `useZodForm` form: no browser validation bubbles (the resolver's sentences sit under the
 * fields instead), Enter submits through react-hook-form, and the banner for what has no field comes first.
 */
export function ZodForm({
  form,
  children,
  className = 'form',
  ...rest
}: {
  form: ZodFormHandle;
  children: ReactNode;
} & Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit' | 'noValidate' | 'children'>) {
  return (
    <form {...rest} className={className} noValidate onSubmit={(e) => void form.submit(e)}>
      {form.server.banner ? <Alert tone="error">{form.server.banner}</Alert> : null}
      {children}
    </form>
  );
}
