import { and, asc, eq, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import {
  billingProviderInputSchema,
  clearinghouseSettingsSchema,
  payerInputSchema,
  renderingProviderInputSchema,
  type ClaimAddress,
  type ClearinghouseSettings,
} from '../../../contracts/claims/setup';
import { AppError } from '../../../platform/errors';
import {
  claimBillingProviders,
  claimPayers,
  claimRenderingProviders,
  clinicSettings,
  users,
} from '../../db/schema';
import type { Actor, Store } from '../../db/store';

/**
 * Claims set-up (docs/claims.md): payers, the billing provider (one per clinic), rendering providers' NPI and
 * taxonomy, and the clearinghouse ids for the envelope. Every write goes through `Store.write` and is audited.
 */

export const CLEARINGHOUSE_SETTING = 'claims.clearinghouse';

export type PayerRow = typeof claimPayers.$inferSelect;

export interface Payer {
  id: string;
  name: string;
  clearinghouseIds: { clearinghouse: string; payerId: string }[];
  claimFilingIndicator: string;
  claimEnrollment: PayerRow['claimEnrollment'];
  eraEnrollment: PayerRow['eraEnrollment'];
  timelyFilingDays: number | null;
  address: ClaimAddress | null;
}

export const toPayer = (r: PayerRow): Payer => ({
  id: r.id,
  name: r.name,
  clearinghouseIds: JSON.parse(r.clearinghouseIds) as Payer['clearinghouseIds'],
  claimFilingIndicator: r.claimFilingIndicator,
  claimEnrollment: r.claimEnrollment,
  eraEnrollment: r.eraEnrollment,
  timelyFilingDays: r.timelyFilingDays,
  address: r.address ? (JSON.parse(r.address) as ClaimAddress) : null,
});

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  throw new AppError(400, 'invalid_input', issue.message, { [field]: issue.message });
}

export function payerRows(store: Store): PayerRow[] {
  return store.orm
    .select()
    .from(claimPayers)
    .where(and(eq(claimPayers.clinicId, store.requireClinicId()), isNull(claimPayers.deletedAt)))
    .orderBy(asc(claimPayers.name))
    .all();
}

export const listPayers = (store: Store): Payer[] => payerRows(store).map(toPayer);

export function payerRow(store: Store, id: string): PayerRow {
  const row = payerRows(store).find((p) => p.id === id);
  if (!row) throw new AppError(404, 'not_found', 'That payer was not found.');
  return row;
}

/** The payer a coverage names: by the payer id (any clearinghouse's) and otherwise by name. */
export function payerForCoverage(store: Store, coverage: { payerId: string | null; payerName: string }): PayerRow | null {
  const rows = payerRows(store);
  const id = coverage.payerId?.trim().toUpperCase();
  const byId = id ? rows.find((p) => toPayer(p).clearinghouseIds.some((c) => c.payerId === id)) : undefined;
  return byId ?? rows.find((p) => p.name.trim().toLowerCase() === coverage.payerName.trim().toLowerCase()) ?? null;
}

function refuseDuplicateName(store: Store, name: string, exceptId?: string) {
  if (payerRows(store).some((p) => p.id !== exceptId && p.name.toLowerCase() === name.toLowerCase())) {
    const message = 'A payer with this name is already set up.';
    throw new AppError(409, 'duplicate', message, { name: message });
  }
}

export function createPayer(store: Store, actor: Actor, input: unknown): Payer {
  const p = parse(payerInputSchema, input);
  refuseDuplicateName(store, p.name);
  const now = store.nowIso();
  const id = uuidv7();
  store.write(actor, (w) => {
    w.insert('claim_payers', {
      id,
      clinicId: store.requireClinicId(),
      name: p.name,
      clearinghouseIds: JSON.stringify(p.clearinghouseIds),
      claimFilingIndicator: p.claimFilingIndicator,
      claimEnrollment: p.claimEnrollment,
      eraEnrollment: p.eraEnrollment,
      timelyFilingDays: p.timelyFilingDays,
      address: p.address ? JSON.stringify(p.address) : null,
      createdAt: now,
      updatedAt: now,
    });
    w.audit({ action: 'claims.setup_update', detail: { payerId: id, created: true } });
  });
  return toPayer(payerRow(store, id));
}

export function updatePayer(store: Store, actor: Actor, id: string, input: unknown): Payer {
  payerRow(store, id);
  const p = parse(payerInputSchema, input);
  refuseDuplicateName(store, p.name, id);
  store.write(actor, (w) => {
    w.update('claim_payers', id, {
      name: p.name,
      clearinghouseIds: JSON.stringify(p.clearinghouseIds),
      claimFilingIndicator: p.claimFilingIndicator,
      claimEnrollment: p.claimEnrollment,
      eraEnrollment: p.eraEnrollment,
      timelyFilingDays: p.timelyFilingDays,
      address: p.address ? JSON.stringify(p.address) : null,
      updatedAt: store.nowIso(),
    });
    w.audit({ action: 'claims.setup_update', detail: { payerId: id } });
  });
  return toPayer(payerRow(store, id));
}

export type BillingProviderRow = typeof claimBillingProviders.$inferSelect;

