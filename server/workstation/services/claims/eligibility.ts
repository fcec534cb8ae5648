import { and, asc, desc, eq, gte, inArray, isNull, lt, notInArray } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { v7 as uuidv7 } from 'uuid';
import type { EligibilityCheck, EligibilityStatus, EligibilitySummary } from '../../../contracts/claims/eligibility';
import { build270, Eligibility270Error, type EligibilityInquiry } from '../../../domain/claims/inbound/eligibility270';
import { parse271, type CoverageSummary } from '../../../domain/claims/inbound/eligibility271';
import { AppError } from '../../../platform/errors';
import { appointments, eligibilityChecks, patientCoverages, patients } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { patientForRead } from '../patients/patient-core';
import { getClinicInfo } from '../settings/clinic-info';
import { nextInterchangeNumber } from './batch';
import { sha256Hex, type FileOrigin } from './rows';
import { getBillingProvider, getClearinghouseSettings, payerForCoverage, toPayer } from './setup';

/**
 * Eligibility (docs/claims.md "Eligibility"): a 270 batch for a day's appointments (005010X279A1, built by
 * domain/claims/inbound/eligibility270.ts) with one request per coverage in effect that day, each traced by
 * its `eligibility_checks` id; a 271 file read by eligibility271.ts, each answer stored on the check its
 * trace names. Files are kept in `eligibility_files`; the 270 takes the clinic's next interchange number.
 */

const SKIP_STATUSES = ['cancelled', 'no_show'] as const;

const isoDateIn = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISODate()!;

type CoverageRow = typeof patientCoverages.$inferSelect;
type PatientRow = typeof patients.$inferSelect;

const inEffect = (c: CoverageRow, day: string) => (!c.effectiveFrom || c.effectiveFrom <= day) && (!c.effectiveTo || c.effectiveTo >= day);

const gender = (sex: string | null) => (sex === 'female' ? 'F' : sex === 'male' ? 'M' : 'U');

/** The 270 request for one coverage, or the reason it cannot be asked. */
function inquiryFor(store: Store, traceNumber: string, patient: PatientRow, c: CoverageRow, day: string, clearinghouse: string): EligibilityInquiry | string {
  const payer = payerForCoverage(store, c);
  const ids = payer ? toPayer(payer).clearinghouseIds : [];
  const payerId = (ids.find((i) => i.clearinghouse.toLowerCase() === clearinghouse.toLowerCase()) ?? ids[0])?.payerId ?? c.payerId?.trim().toUpperCase();
  if (!payerId) return `${c.payerName} has no payer id; add it under Billing > Set-up > Payers.`;
  if (!c.memberId.trim()) return `The ${c.priority} coverage has no member id.`;
  const person = { lastName: patient.legalLastName, firstName: patient.legalFirstName, birthDate: patient.dateOfBirth, gender: gender(patient.sex) } as const;
  const base = { traceNumber, payer: { name: payer?.name ?? c.payerName, payerId }, memberId: c.memberId.trim(), serviceDate: day, serviceTypes: ['30'] };
  if (c.subscriberRelationship === 'self') return { ...base, subscriber: person };
  if (!c.subscriberLastName || !c.subscriberFirstName || !c.subscriberDateOfBirth) return `The ${c.priority} coverage lacks the subscriber’s name or date of birth.`;
  return {
    ...base,
    subscriber: { lastName: c.subscriberLastName, firstName: c.subscriberFirstName, birthDate: c.subscriberDateOfBirth },
    dependent: { ...person, relationshipCode: c.subscriberRelationship === 'spouse' ? '01' : c.subscriberRelationship === 'child' ? '19' : 'G8' },
  };
}

export interface BuiltEligibility {
  fileId: string;
  fileName: string;
  content: string;
  interchangeControlNumber: number;
  inquiries: number;
  skipped: { appointmentId: string; patientName: string; reason: string }[];
}

