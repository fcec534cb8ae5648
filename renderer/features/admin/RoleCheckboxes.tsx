import type { UseFormRegisterReturn } from 'react-hook-form';
import { roleLabels, roles } from '../../../server/contracts/admin/permissions';
import { Checkbox, Fieldset } from '../../ui/Field';

/** One checkbox per role, all registered under the same name so the form gets an array of roles. */
export function RoleCheckboxes({
  registration,
  error,
}: {
  registration: UseFormRegisterReturn;
  error?: string | undefined;
}) {
  return (
    <Fieldset legend="Roles" error={error} className="checkbox-row">
      {roles.map((role) => (
        <Checkbox key={role} label={roleLabels[role]} value={role} {...registration} />
      ))}
    </Fieldset>
  );
}
