import { and, asc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type {
  ChargeLine,
  chargeLineCreateSchema,
  chargeLineUpdateSchema,
  VisitCharges,
} from '../../../contracts/billing/charges';
import type { EncounterModality } from '../../../contracts/billing/setup';
import { lineAmountCents, mergeModifiers, pointerProblems, resolveFee, sumCents } from '../../../domain/billing/fees';
import { placeOfService, type PlaceOfService } from '../../../domain/billing/place-of-service';
import { AppError, fieldError, notFound } from '../../../platform/errors';
import { appointments, chargeLines, encounters, users } from '../../db/schema';
import { liveRow } from '../../db/live-row';
import type { Actor, Store, Writer } from '../../db/store';
import { parseDiagnoses, visitEncounterRow, type EncounterRow } from '../clinical/encounters';
import { coverageStatus } from '../patients/coverage';
import { patientForRead } from '../patients/patient-core';
import { postCharges, reverseCharge } from './ledger-bridge';
import { feeRates, posRules, serviceCodeRow, typeDefaultCodes } from './setup';

/**
 * A visit's charge lines (docs/billing.md "Charges from visits"). Lines are proposed from the appointment
 * type's default codes when the visit's encounter opens (check-in or "Start visit") and again at checkout if
 * there are none; they are drafts, editable, until the visit is closed. Closing posts every draft line as a
 * `charge` ledger entry in the same transaction; after that a line is corrected only by reversing it and
 * adding a new one (which posts at once, the visit being closed).
 */

type LineRow = typeof chargeLines.$inferSelect;
type SignedActor = Actor & { userId: string };

function encounterRow(store: Store, id: string): EncounterRow {
  const row = store.orm
    .select()
    .from(encounters)
    .where(and(eq(encounters.id, id), liveRow(encounters, store.requireClinicId())))
    .get();
  if (!row) throw notFound('That visit');
  return row;
}

function liveLines(store: Store, encounterId: string): LineRow[] {
  return store.orm
    .select()
    .from(chargeLines)
    .where(and(eq(chargeLines.encounterId, encounterId), liveRow(chargeLines, store.requireClinicId())))
    .orderBy(asc(chargeLines.position), asc(chargeLines.createdAt))
    .all();
}

function lineRow(store: Store, encounterId: string, lineId: string): LineRow {
  const row = liveLines(store, encounterId).find((l) => l.id === lineId);
  if (!row) throw notFound('That charge line');
  return row;
}

/** The primary payer in effect on the visit date (its id decides the place-of-service rule), or null. */
function primaryPayerId(store: Store, enc: EncounterRow): string | null {
  const status = coverageStatus(store, enc.patientId, enc.dateOfService);
  return status.active[0]?.payerId ?? null;
}

function posFor(store: Store, enc: EncounterRow, modality: EncounterModality = enc.modality): PlaceOfService {
  return placeOfService(modality, primaryPayerId(store, enc), posRules(store));
}

function toLine(r: LineRow, name: (id: string) => string): ChargeLine {
  return {
    id: r.id,
    encounterId: r.encounterId,
    patientId: r.patientId,
    serviceCodeId: r.serviceCodeId,
    code: r.code,
    description: r.description,
    units: r.units,
    modifiers: JSON.parse(r.modifiers) as string[],
    diagnosisPointers: JSON.parse(r.diagnosisPointers) as number[],
    renderingProviderUserId: r.renderingProviderUserId,
    renderingProviderName: name(r.renderingProviderUserId),
    dateOfService: r.dateOfService,
    placeOfService: r.placeOfService,
    unitFeeCents: r.unitFeeCents,
    amountCents: r.amountCents,
    status: r.status,
    ledgerEntryId: r.ledgerEntryId,
    feeSource: r.feeSource,
    position: r.position,
  };
}

function namer(store: Store, ids: string[]): (id: string) => string {
  const map = new Map(
    [...new Set(ids)].map((id) => [
      id,
      store.orm.select({ n: users.fullName }).from(users).where(eq(users.id, id)).get()?.n ?? 'Unknown user',
    ]),
  );
  return (id) => map.get(id) ?? 'Unknown user';
}

function visitCharges(store: Store, enc: EncounterRow): VisitCharges {
  const rows = liveLines(store, enc.id);
  const name = namer(store, rows.map((r) => r.renderingProviderUserId));
  const pos = posFor(store, enc);
  const lines = rows.map((r) => toLine(r, name));
  return {
    encounterId: enc.id,
    patientId: enc.patientId,
    dateOfService: enc.dateOfService,
    modality: enc.modality,
    closedAt: enc.closedAt,
    diagnoses: parseDiagnoses(enc),
    lines,
    totalCents: sumCents(lines.filter((l) => l.status !== 'reversed').map((l) => l.amountCents)),
    placeOfService: pos.placeOfService,
    posModifiers: pos.modifiers,
  };
}

/** Read a visit's charges (audited: the lines carry diagnoses pointers and services of a patient). */
export function getVisitCharges(store: Store, actor: SignedActor, encounterId: string): VisitCharges {
  const enc = encounterRow(store, encounterId);
  patientForRead(store, actor, enc.patientId);
  store.audit(actor, { action: 'charges.read', patientId: enc.patientId, detail: { encounterId } });
  return visitCharges(store, enc);
}

/** The charges of an appointment's visit (checkout finds the visit by its appointment). */
export function getAppointmentCharges(store: Store, actor: SignedActor, appointmentId: string): VisitCharges {
  const enc = visitEncounterRow(store, appointmentId);
  if (!enc) throw notFound('This appointment’s visit (it opens at check-in)');
  return getVisitCharges(store, actor, enc.id);
}

interface NewLine {
  serviceCodeId: string;
  units?: number | undefined;
  modifiers?: string[] | undefined;
  diagnosisPointers?: number[] | undefined;
  renderingProviderUserId?: string | undefined;
  dateOfService?: string | undefined;
  placeOfService?: string | undefined;
  unitFeeCents?: number | undefined;
}

/** Build a line row from the schedule and the visit; `field` prefixes field errors. */
function buildLine(store: Store, enc: EncounterRow, input: NewLine, position: number, actor: Actor, field = 'serviceCodeId'): LineRow {
  const code = serviceCodeRow(store, input.serviceCodeId, field);
  if (!code.active) throw fieldError(field, `The code ${code.code} is no longer active. Choose another code.`);
  const provider = input.renderingProviderUserId ?? enc.providerUserId;
  const date = input.dateOfService ?? enc.dateOfService;
  const pos = posFor(store, enc);
  const units = input.units ?? code.defaultUnits;
  let unitFeeCents: number;
  let feeSource: LineRow['feeSource'];
  if (input.unitFeeCents !== undefined) {
    unitFeeCents = input.unitFeeCents;
    feeSource = 'manual';
  } else {
    const fee = resolveFee(feeRates(store, [code.id]), {
      serviceCodeId: code.id,
      providerUserId: provider,
      patientId: enc.patientId,
      dateOfService: date,
    });
    unitFeeCents = fee?.unitFeeCents ?? 0;
    feeSource = fee?.source ?? 'none';
  }
  const now = store.nowIso();
  return {
    id: uuidv7(),
    clinicId: store.requireClinicId(),
    encounterId: enc.id,
    patientId: enc.patientId,
    serviceCodeId: code.id,
    code: code.code,
    description: code.description,
    units,
    modifiers: JSON.stringify(input.modifiers ?? mergeModifiers([], pos.modifiers)),
    diagnosisPointers: JSON.stringify(input.diagnosisPointers ?? [1]),
    renderingProviderUserId: provider,
    dateOfService: date,
    placeOfService: input.placeOfService ?? pos.placeOfService,
    unitFeeCents,
    amountCents: lineAmountCents(unitFeeCents, units),
    feeSource,
    status: 'draft',
    ledgerEntryId: null,
    position,
    createdBy: actor.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
}

/**
 * Inside the caller's write: propose draft lines from the visit's appointment type when the visit has no
 * lines yet and is open. Answers how many lines it added (0 when the type lists no codes).
 */
export function proposeChargeLines(w: Writer, store: Store, encounterId: string): number {
  const enc = encounterRow(store, encounterId);
  if (enc.closedAt || !enc.appointmentId) return 0;
  if (liveLines(store, enc.id).length) return 0;
  const appt = store.orm.select().from(appointments).where(eq(appointments.id, enc.appointmentId)).get();
  if (!appt) return 0;
  const defaults = typeDefaultCodes(store, appt.appointmentTypeId).filter((d) => d.active);
  defaults.forEach((d, i) => {
    w.insert('charge_lines', buildLine(store, enc, { serviceCodeId: d.serviceCodeId, units: d.units }, i, w.actor));
  });
  if (defaults.length)
    w.audit({
      action: 'charges.update',
      patientId: enc.patientId,
      detail: { encounterId: enc.id, proposed: defaults.length, appointmentTypeId: appt.appointmentTypeId },
    });
  return defaults.length;
}

/** "Propose from the appointment type" on the panel (and what checkout does when a visit has no lines). */
export function proposeForVisit(store: Store, actor: SignedActor, encounterId: string): VisitCharges {
  const enc = encounterRow(store, encounterId);
  patientForRead(store, actor, enc.patientId);
  refuseClosed(enc);
  store.write(actor, (w) => proposeChargeLines(w, store, encounterId));
  return visitCharges(store, encounterRow(store, encounterId));
}

function refuseClosed(enc: EncounterRow): void {
  if (enc.closedAt)
    throw new AppError(
      409,
      'visit_closed',
      'This visit is closed and its charges are posted. Reverse a charge to correct it, then add the right line.',
    );
}

function checkPointers(enc: EncounterRow, pointers: number[] | undefined, field = 'diagnosisPointers'): void {
  if (!pointers) return;
  const diagnoses = parseDiagnoses(enc).length;
  if (!diagnoses) return; // checked again when the visit closes, once the clinician has coded it
  const problems = pointerProblems(pointers, diagnoses);
  if (problems.length) throw fieldError(field, problems[0]!);
}

export function addChargeLine(
  store: Store,
  actor: SignedActor,
  encounterId: string,
  input: z.output<typeof chargeLineCreateSchema>,
): VisitCharges {
  const enc = encounterRow(store, encounterId);
  patientForRead(store, actor, enc.patientId);
  checkPointers(enc, input.diagnosisPointers);
  const lines = liveLines(store, enc.id);
  const row = buildLine(store, enc, input, (lines.at(-1)?.position ?? -1) + 1, actor);
  store.write(actor, (w) => {
    if (enc.closedAt) {
      // A late or corrected line on a closed visit posts at once: there is no draft state to come back to.
      checkPointersForClose(enc, [row]);
      const ids = postCharges(store, actor, [chargeToPost(enc, row)]);
      w.insert('charge_lines', { ...row, status: 'posted', ledgerEntryId: ids.get(row.id) ?? null });
    } else {
      w.insert('charge_lines', row);
    }
    w.audit({
      action: 'charges.update',
      patientId: enc.patientId,
      detail: { encounterId, lineId: row.id, added: true, code: row.code, amountCents: row.amountCents, posted: !!enc.closedAt },
    });
  });
  return visitCharges(store, encounterRow(store, encounterId));
}

export function updateChargeLine(
  store: Store,
  actor: SignedActor,
  encounterId: string,
  lineId: string,
  patch: z.output<typeof chargeLineUpdateSchema>,
): VisitCharges {
  const enc = encounterRow(store, encounterId);
  patientForRead(store, actor, enc.patientId);
  refuseClosed(enc);
  const line = lineRow(store, encounterId, lineId);
  if (line.status !== 'draft')
    throw new AppError(409, 'visit_closed', 'This charge is posted. Reverse it to correct it, then add the right line.');
  checkPointers(enc, patch.diagnosisPointers);
  const units = patch.units ?? line.units;
  let unitFeeCents = patch.unitFeeCents ?? line.unitFeeCents;
  let feeSource = patch.unitFeeCents !== undefined ? ('manual' as const) : line.feeSource;
  // A new provider or date re-prices a line whose fee came from the schedule (a typed fee stays).
  if ((patch.renderingProviderUserId || patch.dateOfService) && patch.unitFeeCents === undefined && line.feeSource !== 'manual') {
    const fee = resolveFee(feeRates(store, [line.serviceCodeId]), {
      serviceCodeId: line.serviceCodeId,
      providerUserId: patch.renderingProviderUserId ?? line.renderingProviderUserId,
      patientId: enc.patientId,
      dateOfService: patch.dateOfService ?? line.dateOfService,
    });
    unitFeeCents = fee?.unitFeeCents ?? 0;
    feeSource = fee?.source ?? 'none';
  }
  if (patch.renderingProviderUserId) {
    const u = store.orm
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, patch.renderingProviderUserId), liveRow(users, store.requireClinicId())))
      .get();
    if (!u) throw fieldError('renderingProviderUserId', 'Choose a provider from the list.');
  }
  store.write(actor, (w) => {
    w.update('charge_lines', lineId, {
      units,
      unitFeeCents,
      feeSource,
      amountCents: lineAmountCents(unitFeeCents, units),
      ...(patch.modifiers && { modifiers: JSON.stringify(patch.modifiers) }),
      ...(patch.diagnosisPointers && { diagnosisPointers: JSON.stringify(patch.diagnosisPointers) }),
      ...(patch.renderingProviderUserId && { renderingProviderUserId: patch.renderingProviderUserId }),
      ...(patch.dateOfService && { dateOfService: patch.dateOfService }),
      ...(patch.placeOfService && { placeOfService: patch.placeOfService }),
      updatedAt: store.nowIso(),
    });
    w.audit({
      action: 'charges.update',
      patientId: enc.patientId,
      detail: { encounterId, lineId, fields: Object.keys(patch) },
    });
  });
  return visitCharges(store, encounterRow(store, encounterId));
}

