import { and, eq } from 'drizzle-orm';
import {
  roleLabels,
  securitySettingsSchema,
  type Role,
  type SecuritySettings,
  type UpdateSecuritySettings,
} from '../../../contracts/admin';
import { hasPermission } from '../../../domain/admin/permission-matrix';
import { AppError } from '../../../platform/errors';
import { clinicSettings } from '../../db/schema';
import type { Store, Writer } from '../../db/store';

export const defaultSecuritySettings: SecuritySettings = {
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  idleTimeoutMinutes: 15,
  mfaRequiredRoles: ['admin'],
};

const KEY = 'security';

export function getSecuritySettings(store: Store): SecuritySettings {
  const clinicId = store.clinicId;
  if (!clinicId) return defaultSecuritySettings;
  const row = store.orm
    .select()
    .from(clinicSettings)
    .where(and(eq(clinicSettings.clinicId, clinicId), eq(clinicSettings.key, KEY)))
    .get();
  if (!row) return defaultSecuritySettings;
  return securitySettingsSchema.parse({ ...defaultSecuritySettings, ...JSON.parse(row.value) });
}

/** Save and audit (old and new values: they hold no patient data). */
export function updateSecuritySettings(
  store: Store,
  w: Writer,
  patch: UpdateSecuritySettings,
): SecuritySettings {
  const { confirmMfaOffForAdmin, ...changes } = patch;
  const before = getSecuritySettings(store);
  const after = securitySettingsSchema.parse({ ...before, ...changes });
  const adminMfaOff = before.mfaRequiredRoles.filter(
    (r) => !after.mfaRequiredRoles.includes(r) && holdsAdministration(r),
  );
  if (adminMfaOff.length && !confirmMfaOffForAdmin) {
    throw new AppError(
      409,
      'confirm_mfa_off',
      `Without MFA, ${adminMfaOff.map((r) => roleLabels[r]).join(' and ')} accounts sign in with a password alone, and they can change every account and setting. Confirm to turn it off.`,
    );
  }
  w.setClinicSetting(KEY, after);
  w.audit({
    action: 'settings.security_update',
    detail: {
      before,
      after,
      ...(adminMfaOff.length && { mfaOffForAdminRoles: adminMfaOff, confirmed: true }),
    },
  });
  return after;
}

/** Roles whose permissions include managing accounts or security settings. */
const holdsAdministration = (role: Role) =>
  hasPermission([role], 'users.manage') || hasPermission([role], 'security.manage');