/** A 270 for every coverage in effect on `date` of the patients with an appointment that day (not cancelled). */
export function buildEligibilityRequest(store: Store, actor: Actor, date: string): BuiltEligibility {
  const clinicId = store.requireClinicId();
  const provider = getBillingProvider(store);
  const clearinghouse = getClearinghouseSettings(store);
  if (!provider || !clearinghouse)
    throw new AppError(409, 'setup_missing', 'Set up the billing provider and the clearinghouse (Billing > Set-up) before asking payers about eligibility.');
  const zone = getClinicInfo(store).timeZone;
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  const appts = store.orm
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.clinicId, clinicId),
        gte(appointments.startsAt, start.toUTC().toISO()!),
        lt(appointments.startsAt, start.plus({ days: 1 }).toUTC().toISO()!),
        notInArray(appointments.status, [...SKIP_STATUSES]),
        isNull(appointments.deletedAt),
      ),
    )
    .orderBy(asc(appointments.startsAt))
    .all()
    .filter((a) => isoDateIn(a.startsAt, zone) === date);
  const inquiries: EligibilityInquiry[] = [];
  const checks: { id: string; patientId: string; coverageId: string; appointmentId: string }[] = [];
  const skipped: BuiltEligibility['skipped'] = [];
  const asked = new Set<string>();
  for (const a of appts) {
    const patient = store.orm.select().from(patients).where(eq(patients.id, a.patientId)).get();
    if (!patient || patient.deletedAt) continue;
    const patientName = `${patient.legalFirstName} ${patient.legalLastName}`;
    const coverages = store.orm
      .select()
      .from(patientCoverages)
      .where(and(eq(patientCoverages.patientId, a.patientId), isNull(patientCoverages.deletedAt)))
      .all()
      .filter((c) => inEffect(c, date));
    if (!coverages.length) skipped.push({ appointmentId: a.id, patientName, reason: 'No insurance in effect on the day (self-pay).' });
    for (const c of coverages) {
      if (asked.has(c.id)) continue; // two appointments the same day: one question per coverage
      asked.add(c.id);
      const id = uuidv7();
      const q = inquiryFor(store, id, patient, c, date, clearinghouse.name);
      if (typeof q === 'string') skipped.push({ appointmentId: a.id, patientName, reason: q });
      else {
        inquiries.push(q);
        checks.push({ id, patientId: a.patientId, coverageId: c.id, appointmentId: a.id });
      }
    }
  }
  if (!inquiries.length) {
    const reasons = [...new Set(skipped.map((s) => s.reason))].join(' ');
    throw new AppError(409, 'nothing_to_ask', appts.length ? `Nothing to ask payers about that day. ${reasons}` : 'There are no appointments that day.');
  }
  const icn = nextInterchangeNumber(store);
  let content: string;
  try {
    content = build270({
      sender: { qualifier: 'ZZ', id: clearinghouse.senderId },
      receiver: { qualifier: 'ZZ', id: clearinghouse.receiverId },
      provider: { organizationName: provider.organizationName, npi: provider.npi },
      originatorId: `1${provider.taxId}`,
      interchangeControlNumber: icn,
      groupControlNumber: icn,
      createdAt: store.nowIso(),
      usage: clearinghouse.usage,
      inquiries,
    });
  } catch (e) {
    if (e instanceof Eligibility270Error) throw new AppError(422, 'invalid_request', e.message);
    throw e;
  }
  const fileName = `eligibility-${String(icn).padStart(9, '0')}.270`;
  const now = store.nowIso();
  const fileId = uuidv7();
  store.write(actor, (w) => {
    w.insert('eligibility_files', {
      id: fileId,
      clinicId,
      kind: 'x270',
      serviceDate: date,
      interchangeControlNumber: icn,
      sha256: sha256Hex(content),
      name: fileName,
      content,
      summary: JSON.stringify({ inquiries: inquiries.length }),
      createdBy: actor.userId,
      createdAt: now,
    });
    for (const c of checks)
      w.insert('eligibility_checks', { ...c, clinicId, serviceDate: date, requestFileId: fileId, status: 'requested', createdBy: actor.userId, createdAt: now, updatedAt: now });
    w.audit({ action: 'eligibility.request', detail: { fileId, date, inquiries: inquiries.length, skipped: skipped.length } });
  });
  return { fileId, fileName, content, interchangeControlNumber: icn, inquiries: inquiries.length, skipped };
}

/** The stored summary: what the desk reads, without names, member ids or dates of birth. */
const toSummary = (s: CoverageSummary): EligibilitySummary => ({
  planName: s.planName,
  copays: s.copays.map((c) => ({ serviceTypeText: c.serviceTypeText, amountCents: c.amountCents, network: c.network })),
  coinsurance: s.coinsurance.map((c) => ({ serviceTypeText: c.serviceTypeText, percent: c.percent, network: c.network })),
  deductible: s.deductible,
  rejections: s.rejections.map((r) => ({ code: r.code, text: r.text })),
  lines: s.lines,
});

