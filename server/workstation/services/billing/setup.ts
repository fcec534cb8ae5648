import { and, asc, eq, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type {
  appointmentTypeCodesUpdateSchema,
  FeeEntry,
  feeEntryCreateSchema,
  feeEntryQuerySchema,
  feeEntryUpdateSchema,
  PosRule,
  posRuleCreateSchema,
  posRuleUpdateSchema,
  ServiceCode,
  serviceCodeCreateSchema,
  serviceCodeUpdateSchema,
} from '../../../contracts/billing/setup';
import { encounterModalities } from '../../../contracts/billing/setup';
import { resolveFee, type FeeRate } from '../../../domain/billing/fees';
import { DEFAULT_PLACE_OF_SERVICE, type PosRule as DomainPosRule } from '../../../domain/billing/place-of-service';
import { AppError, fieldError, notFound } from '../../../platform/errors';
import {
  appointmentTypes,
  appointmentTypeServiceCodes,
  feeScheduleEntries,
  patients,
  placeOfServiceRules,
  serviceCodes,
  users,
} from '../../db/schema';
import { liveRow } from '../../db/live-row';
import type { Actor, Store } from '../../db/store';
import { resolvePatient } from '../patients/patient-core';
import { getClinicInfo } from '../settings/clinic-info';
import { DateTime } from 'luxon';

/**
 * Billing set-up (docs/billing.md "Codes, fees and place of service"): the clinic's service codes, its fee
 * schedule, place-of-service rules per payer, and the default codes of each appointment type. Every change
 * is audited as `billing.setup_update` with what changed (codes, amounts and ids; a patient override names
 * its patient in the entry's patient column).
 */

type Out<T extends z.ZodType> = z.output<T>;
export type ServiceCodeRow = typeof serviceCodes.$inferSelect;

export const clinicToday = (store: Store): string =>
  DateTime.fromJSDate(store.now(), { zone: getClinicInfo(store).timeZone }).toISODate()!;

// ---- service codes ----------------------------------------------------------------------------------------------

export function serviceCodeRow(store: Store, id: string, field = 'serviceCodeId'): ServiceCodeRow {
  const row = store.orm
    .select()
    .from(serviceCodes)
    .where(and(eq(serviceCodes.id, id), liveRow(serviceCodes, store.requireClinicId())))
    .get();
  if (!row) throw fieldError(field, 'Choose a service code from the list.');
  return row;
}

/** Every live fee rate of the clinic (the schedule is small: codes × a few overrides). */
export function feeRates(store: Store, codeIds?: readonly string[]): FeeRate[] {
  const where = codeIds
    ? and(liveRow(feeScheduleEntries, store.requireClinicId()), inArray(feeScheduleEntries.serviceCodeId, [...codeIds]))
    : liveRow(feeScheduleEntries, store.requireClinicId());
  return store.orm.select().from(feeScheduleEntries).where(where).all();
}

export function listServiceCodes(store: Store): ServiceCode[] {
  const rows = store.orm
    .select()
    .from(serviceCodes)
    .where(liveRow(serviceCodes, store.requireClinicId()))
    .orderBy(asc(serviceCodes.code))
    .all();
  const rates = feeRates(store);
  const today = clinicToday(store);
  return rows.map((r) => toServiceCode(r, rates, today));
}

function toServiceCode(r: ServiceCodeRow, rates: FeeRate[], today: string): ServiceCode {
  const practice = resolveFee(
    rates.filter((x) => x.scope === 'practice'),
    { serviceCodeId: r.id, providerUserId: null, patientId: null, dateOfService: today },
  );
  return {
    id: r.id,
    code: r.code,
    description: r.description,
    defaultUnits: r.defaultUnits,
    defaultMinutes: r.defaultMinutes,
    active: r.active,
    practiceFeeCents: practice?.unitFeeCents ?? null,
    updatedAt: r.updatedAt,
  };
}

export function createServiceCode(
  store: Store,
  actor: Actor,
  input: Out<typeof serviceCodeCreateSchema>,
): ServiceCode {
  const clash = store.orm
    .select({ id: serviceCodes.id })
    .from(serviceCodes)
    .where(and(liveRow(serviceCodes, store.requireClinicId()), eq(serviceCodes.code, input.code)))
    .get();
  if (clash) {
    const message = `The code ${input.code} is already set up. Edit it instead.`;
    throw new AppError(409, 'duplicate_code', message, { code: message });
  }
  const now = store.nowIso();
  const id = uuidv7();
  store.write(actor, (w) => {
    w.insert('service_codes', {
      id,
      clinicId: store.requireClinicId(),
      code: input.code,
      description: input.description,
      defaultUnits: input.defaultUnits,
      defaultMinutes: input.defaultMinutes,
      active: input.active,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    w.audit({ action: 'billing.setup_update', detail: { serviceCodeId: id, code: input.code, created: true } });
  });
  return toServiceCode(serviceCodeRow(store, id), feeRates(store, [id]), clinicToday(store));
}

export function updateServiceCode(
  store: Store,
  actor: Actor,
  id: string,
  patch: Out<typeof serviceCodeUpdateSchema>,
): ServiceCode {
  const row = store.orm
    .select()
    .from(serviceCodes)
    .where(and(eq(serviceCodes.id, id), liveRow(serviceCodes, store.requireClinicId())))
    .get();
  if (!row) throw notFound('That service code');
  store.write(actor, (w) => {
    w.update('service_codes', id, { ...patch, updatedAt: store.nowIso() });
    w.audit({
      action: 'billing.setup_update',
      detail: { serviceCodeId: id, code: row.code, fields: Object.keys(patch) },
    });
  });
  return toServiceCode(serviceCodeRow(store, id), feeRates(store, [id]), clinicToday(store));
}

// ---- fee schedule -----------------------------------------------------------------------------------------------

type FeeRow = typeof feeScheduleEntries.$inferSelect;

export function listFeeEntries(store: Store, actor: Actor, query: Out<typeof feeEntryQuerySchema>): FeeEntry[] {
  const clinicId = store.requireClinicId();
  const conditions = [liveRow(feeScheduleEntries, clinicId)];
  if (query.serviceCodeId) conditions.push(eq(feeScheduleEntries.serviceCodeId, query.serviceCodeId));
  if (query.patientId) conditions.push(eq(feeScheduleEntries.patientId, query.patientId));
  const rows = store.orm
    .select()
    .from(feeScheduleEntries)
    .where(and(...conditions))
    .all();
  const entries = toFeeEntries(store, rows);
  const shownPatients = [...new Set(rows.map((r) => r.patientId).filter((p): p is string => !!p))];
  if (shownPatients.length) {
    // Sliding-scale rates say something about a patient's means: each patient shown is an audited read.
    store.write(actor, (w) => {
      for (const patientId of shownPatients)
        w.audit({ action: 'patient.read', patientId, detail: { view: 'fee_schedule_override' } });
    });
  }
  return entries;
}

function toFeeEntries(store: Store, rows: FeeRow[]): FeeEntry[] {
  if (!rows.length) return [];
  const codes = new Map(
    store.orm
      .select({ id: serviceCodes.id, code: serviceCodes.code })
      .from(serviceCodes)
      .where(inArray(serviceCodes.id, [...new Set(rows.map((r) => r.serviceCodeId))]))
      .all()
      .map((c) => [c.id, c.code]),
  );
  const userIds = [...new Set(rows.map((r) => r.providerUserId).filter((x): x is string => !!x))];
  const names = new Map(
    userIds.length
      ? store.orm
          .select({ id: users.id, fullName: users.fullName })
          .from(users)
          .where(inArray(users.id, userIds))
          .all()
          .map((u) => [u.id, u.fullName])
      : [],
  );
  const patientIds = [...new Set(rows.map((r) => r.patientId).filter((x): x is string => !!x))];
  const labels = new Map(
    patientIds.length
      ? store.orm
          .select({
            id: patients.id,
            first: patients.legalFirstName,
            last: patients.legalLastName,
            mrn: patients.mrn,
          })
          .from(patients)
          .where(inArray(patients.id, patientIds))
          .all()
          .map((p) => [p.id, `${p.last}, ${p.first} (MRN ${p.mrn})`])
      : [],
  );
  const order = { practice: 0, provider: 1, patient: 2 } as const;
  return rows
    .map((r) => ({
      id: r.id,
      serviceCodeId: r.serviceCodeId,
      code: codes.get(r.serviceCodeId) ?? '?',
      scope: r.scope,
      providerUserId: r.providerUserId,
      providerName: r.providerUserId ? (names.get(r.providerUserId) ?? 'Unknown user') : null,
      patientId: r.patientId,
      patientLabel: r.patientId ? (labels.get(r.patientId) ?? 'Unknown patient') : null,
      amountCents: r.amountCents,
      effectiveFrom: r.effectiveFrom,
      endsOn: r.endsOn,
      note: r.note,
      updatedAt: r.updatedAt,
    }))
    .sort(
      (a, b) =>
        a.code.localeCompare(b.code) ||
        order[a.scope] - order[b.scope] ||
        (a.effectiveFrom ?? '').localeCompare(b.effectiveFrom ?? ''),
    );
}

function feeRow(store: Store, id: string): FeeRow {
  const row = store.orm
    .select()
    .from(feeScheduleEntries)
    .where(and(eq(feeScheduleEntries.id, id), liveRow(feeScheduleEntries, store.requireClinicId())))
    .get();
  if (!row) throw notFound('That fee');
  return row;
}

/** Two rates of one scope and target may not be in effect on the same day: say which to end first. */
function checkOverlap(store: Store, r: Pick<FeeRow, 'id' | 'serviceCodeId' | 'scope' | 'providerUserId' | 'patientId' | 'effectiveFrom' | 'endsOn'>) {
  const same = feeRates(store, [r.serviceCodeId]).filter(
    (o) =>
      o.id !== r.id &&
      o.scope === r.scope &&
      o.providerUserId === r.providerUserId &&
      o.patientId === r.patientId &&
      (o.effectiveFrom ?? '') === (r.effectiveFrom ?? ''),
  );
  if (same.length) {
    const message =
      'This code already has a rate for the same provider or patient starting that day. Edit that rate, or give this one a different start date.';
    throw new AppError(409, 'fee_exists', message, { effectiveFrom: message });
  }
}

export function createFeeEntry(store: Store, actor: Actor, input: Out<typeof feeEntryCreateSchema>): FeeEntry {
  const code = serviceCodeRow(store, input.serviceCodeId);
  const providerUserId = input.scope === 'provider' ? input.providerUserId : null;
  const patientId = input.scope === 'patient' ? input.patientId : null;
  if (providerUserId) {
    const u = store.orm
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, providerUserId), liveRow(users, store.requireClinicId())))
      .get();
    if (!u) throw fieldError('providerUserId', 'Choose a provider from the list.');
  }
  if (patientId && !resolvePatient(store, patientId)) throw fieldError('patientId', 'Choose a patient.');
  const now = store.nowIso();
  const row = {
    id: uuidv7(),
    clinicId: store.requireClinicId(),
    serviceCodeId: code.id,
    scope: input.scope,
    providerUserId,
    patientId,
    amountCents: input.amountCents,
    effectiveFrom: input.effectiveFrom,
    endsOn: input.endsOn,
    note: input.note,
    createdBy: actor.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  checkOverlap(store, row);
  store.write(actor, (w) => {
    w.insert('fee_schedule_entries', row);
    w.audit({
      action: 'billing.setup_update',
      patientId,
      detail: { feeEntryId: row.id, code: code.code, scope: row.scope, amountCents: row.amountCents, created: true },
    });
  });
  return toFeeEntries(store, [feeRow(store, row.id)])[0]!;
}

export function updateFeeEntry(
  store: Store,
  actor: Actor,
  id: string,
  patch: Out<typeof feeEntryUpdateSchema>,
): FeeEntry {
  const before = feeRow(store, id);
  const after = { ...before, ...patch };
  if (after.scope === 'patient' && !after.endsOn)
    throw fieldError('endsOn', 'A sliding-scale rate needs an end date, so it is reviewed again.');
  if (after.effectiveFrom && after.endsOn && after.endsOn < after.effectiveFrom)
    throw fieldError('endsOn', 'The end date comes before the start date.');
  checkOverlap(store, after);
  store.write(actor, (w) => {
    w.update('fee_schedule_entries', id, { ...patch, updatedAt: store.nowIso() });
    w.audit({
      action: 'billing.setup_update',
      patientId: before.patientId,
      detail: {
        feeEntryId: id,
        fields: Object.keys(patch),
        ...(patch.amountCents !== undefined && { amountCentsBefore: before.amountCents, amountCents: patch.amountCents }),
      },
    });
  });
  return toFeeEntries(store, [feeRow(store, id)])[0]!;
}

export function removeFeeEntry(store: Store, actor: Actor, id: string): void {
  const before = feeRow(store, id);
  const now = store.nowIso();
  store.write(actor, (w) => {
    w.update('fee_schedule_entries', id, { deletedAt: now, updatedAt: now });
    w.audit({
      action: 'billing.setup_update',
      patientId: before.patientId,
      detail: { feeEntryId: id, removed: true, amountCents: before.amountCents },
    });
  });
}

// ---- place-of-service rules ---------------------------------------------------------------------------------------

type PosRow = typeof placeOfServiceRules.$inferSelect;
const toPosRule = (r: PosRow): PosRule => ({
  id: r.id,
  payerId: r.payerId,
  modality: r.modality,
  placeOfService: r.placeOfService,
  modifiers: JSON.parse(r.modifiers) as string[],
  updatedAt: r.updatedAt,
});

export function posRules(store: Store): DomainPosRule[] {
  return listPosRuleRows(store).map(toPosRule);
}

function listPosRuleRows(store: Store): PosRow[] {
  return store.orm
    .select()
    .from(placeOfServiceRules)
    .where(liveRow(placeOfServiceRules, store.requireClinicId()))
    .all();
}

export function listPosRules(store: Store) {
  const modalityOrder = (m: string) => encounterModalities.indexOf(m as never);
  return {
    rules: listPosRuleRows(store)
      .map(toPosRule)
      .sort(
        (a, b) =>
          (a.payerId ?? '').localeCompare(b.payerId ?? '') || modalityOrder(a.modality) - modalityOrder(b.modality),
      ),
    defaults: encounterModalities.map((m) => ({
      modality: m,
      placeOfService: DEFAULT_PLACE_OF_SERVICE[m].placeOfService,
      modifiers: [...DEFAULT_PLACE_OF_SERVICE[m].modifiers],
    })),
  };
}

function posRow(store: Store, id: string): PosRow {
  const row = store.orm
    .select()
    .from(placeOfServiceRules)
    .where(and(eq(placeOfServiceRules.id, id), liveRow(placeOfServiceRules, store.requireClinicId())))
    .get();
  if (!row) throw notFound('That place-of-service rule');
  return row;
}

export function createPosRule(store: Store, actor: Actor, input: Out<typeof posRuleCreateSchema>): PosRule {
  const payer = input.payerId?.toUpperCase() ?? null;
  const clash = listPosRuleRows(store).find(
    (r) => r.modality === input.modality && (r.payerId?.toUpperCase() ?? null) === payer,
  );
  if (clash) {
    const message = 'There is already a rule for this payer and visit type. Edit it instead.';
    throw new AppError(409, 'rule_exists', message, { modality: message });
  }
  const now = store.nowIso();
  const id = uuidv7();
  store.write(actor, (w) => {
    w.insert('place_of_service_rules', {
      id,
      clinicId: store.requireClinicId(),
      payerId: payer,
      modality: input.modality,
      placeOfService: input.placeOfService,
      modifiers: JSON.stringify(input.modifiers),
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    w.audit({ action: 'billing.setup_update', detail: { posRuleId: id, ...input, payerId: payer, created: true } });
  });
  return toPosRule(posRow(store, id));
}

export function updatePosRule(store: Store, actor: Actor, id: string, patch: Out<typeof posRuleUpdateSchema>): PosRule {
  posRow(store, id);
  store.write(actor, (w) => {
    w.update('place_of_service_rules', id, {
      ...(patch.placeOfService !== undefined && { placeOfService: patch.placeOfService }),
      ...(patch.modifiers !== undefined && { modifiers: JSON.stringify(patch.modifiers) }),
      updatedAt: store.nowIso(),
    });
    w.audit({ action: 'billing.setup_update', detail: { posRuleId: id, ...patch } });
  });
  return toPosRule(posRow(store, id));
}

export function removePosRule(store: Store, actor: Actor, id: string): void {
  posRow(store, id);
  const now = store.nowIso();
  store.write(actor, (w) => {
    w.update('place_of_service_rules', id, { deletedAt: now, updatedAt: now });
    w.audit({ action: 'billing.setup_update', detail: { posRuleId: id, removed: true } });
  });
}

// ---- default codes per appointment type ---------------------------------------------------------------------------

export function typeDefaultCodes(store: Store, appointmentTypeId: string) {
  const rows = store.orm
    .select({
      serviceCodeId: appointmentTypeServiceCodes.serviceCodeId,
      units: appointmentTypeServiceCodes.units,
      code: serviceCodes.code,
      description: serviceCodes.description,
      active: serviceCodes.active,
      codeDeletedAt: serviceCodes.deletedAt,
    })
    .from(appointmentTypeServiceCodes)
    .innerJoin(serviceCodes, eq(serviceCodes.id, appointmentTypeServiceCodes.serviceCodeId))
    .where(
      and(
        liveRow(appointmentTypeServiceCodes, store.requireClinicId()),
        eq(appointmentTypeServiceCodes.appointmentTypeId, appointmentTypeId),
      ),
    )
    .orderBy(asc(appointmentTypeServiceCodes.position))
    .all();
  return rows.filter((r) => !r.codeDeletedAt);
}

export function listAppointmentTypeCodes(store: Store) {
  const types = store.orm
    .select({ id: appointmentTypes.id, name: appointmentTypes.name })
    .from(appointmentTypes)
    .where(liveRow(appointmentTypes, store.requireClinicId()))
    .orderBy(asc(appointmentTypes.name))
    .all();
  return {
    types: types.map((t) => ({
      appointmentTypeId: t.id,
      appointmentTypeName: t.name,
      codes: typeDefaultCodes(store, t.id).map((c) => ({
        serviceCodeId: c.serviceCodeId,
        code: c.code,
        description: c.description,
        units: c.units,
      })),
    })),
  };
}

export function setAppointmentTypeCodes(
  store: Store,
  actor: Actor,
  appointmentTypeId: string,
  input: Out<typeof appointmentTypeCodesUpdateSchema>,
) {
  const type = store.orm
    .select({ id: appointmentTypes.id })
    .from(appointmentTypes)
    .where(and(eq(appointmentTypes.id, appointmentTypeId), liveRow(appointmentTypes, store.requireClinicId())))
    .get();
  if (!type) throw notFound('That appointment type');
  input.codes.forEach((c, i) => serviceCodeRow(store, c.serviceCodeId, `codes.${i}.serviceCodeId`));
  const existing = store.orm
    .select()
    .from(appointmentTypeServiceCodes)
    .where(
      and(
        liveRow(appointmentTypeServiceCodes, store.requireClinicId()),
        eq(appointmentTypeServiceCodes.appointmentTypeId, appointmentTypeId),
      ),
    )
    .all();
  const now = store.nowIso();
  store.write(actor, (w) => {
    for (const row of existing) w.update('appointment_type_service_codes', row.id, { deletedAt: now, updatedAt: now });
    input.codes.forEach((c, i) =>
      w.insert('appointment_type_service_codes', {
        id: uuidv7(),
        clinicId: store.requireClinicId(),
        appointmentTypeId,
        serviceCodeId: c.serviceCodeId,
        units: c.units,
        position: i,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      }),
    );
    w.audit({
      action: 'billing.setup_update',
      detail: { appointmentTypeId, serviceCodeIds: input.codes.map((c) => c.serviceCodeId) },
    });
  });
  return listAppointmentTypeCodes(store).types.find((t) => t.appointmentTypeId === appointmentTypeId)!;
}
