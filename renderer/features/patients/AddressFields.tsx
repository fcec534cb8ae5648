import type { UseFormRegisterReturn } from 'react-hook-form';
import { TextField } from '../../ui/Field';

export interface AddressValues {
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
}
type AddressField = keyof AddressValues;

const fields: { name: AddressField; label: string; hint?: string }[] = [
  { name: 'addressLine1', label: 'Address' },
  { name: 'addressLine2', label: 'Address line 2' },
  { name: 'city', label: 'City' },
  { name: 'state', label: 'State', hint: 'Two letters, e.g. TX' },
  { name: 'postalCode', label: 'ZIP or postal code' },
];

/**
 * The street-address inputs, the same for the patient and for a guarantor; each form keeps its own
 * layout around them. `register` and `errorOf` come from the caller's react-hook-form.
 */
export function AddressFields({
  register,
  errorOf,
}: {
  register: (name: AddressField) => UseFormRegisterReturn;
  errorOf: (name: AddressField) => string | undefined;
}) {
  return (
    <>
      {fields.map((f) => (
        <TextField
          key={f.name}
          label={f.label}
          hint={f.hint}
          autoComplete="off"
          error={errorOf(f.name)}
          {...register(f.name)}
        />
      ))}
    </>
  );
}