/**
 * Read a 271 file: each answer goes to the check its trace names; unknown traces are counted, never guessed.
 * A 271 central fetched from the clearinghouse keeps its origin in the stored file's summary.
 */
export function importEligibilityResponse(store: Store, actor: Actor, name: string, content: string, origin?: FileOrigin) {
  let result: ReturnType<typeof parse271>;
  try {
    result = parse271(content);
  } catch (e) {
    const message = `This file holds no 271 eligibility answer: ${(e as Error).message}`;
    throw new AppError(400, 'invalid_file', message, { content: message });
  }
  if (!result.summaries.length) {
    const why = result.findings.find((f) => f.severity === 'error')?.message;
    const message = `This file holds no 271 eligibility answer${why ? `: ${why}` : '.'}`;
    throw new AppError(400, 'invalid_file', message, { content: message });
  }
  const clinicId = store.requireClinicId();
  // The 270 writes X12 text in upper case: a check id comes back as its upper-case spelling.
  const traceOf = (s: CoverageSummary) => s.traceNumber.trim().toLowerCase();
  const traces = [...new Set(result.summaries.map(traceOf).filter(Boolean))];
  const known = new Set(
    traces.length
      ? store.orm.select({ id: eligibilityChecks.id }).from(eligibilityChecks).where(and(eq(eligibilityChecks.clinicId, clinicId), inArray(eligibilityChecks.id, traces))).all().map((r) => r.id)
      : [],
  );
  const now = store.nowIso();
  const fileId = uuidv7();
  const byStatus: Record<string, number> = {};
  let answered = 0;
  store.write(actor, (w) => {
    w.insert('eligibility_files', { id: fileId, clinicId, kind: 'x271', sha256: sha256Hex(content), name, content, summary: JSON.stringify({ answers: result.summaries.length, ...(origin && { origin }) }), createdBy: actor.userId, createdAt: now });
    for (const s of result.summaries) {
      if (!known.has(traceOf(s))) continue;
      w.update('eligibility_checks', traceOf(s), { status: s.status, summary: JSON.stringify(toSummary(s)), responseFileId: fileId, answeredAt: now, updatedAt: now });
      byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
      answered++;
    }
    w.audit({ action: 'eligibility.import', detail: { fileId, answered, unknownTraces: result.summaries.length - answered } });
  });
  return { fileId, answered, unknownTraces: result.summaries.length - answered, byStatus };
}

type CheckRow = typeof eligibilityChecks.$inferSelect;
const toCheck = (r: CheckRow, coverage: CoverageRow | undefined): EligibilityCheck => ({
  id: r.id,
  coverageId: r.coverageId,
  coveragePriority: coverage?.priority ?? '',
  payerName: coverage?.payerName ?? '',
  appointmentId: r.appointmentId,
  serviceDate: r.serviceDate,
  status: r.status as EligibilityStatus,
  summary: r.summary ? (JSON.parse(r.summary) as EligibilitySummary) : null,
  requestedAt: r.createdAt,
  answeredAt: r.answeredAt,
});

/** The newest check of each of the patient's coverages (a restricted record needs emergency access; audited). */
export function patientEligibility(store: Store, actor: Actor & { userId: string }, patientId: string): { checks: EligibilityCheck[] } {
  const { row } = patientForRead(store, actor, patientId);
  const rows = store.orm
    .select()
    .from(eligibilityChecks)
    .where(and(eq(eligibilityChecks.patientId, row.id), isNull(eligibilityChecks.deletedAt)))
    .orderBy(desc(eligibilityChecks.createdAt), desc(eligibilityChecks.id))
    .all();
  // Coverages still on file (a removed coverage's old answers are not shown), newest check of each.
  const coverages = new Map(
    store.orm
      .select()
      .from(patientCoverages)
      .where(and(eq(patientCoverages.patientId, row.id), isNull(patientCoverages.deletedAt)))
      .all()
      .map((c) => [c.id, c]),
  );
  const newest = new Map<string, CheckRow>();
  for (const r of rows) if (coverages.has(r.coverageId) && !newest.has(r.coverageId)) newest.set(r.coverageId, r);
  store.audit(actor, { action: 'eligibility.read', patientId: row.id, detail: { checks: newest.size } });
  return { checks: [...newest.values()].map((r) => toCheck(r, coverages.get(r.coverageId))) };
}
