import { and, eq, sql } from 'drizzle-orm';
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
import { prepared } from '../../db/prepared';

export const defaultSecuritySettings: SecuritySettings = {
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  idleTimeoutMinutes: 15,
  mfaRequiredRoles: ['admin'],
};

const KEY = 'security';

/** The last stored text and what it parsed to, per database: every request reads the settings. */
const parsed = new WeakMap<Store, { value: string; settings: SecuritySettings }>();

export function getSecuritySettings(store: Store): SecuritySettings {
  const clinicId = store.clinicId;
  if (!clinicId) return defaultSecuritySettings;
  const row = prepared(store, 'clinic-setting', (orm) =>
    orm
      .select({ value: clinicSettings.value })
      .from(clinicSettings)
      .where(
        and(
          eq(clinicSettings.clinicId, sql.placeholder('clinicId')),
          eq(clinicSettings.key, sql.placeholder('key')),
        ),
      )
      .prepare(),
  ).get({ clinicId, key: KEY });
  if (!row) return defaultSecuritySettings;
  const known = parsed.get(store);
  if (known?.value === row.value) return known.settings;
  const settings = Object.freeze(
    securitySettingsSchema.parse({ ...defaultSecuritySettings, ...JSON.parse(row.value) }),
  ) as SecuritySettings;
  parsed.set(store, { value: row.value, settings });
  return settings;
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