export function removeChargeLine(store: Store, actor: SignedActor, encounterId: string, lineId: string): VisitCharges {
  const enc = encounterRow(store, encounterId);
  patientForRead(store, actor, enc.patientId);
  refuseClosed(enc);
  const line = lineRow(store, encounterId, lineId);
  const now = store.nowIso();
  store.write(actor, (w) => {
    w.update('charge_lines', line.id, { deletedAt: now, updatedAt: now });
    w.audit({ action: 'charges.update', patientId: enc.patientId, detail: { encounterId, lineId, removed: true } });
  });
  return visitCharges(store, encounterRow(store, encounterId));
}

/**
 * How the visit happened. Draft lines follow: their place of service and the modifiers the old modality's
 * rule added are replaced with the new one's (modifiers the biller typed stay).
 */
export function setEncounterModality(
  store: Store,
  actor: SignedActor,
  encounterId: string,
  modality: EncounterModality,
): VisitCharges {
  const enc = encounterRow(store, encounterId);
  patientForRead(store, actor, enc.patientId);
  refuseClosed(enc);
  if (enc.modality === modality) return visitCharges(store, enc);
  const before = posFor(store, enc);
  const after = posFor(store, enc, modality);
  const now = store.nowIso();
  store.write(actor, (w) => {
    w.update('encounters', enc.id, { modality, updatedAt: now });
    for (const line of liveLines(store, enc.id).filter((l) => l.status === 'draft')) {
      const own = (JSON.parse(line.modifiers) as string[]).filter((m) => !before.modifiers.includes(m));
      w.update('charge_lines', line.id, {
        placeOfService: after.placeOfService,
        modifiers: JSON.stringify(mergeModifiers(own, after.modifiers)),
        updatedAt: now,
      });
    }
    w.audit({
      action: 'encounter.update',
      patientId: enc.patientId,
      detail: { encounterId, fields: ['modality'], from: enc.modality, to: modality },
    });
  });
  return visitCharges(store, encounterRow(store, encounterId));
}

