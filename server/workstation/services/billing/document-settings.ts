import { and, eq } from 'drizzle-orm';
import {
  billingDocumentSettingsSchema,
  type BillingDocumentSettings,
} from '../../../contracts/billing/documents';
import type { HowToPay, Letterhead } from '../../../domain/billing/documents';
import { clinicSettings } from '../../db/schema';
import type { Store, Writer } from '../../db/store';
import { getClinicInfo } from '../settings/clinic-info';

/**
 * What billing documents print about the clinic (address, phone, tax id, group NPI, how to pay, each
 * provider's license), kept in the clinic settings under one key so it replicates to every workstation.
 */

const KEY = 'billing_documents';

export const defaultDocumentSettings: BillingDocumentSettings = {
  addressLines: [],
  phone: '',
  email: '',
  taxId: '',
  npi: '',
  payInstructions: '',
  payableTo: '',
  dueDays: 30,
  providerLicenses: [],
};

export function getDocumentSettings(store: Store): BillingDocumentSettings {
  const clinicId = store.clinicId;
  if (!clinicId) return defaultDocumentSettings;
  const row = store.orm
    .select()
    .from(clinicSettings)
    .where(and(eq(clinicSettings.clinicId, clinicId), eq(clinicSettings.key, KEY)))
    .get();
  if (!row) return defaultDocumentSettings;
  const parsed = billingDocumentSettingsSchema.safeParse({
    ...defaultDocumentSettings,
    ...JSON.parse(row.value),
  });
  return parsed.success ? parsed.data : defaultDocumentSettings;
}

/** Save and audit (before and after: the settings hold no patient data). */
export function updateDocumentSettings(
  w: Writer,
  store: Store,
  next: BillingDocumentSettings,
): BillingDocumentSettings {
  const before = getDocumentSettings(store);
  w.setClinicSetting(KEY, next);
  w.audit({ action: 'settings.billing_documents_update', detail: { before, after: next } });
  return next;
}

export function letterheadOf(
  store: Store,
  settings = getDocumentSettings(store),
): Letterhead & { timeZone: string } {
  const clinic = getClinicInfo(store);
  return {
    name: clinic.name,
    timeZone: clinic.timeZone,
    addressLines: settings.addressLines.filter(Boolean),
    phone: settings.phone,
    email: settings.email,
    taxId: settings.taxId,
    npi: settings.npi,
  };
}

export function howToPayOf(store: Store, settings = getDocumentSettings(store)): HowToPay {
  const clinic = getClinicInfo(store);
  const instructions = settings.payInstructions
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return {
    instructions: instructions.length
      ? instructions
      : ['Pay at the front desk at your next visit, or call us to pay by card over the phone.'],
    payableTo: settings.payableTo || clinic.name,
    phone: settings.phone,
  };
}

export function licenseOf(settings: BillingDocumentSettings, userId: string): string {
  return settings.providerLicenses.find((l) => l.userId === userId)?.license ?? '';
}
