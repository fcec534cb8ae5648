import { roles } from '../../../contracts/admin/permissions';
import { permissionMatrix } from '../../../domain/admin/permission-matrix';
import type { Store } from '../../db/store';
import { setupChecklist } from '../../services/admin/setup-checklist';
import type { UserAdmin } from '../../services/admin/users';
import { getSecuritySettings, updateSecuritySettings } from '../../services/settings/security-settings';
import type { Handlers } from '../context';
import { getClinicInfo, updateClinicSettings } from '../../services/settings/clinic-info';

type AdminEndpoints =
  | 'listUsers'
  | 'createUser'
  | 'updateUser'
  | 'unlockUser'
  | 'resetPassword'
  | 'resetMfa'
  | 'roleMatrix'
  | 'getSecuritySettings'
  | 'updateSecuritySettings'
  | 'setupChecklist'
  | 'getClinicSettings'
  | 'updateClinicSettings';

export function adminHandlers(deps: { store: Store; users: UserAdmin }): Handlers<AdminEndpoints> {
  const { store, users } = deps;
  return {
    listUsers: () => ({ users: users.list() }),
    createUser: ({ body, signedIn }) => users.create(signedIn.actor, body),
    updateUser: ({ body, params, signedIn }) => users.update(signedIn.actor, params.id, body),
    unlockUser: ({ params, signedIn }) => users.unlock(signedIn.actor, params.id),
    resetPassword: ({ body, params, signedIn }) =>
      users.resetPassword(signedIn.actor, params.id, body.password),
    resetMfa: ({ params, signedIn }) => users.resetMfa(signedIn.actor, params.id),
    roleMatrix: () => {
      const mfaRoles = getSecuritySettings(store).mfaRequiredRoles;
      return {
        roles: roles.map((role) => ({
          role,
          permissions: [...permissionMatrix[role]],
          mfaRequired: mfaRoles.includes(role),
        })),
      };
    },
    getSecuritySettings: () => getSecuritySettings(store),
    setupChecklist: () => setupChecklist(store),
    getClinicSettings: () => getClinicInfo(store),
    updateClinicSettings: ({ body, signedIn }) =>
      store.write(signedIn.actor, (w) => updateClinicSettings(store, w, body)),
    updateSecuritySettings: ({ body, signedIn }) =>
      store.write(signedIn.actor, (w) => updateSecuritySettings(store, w, body)),
  };
}