function checkPointersForClose(enc: EncounterRow, lines: LineRow[]): void {
  const count = parseDiagnoses(enc).length;
  lines.forEach((l) => {
    const problems = pointerProblems(JSON.parse(l.diagnosisPointers) as number[], count);
    if (problems.length) {
      const message = `${l.code}: ${problems[0]}`;
      throw new AppError(409, 'charges_incomplete', message, { [`lines.${l.id}.diagnosisPointers`]: message });
    }
  });
}

function chargeToPost(enc: EncounterRow, l: LineRow) {
  return {
    chargeLineId: l.id,
    patientId: enc.patientId,
    encounterId: enc.id,
    appointmentId: enc.appointmentId,
    amountCents: l.amountCents,
    serviceDate: l.dateOfService,
    providerUserId: l.renderingProviderUserId,
    locationId: enc.locationId,
  };
}

/**
 * Close the visit: every draft line is checked (diagnosis pointers into the visit's coded diagnoses) and
 * posted as a `charge` ledger entry, in one transaction with the lines' new status and the encounter's
 * `closed_at`. A visit without lines closes too (nothing is billed). Closing twice is refused.
 */
export function closeVisit(store: Store, actor: SignedActor, encounterId: string): VisitCharges {
  const enc = encounterRow(store, encounterId);
  patientForRead(store, actor, enc.patientId);
  if (enc.closedAt) throw new AppError(409, 'visit_closed', 'This visit is already closed.');
  const drafts = liveLines(store, enc.id).filter((l) => l.status === 'draft');
  checkPointersForClose(enc, drafts);
  const zero = drafts.find((l) => l.amountCents === 0 && l.feeSource === 'none');
  if (zero) {
    const message = `${zero.code} has no fee. Enter the fee, or add the code to the fee schedule, before closing.`;
    throw new AppError(409, 'charges_incomplete', message, { [`lines.${zero.id}.unitFeeCents`]: message });
  }
  const now = store.nowIso();
  store.write(actor, (w) => {
    const posted = drafts.length ? postCharges(store, actor, drafts.map((l) => chargeToPost(enc, l))) : new Map<string, string>();
    for (const l of drafts)
      w.update('charge_lines', l.id, { status: 'posted', ledgerEntryId: posted.get(l.id) ?? null, updatedAt: now });
    w.update('encounters', enc.id, { closedAt: now, closedBy: actor.userId, updatedAt: now });
    w.audit({
      action: 'visit.close',
      patientId: enc.patientId,
      detail: {
        encounterId,
        lines: drafts.length,
        totalCents: sumCents(drafts.map((l) => l.amountCents)),
        ledgerEntryIds: [...posted.values()],
      },
    });
  });
  return visitCharges(store, encounterRow(store, encounterId));
}

