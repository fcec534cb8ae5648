import { and, eq } from 'drizzle-orm';
import {
  CANCEL_WINDOW_KEY,
  DEFAULT_CANCEL_WINDOW_HOURS,
  readCancelWindow,
  readSelfBookingPolicy,
  SELF_BOOKING_KEY,
  type CancelWindow,
  type PortalSchedulingSettings,
  type SelfBookingPolicy,
  type VideoJoinWindow,
} from '../../../contracts/portal/self-booking';
import { JOIN_OPENS_KEY, readJoinOpensMinutes } from '../../../contracts/telehealth';
import { fieldError } from '../../../platform/errors';
import { appointmentTypes, clinicSettings, providerProfiles } from '../../db/schema';
import type { Store, Writer } from '../../db/store';

/**
 * The portal's scheduling settings (docs/portal.md, "Self-scheduling" and "Cancellation window"): which
 * appointment types patients may book online, with whom, how far ahead and with how much notice; and how
 * many hours before the start the portal stops taking cancellations; and how many minutes before the start
 * patients may join their video visit (`telehealth.join_opens_minutes`). Clinic settings (one key each), so
 * they are set offline like any setting and replicate; central reads them from the clinic's replica.
 */

function setting(store: Store, key: string): unknown {
  const row = store.orm
    .select()
    .from(clinicSettings)
    .where(and(eq(clinicSettings.clinicId, store.requireClinicId()), eq(clinicSettings.key, key)))
    .get();
  try {
    return row ? (JSON.parse(row.value) as unknown) : null;
  } catch {
    return null;
  }
}

export function getPortalSchedulingSettings(store: Store): PortalSchedulingSettings {
  return {
    selfBooking: readSelfBookingPolicy(setting(store, SELF_BOOKING_KEY)),
    cancelWindowHours: readCancelWindow(setting(store, CANCEL_WINDOW_KEY)) ?? DEFAULT_CANCEL_WINDOW_HOURS,
    videoJoinOpensMinutes: readJoinOpensMinutes(setting(store, JOIN_OPENS_KEY)),
  };
}

/** Every type and clinician named must exist here (a field error under the row otherwise). */
function checkNames(store: Store, policy: SelfBookingPolicy) {
  const clinicId = store.requireClinicId();
  policy.types.forEach((t, i) => {
    const type = store.orm
      .select({ id: appointmentTypes.id })
      .from(appointmentTypes)
      .where(and(eq(appointmentTypes.clinicId, clinicId), eq(appointmentTypes.id, t.appointmentTypeId)))
      .get();
    if (!type) throw fieldError(`types.${i}.appointmentTypeId`, 'This appointment type does not exist.');
    for (const id of t.providerIds) {
      const p = store.orm
        .select({ id: providerProfiles.id })
        .from(providerProfiles)
        .where(and(eq(providerProfiles.clinicId, clinicId), eq(providerProfiles.id, id)))
        .get();
      if (!p) throw fieldError(`types.${i}.providerIds`, 'One of these clinicians does not exist.');
    }
  });
}

/** Save and audit before and after (type and clinician ids only: no patient data). */
export function updateSelfBooking(
  store: Store,
  w: Writer,
  next: SelfBookingPolicy,
): PortalSchedulingSettings {
  checkNames(store, next);
  const before = getPortalSchedulingSettings(store).selfBooking;
  w.setClinicSetting(SELF_BOOKING_KEY, next);
  w.audit({ action: 'settings.self_booking_update', detail: { before, after: next } });
  return getPortalSchedulingSettings(store);
}

export function updateCancelWindow(store: Store, w: Writer, next: CancelWindow): PortalSchedulingSettings {
  const before = getPortalSchedulingSettings(store).cancelWindowHours;
  w.setClinicSetting(CANCEL_WINDOW_KEY, next);
  w.audit({ action: 'settings.cancel_window_update', detail: { before, after: next.hours } });
  return getPortalSchedulingSettings(store);
}

/** The video join window central reads (a JSON number, or null for central's default); audited. */
export function updateVideoJoinWindow(
  store: Store,
  w: Writer,
  next: VideoJoinWindow,
): PortalSchedulingSettings {
  const before = getPortalSchedulingSettings(store).videoJoinOpensMinutes;
  w.setClinicSetting(JOIN_OPENS_KEY, next.minutes);
  w.audit({ action: 'settings.video_join_window_update', detail: { before, after: next.minutes } });
  return getPortalSchedulingSettings(store);
}
