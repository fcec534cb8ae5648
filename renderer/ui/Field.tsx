import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

/**
 * Labelled form controls. Every control has a visible label; the error sits right under its field and is
 * tied to it with aria-describedby and aria-invalid, so a screen reader reads it on focus.
 */

interface FieldShellProps {
  ids: FieldIds;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
  className?: string | undefined;
}

function FieldShell({
  ids: { id, hintId, errorId },
  label,
  hint,
  error,
  children,
  className,
}: FieldShellProps) {
  return (
    <div className={['field', error ? 'field-invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface FieldIds {
  id: string;
  hintId: string;
  errorId: string;
}

/** The ids a labelled control and its shell share, and the control's aria attributes for its hint and error. */
function useFieldWiring(hint: unknown, error: unknown, extraDescribedBy?: string) {
  const id = useId();
  const ids: FieldIds = { id, hintId: `${id}-hint`, errorId: `${id}-error` };
  const described = [extraDescribedBy, hint ? ids.hintId : null, error ? ids.errorId : null].filter(Boolean);
  const control = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described.length ? described.join(' ') : undefined,
  } as const;
  return { ids, control };
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  ref?: Ref<HTMLInputElement>;
  fieldClassName?: string;
}

export function TextField({ label, hint, error, ref, fieldClassName, className, ...input }: TextFieldProps) {
  const { ids, control } = useFieldWiring(hint, error, input['aria-describedby']);
  return (
    <FieldShell ids={ids} label={label} hint={hint} error={error} className={fieldClassName}>
      <input
        {...input}
        ref={ref}
        {...control}
        className={['input', className ?? ''].filter(Boolean).join(' ')}
      />
    </FieldShell>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  ref?: Ref<HTMLTextAreaElement>;
  fieldClassName?: string;
}

export function TextAreaField({
  label,
  hint,
  error,
  ref,
  fieldClassName,
  className,
  ...textarea
}: TextAreaFieldProps) {
  const { ids, control } = useFieldWiring(hint, error, textarea['aria-describedby']);
  return (
    <FieldShell ids={ids} label={label} hint={hint} error={error} className={fieldClassName}>
      <textarea
        rows={3}
        {...textarea}
        ref={ref}
        {...control}
        className={['input', className ?? ''].filter(Boolean).join(' ')}
      />
    </FieldShell>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  ref?: Ref<HTMLSelectElement>;
  fieldClassName?: string;
}

export function SelectField({
  label,
  hint,
  error,
  ref,
  fieldClassName,
  children,
  ...select
}: SelectFieldProps) {
  const { ids, control } = useFieldWiring(hint, error);
  return (
    <FieldShell ids={ids} label={label} hint={hint} error={error} className={fieldClassName}>
      <select {...select} ref={ref} {...control} className="input">
        {children}
      </select>
    </FieldShell>
  );
}

interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id'> {
  label: ReactNode;
  /** A sentence under the checkbox (a confirmation the form needs), tied to it like a field's error. */
  error?: string | undefined;
  ref?: Ref<HTMLInputElement>;
}

export function Checkbox({ label, error, ref, ...input }: CheckboxProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <>
      <div className={['checkbox', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
        <input
          {...input}
          ref={ref}
          id={id}
          type="checkbox"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : input['aria-describedby']}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </>
  );
}

interface FieldsetProps {
  legend: ReactNode;
  error?: string | undefined;
  children: ReactNode;
  className?: string;
}

/** A group of checkboxes or radios with one legend and one error for the group. */
export function Fieldset({ legend, error, children, className }: FieldsetProps) {
  const errorId = useId();
  return (
    <fieldset
      className={['fieldset', error ? 'field-invalid' : '', className ?? ''].filter(Boolean).join(' ')}
      aria-describedby={error ? errorId : undefined}
    >
      <legend className="field-label">{legend}</legend>
      {children}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
