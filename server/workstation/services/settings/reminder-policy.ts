import { and, eq } from 'drizzle-orm';
import {
  readReminderPolicy,
  REMINDER_POLICY_KEY,
  type ReminderPolicy,
  type ReminderSettings,
} from '../../../contracts/portal/reminders';
import { clinicSettings } from '../../db/schema';
import type { Store, Writer } from '../../db/store';

/**
 * The clinic's appointment-reminder policy (hours before, e-mail, text message), kept in the clinic
 * settings under one key so it replicates: central's reminder job reads it from the clinic's replica
 * (docs/portal.md, "Reminders"). Set here, offline or not, like every other clinic setting.
 */
export function getReminderSettings(store: Store): ReminderSettings {
  const clinicId = store.requireClinicId();
  const row = store.orm
    .select()
    .from(clinicSettings)
    .where(and(eq(clinicSettings.clinicId, clinicId), eq(clinicSettings.key, REMINDER_POLICY_KEY)))
    .get();
  let value: unknown = null;
  try {
    value = row ? JSON.parse(row.value) : null;
  } catch {
    value = null;
  }
  return { policy: readReminderPolicy(value) };
}

/** Save (times latest first) and audit before and after: the policy holds no patient data. */
export function updateReminderPolicy(store: Store, w: Writer, next: ReminderPolicy): ReminderSettings {
  const before = getReminderSettings(store).policy;
  const after = readReminderPolicy(next);
  w.setClinicSetting(REMINDER_POLICY_KEY, after);
  w.audit({ action: 'settings.reminders_update', detail: { before, after } });
  return { policy: after };
}