/** Reverse a posted line: a `reversal` ledger entry undoes its charge; the line stays, marked reversed. */
export function reverseChargeLine(
  store: Store,
  actor: SignedActor,
  encounterId: string,
  lineId: string,
  reason: string,
): VisitCharges {
  const enc = encounterRow(store, encounterId);
  patientForRead(store, actor, enc.patientId);
  const line = lineRow(store, encounterId, lineId);
  if (line.status !== 'posted') {
    throw new AppError(
      409,
      'not_posted',
      line.status === 'reversed'
        ? 'This charge is already reversed.'
        : 'This line is a draft: change or remove it instead of reversing it.',
    );
  }
  const now = store.nowIso();
  store.write(actor, (w) => {
    // A $0.00 line posted no ledger entry, so there is nothing to reverse in the ledger.
    const reversalId = line.ledgerEntryId
      ? reverseCharge(store, actor, { patientId: enc.patientId, entryId: line.ledgerEntryId, amountCents: line.amountCents })
      : null;
    w.update('charge_lines', line.id, { status: 'reversed', updatedAt: now });
    w.audit({
      action: 'charges.update',
      patientId: enc.patientId,
      detail: { encounterId, lineId, reversed: true, reason, reversalEntryId: reversalId, amountCents: line.amountCents },
    });
  });
  return visitCharges(store, encounterRow(store, encounterId));
}
