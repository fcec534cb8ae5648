import { and, eq } from 'drizzle-orm';
import { clinicInfoSchema, type ClinicInfo } from '../../../contracts/auth';
import type { UpdateClinicSettings } from '../../../contracts/admin';
import { clinicSettings } from '../../db/schema';
import type { Store, Writer } from '../../db/store';

export const CLINIC_INFO_KEY = 'clinic';

export function getClinicInfo(store: Store): ClinicInfo {
  const clinicId = store.requireClinicId();
  const row = store.orm
    .select()
    .from(clinicSettings)
    .where(and(eq(clinicSettings.clinicId, clinicId), eq(clinicSettings.key, CLINIC_INFO_KEY)))
    .get();
  if (!row) throw new Error('Clinic settings are missing.');
  return clinicInfoSchema.parse(JSON.parse(row.value));
}

/** Save the clinic's clock (12/24-hour) beside its name and zone; audited with before and after. */
export function updateClinicSettings(store: Store, w: Writer, patch: UpdateClinicSettings): ClinicInfo {
  const before = getClinicInfo(store);
  const after = clinicInfoSchema.parse({ ...before, ...patch });
  w.setClinicSetting(CLINIC_INFO_KEY, after);
  w.audit({
    action: 'settings.clinic_update',
    detail: { before: { timeFormat: before.timeFormat }, after: { timeFormat: after.timeFormat } },
  });
  return after;
}