export interface BillingProvider {
  organizationName: string;
  npi: string;
  taxId: string;
  taxonomy: string;
  address: ClaimAddress;
  payToAddress: ClaimAddress | null;
  contactName: string;
  contactPhone: string;
}

export function billingProviderRow(store: Store): BillingProviderRow | null {
  return (
    store.orm
      .select()
      .from(claimBillingProviders)
      .where(and(eq(claimBillingProviders.clinicId, store.requireClinicId()), isNull(claimBillingProviders.deletedAt)))
      .orderBy(asc(claimBillingProviders.createdAt))
      .get() ?? null
  );
}

export function getBillingProvider(store: Store): BillingProvider | null {
  const r = billingProviderRow(store);
  if (!r) return null;
  return {
    organizationName: r.organizationName,
    npi: r.npi,
    taxId: r.taxId,
    taxonomy: r.taxonomy,
    address: JSON.parse(r.address) as ClaimAddress,
    payToAddress: r.payToAddress ? (JSON.parse(r.payToAddress) as ClaimAddress) : null,
    contactName: r.contactName,
    contactPhone: r.contactPhone,
  };
}

/** The clinic's one billing provider: created the first time, then updated. */
export function saveBillingProvider(store: Store, actor: Actor, input: unknown): BillingProvider {
  const b = parse(billingProviderInputSchema, input);
  const existing = billingProviderRow(store);
  const now = store.nowIso();
  const values = {
    organizationName: b.organizationName,
    npi: b.npi,
    taxId: b.taxId,
    taxonomy: b.taxonomy,
    address: JSON.stringify(b.address),
    payToAddress: b.payToAddress ? JSON.stringify(b.payToAddress) : null,
    contactName: b.contactName,
    contactPhone: b.contactPhone,
    updatedAt: now,
  };
  store.write(actor, (w) => {
    if (existing) w.update('claim_billing_providers', existing.id, values);
    else w.insert('claim_billing_providers', { id: uuidv7(), clinicId: store.requireClinicId(), createdAt: now, ...values });
    w.audit({ action: 'claims.setup_update', detail: { billingProvider: true } });
  });
  return getBillingProvider(store)!;
}

export interface RenderingProvider {
  userId: string;
  fullName: string;
  npi: string | null;
  taxonomy: string | null;
}

export function renderingProviderRow(store: Store, userId: string) {
  return (
    store.orm
      .select()
      .from(claimRenderingProviders)
      .where(
        and(
          eq(claimRenderingProviders.clinicId, store.requireClinicId()),
          eq(claimRenderingProviders.userId, userId),
          isNull(claimRenderingProviders.deletedAt),
        ),
      )
      .get() ?? null
  );
}

/** Every active staff member with their claim identifiers (null until set). */
export function listRenderingProviders(store: Store): RenderingProvider[] {
  const staff = store.orm
    .select({ id: users.id, fullName: users.fullName })
    .from(users)
    .where(and(eq(users.clinicId, store.requireClinicId()), isNull(users.deletedAt)))
    .orderBy(asc(users.fullName))
    .all();
  return staff.map((u) => {
    const r = renderingProviderRow(store, u.id);
    return { userId: u.id, fullName: u.fullName, npi: r?.npi ?? null, taxonomy: r?.taxonomy ?? null };
  });
}

export function saveRenderingProvider(store: Store, actor: Actor, userId: string, input: unknown): RenderingProvider {
  const p = parse(renderingProviderInputSchema, input);
  const user = store.orm.select().from(users).where(eq(users.id, userId)).get();
  if (!user || user.clinicId !== store.requireClinicId()) throw new AppError(404, 'not_found', 'That staff member was not found.');
  const existing = renderingProviderRow(store, userId);
  const now = store.nowIso();
  store.write(actor, (w) => {
    if (existing) w.update('claim_rendering_providers', existing.id, { npi: p.npi, taxonomy: p.taxonomy, updatedAt: now });
    else
      w.insert('claim_rendering_providers', {
        id: uuidv7(),
        clinicId: store.requireClinicId(),
        userId,
        npi: p.npi,
        taxonomy: p.taxonomy,
        createdAt: now,
        updatedAt: now,
      });
    w.audit({ action: 'claims.setup_update', detail: { renderingProviderUserId: userId } });
  });
  return { userId, fullName: user.fullName, npi: p.npi, taxonomy: p.taxonomy };
}

export function getClearinghouseSettings(store: Store): ClearinghouseSettings | null {
  const row = store.orm
    .select({ value: clinicSettings.value })
    .from(clinicSettings)
    .where(and(eq(clinicSettings.clinicId, store.requireClinicId()), eq(clinicSettings.key, CLEARINGHOUSE_SETTING)))
    .get();
  if (!row) return null;
  const parsed = clearinghouseSettingsSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : null;
}

export function saveClearinghouseSettings(store: Store, actor: Actor, input: unknown): ClearinghouseSettings {
  const s = parse(clearinghouseSettingsSchema, input);
  store.write(actor, (w) => {
    w.setClinicSetting(CLEARINGHOUSE_SETTING, s);
    w.audit({ action: 'claims.setup_update', detail: { clearinghouse: true } });
  });
  return s;
}
