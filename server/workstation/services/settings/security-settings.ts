import { and, eq } from 'drizzle-orm';
import { securitySettingsSchema, type SecuritySettings } from '../../../contracts/admin';
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
  patch: Partial<SecuritySettings>,
): SecuritySettings {
  const before = getSecuritySettings(store);
  const after = securitySettingsSchema.parse({ ...before, ...patch });
  w.setClinicSetting(KEY, after);
  w.audit({ action: 'settings.security_update', detail: { before, after } });
  return after;
}
