import { and, eq } from 'drizzle-orm';
import { clinicInfoSchema } from '../../../contracts/auth';
import { clinicSettings } from '../../db/schema';
import type { Store } from '../../db/store';

export const CLINIC_INFO_KEY = 'clinic';

export function getClinicInfo(store: Store): { name: string; timeZone: string } {
  const clinicId = store.requireClinicId();
  const row = store.orm
    .select()
    .from(clinicSettings)
    .where(and(eq(clinicSettings.clinicId, clinicId), eq(clinicSettings.key, CLINIC_INFO_KEY)))
    .get();
  if (!row) throw new Error('Clinic settings are missing.');
  return clinicInfoSchema.parse(JSON.parse(row.value));
}
