import { get, useFormContext } from 'react-hook-form';
import { TextField } from '../../../ui/Field';

/** The address a claim loop carries (street, city, state, ZIP or ZIP+4), as form values. */
export interface AddressValues {
  line1: string;
  line2?: string | null | undefined;
  city: string;
  state: string;
  postalCode: string;
}

export const emptyAddress: AddressValues = { line1: '', line2: '', city: '', state: '', postalCode: '' };

/** The stored address as form values (line 2 empty rather than null). */
export const addressValues = (a: AddressValues | null | undefined): AddressValues =>
  a ? { ...a, line2: a.line2 ?? '' } : { ...emptyAddress };

/** Form values back to the contract's address (an empty line 2 is left out). */
export const addressInput = (a: AddressValues) => ({ ...a, line2: a.line2?.trim() ? a.line2 : null });

const FIELDS = [
  { key: 'line1', label: 'Street address', width: 'bs-w-l' },
  { key: 'line2', label: 'Suite, unit (optional)', width: 'bs-w-m' },
  { key: 'city', label: 'City', width: 'bs-w-m' },
  { key: 'state', label: 'State', width: 'bs-w-xs' },
  { key: 'postalCode', label: 'ZIP code', width: 'bs-w-s' },
] as const;

/**
 * The address fields of the form around it (react-hook-form's FormProvider), under `prefix`
 * (`address`, `payToAddress`); each error sits under its field.
 */
export function AddressFields({ prefix, disabled, zipHint }: { prefix: string; disabled?: boolean; zipHint?: string }) {
  const {
    register,
    formState: { errors },
  } = useFormContext();
  return (
    <div className="cs-address">
      {FIELDS.map((f) => (
        <TextField
          key={f.key}
          label={f.label}
          fieldClassName={f.width}
          disabled={disabled}
          autoComplete="off"
          hint={f.key === 'postalCode' ? zipHint : undefined}
          error={(get(errors, `${prefix}.${f.key}`) as { message?: string } | undefined)?.message}
          {...register(`${prefix}.${f.key}`)}
        />
      ))}
    </div>
  );
}
