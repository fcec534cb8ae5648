import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { ClaimPriority, ClaimStatus } from '../../../contracts/claims/records';
import type { ScrubFinding } from '../../../domain/claims/scrubber';
import { chargeLines, claimLines, claimPayers, claims, encounters, patients, users } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { encounterRowById } from '../clinical/encounters';
import { liveCoverages } from '../patients/patient-rows';
import { claimContext, scrub, statusAfterScrub } from './context';
import { planVisit, postedLinesOfVisit } from './create';
import { liveClaimLine, type ClaimLineRow, type ClaimRow } from './rows';
import { payerForCoverage } from './setup';

/**
 * What the biller sees before making claims from a visit (docs/claims.md, "Claims from a visit on screen"):
 * the closed visits whose posted lines are not all billed to the primary payer yet, one visit's lines with the
 * claims that already carry them and the coverages in effect on its date, and a preview of the claims the
 * chosen lines would become, each scrubbed, without writing anything.
 */

const UNBILLED_LIMIT = 200;

const inEffect = (c: { effectiveFrom: string | null; effectiveTo: string | null }, date: string) =>
  (!c.effectiveFrom || c.effectiveFrom <= date) && (!c.effectiveTo || c.effectiveTo >= date);

/** Charge lines held by a live claim (not closed, not a void, line not replaced), with that claim. */
function liveClaimsOfLines(store: Store, chargeLineIds: string[]) {
  if (!chargeLineIds.length) return [];
  return store.orm
    .select({
      chargeLineId: claimLines.chargeLineId,
      claimId: claims.id,
      priority: claims.priority,
      status: claims.status,
      payerName: claimPayers.name,
    })
    .from(claimLines)
    .innerJoin(claims, eq(claims.id, claimLines.claimId))
    .innerJoin(claimPayers, eq(claimPayers.id, claims.payerId))
    .where(
      and(
        inArray(claimLines.chargeLineId, chargeLineIds),
        liveClaimLine(),
      ),
    )
    .all();
}

export interface UnbilledVisit {
  encounterId: string;
  patientId: string;
  patientName: string;
  dateOfService: string;
  providerName: string;
  payerName: string;
  unbilledLines: number;
  unbilledCents: number;
}

/**
 * Closed visits of insured patients (a primary coverage in effect on the date) with posted lines no live
 * primary claim carries, newest first (the 200 newest: older ones are found from the visit).
 */
export function unbilledVisits(store: Store, actor: Actor): { visits: UnbilledVisit[]; truncated: boolean } {
  const clinicId = store.requireClinicId();
  const lines = store.orm
    .select({
      id: chargeLines.id,
      encounterId: chargeLines.encounterId,
      amountCents: chargeLines.amountCents,
      ledgerEntryId: chargeLines.ledgerEntryId,
    })
    .from(chargeLines)
    .innerJoin(encounters, eq(encounters.id, chargeLines.encounterId))
    .where(
      and(
        eq(chargeLines.clinicId, clinicId),
        eq(chargeLines.status, 'posted'),
        isNull(chargeLines.deletedAt),
        isNotNull(encounters.closedAt),
        isNull(encounters.deletedAt),
      ),
    )
    .all()
    .filter((l) => l.amountCents > 0 && l.ledgerEntryId);
  const billed = new Set(
    store.orm
      .select({ chargeLineId: claimLines.chargeLineId })
      .from(claimLines)
      .innerJoin(claims, eq(claims.id, claimLines.claimId))
      .where(
        and(
          eq(claims.clinicId, clinicId),
          eq(claims.priority, 'primary'),
          liveClaimLine(),
        ),
      )
      .all()
      .map((r) => r.chargeLineId),
  );
  const open = new Map<string, { lines: number; cents: number }>();
  for (const l of lines) {
    if (billed.has(l.id)) continue;
    const o = open.get(l.encounterId) ?? { lines: 0, cents: 0 };
    o.lines += 1;
    o.cents += l.amountCents;
    open.set(l.encounterId, o);
  }
  const ids = [...open.keys()];
  const rows = ids.length
    ? store.orm
        .select({
          id: encounters.id,
          patientId: encounters.patientId,
          dateOfService: encounters.dateOfService,
          first: patients.legalFirstName,
          last: patients.legalLastName,
          providerName: users.fullName,
        })
        .from(encounters)
        .innerJoin(patients, eq(patients.id, encounters.patientId))
        .leftJoin(users, eq(users.id, encounters.providerUserId))
        .where(inArray(encounters.id, ids))
        .orderBy(desc(encounters.dateOfService), desc(encounters.id))
        .all()
    : [];
  const visits: UnbilledVisit[] = [];
  for (const r of rows) {
    const primary = liveCoverages(store, r.patientId).find((c) => c.priority === 'primary' && inEffect(c, r.dateOfService));
    if (!primary) continue; // self-pay on that date: nothing to bill to insurance
    const o = open.get(r.id)!;
    visits.push({
      encounterId: r.id,
      patientId: r.patientId,
      patientName: `${r.last}, ${r.first}`,
      dateOfService: r.dateOfService,
      providerName: r.providerName ?? '',
      payerName: primary.payerName,
      unbilledLines: o.lines,
      unbilledCents: o.cents,
    });
  }
  const truncated = visits.length > UNBILLED_LIMIT;
  store.audit(actor, { action: 'claims.read', detail: { unbilledVisits: true, count: Math.min(visits.length, UNBILLED_LIMIT) } });
  return { visits: visits.slice(0, UNBILLED_LIMIT), truncated };
}

export interface VisitForClaims {
  encounter: { id: string; patientId: string; patientName: string; dateOfService: string; providerName: string; closed: boolean };
  coverages: { priority: ClaimPriority; payerName: string; payerSetUp: boolean }[];
  lines: {
    id: string;
    code: string;
    description: string;
    modifiers: string[];
    units: number;
    amountCents: number;
    dateOfService: string;
    placeOfService: string;
    providerName: string;
    claims: { claimId: string; priority: ClaimPriority; payerName: string; status: ClaimStatus }[];
  }[];
}

/** One visit's posted lines, who already carries each, and the coverages in effect on its date (audited). */
export function visitForClaims(store: Store, actor: Actor, encounterId: string): VisitForClaims {
  const enc = encounterRowById(store, encounterId);
  const patient = store.orm
    .select({ first: patients.legalFirstName, last: patients.legalLastName })
    .from(patients)
    .where(eq(patients.id, enc.patientId))
    .get()!;
  const posted = postedLinesOfVisit(store, enc.id);
  const userIds = [...new Set([enc.providerUserId, ...posted.map((l) => l.renderingProviderUserId)])];
  const names = new Map(
    store.orm.select({ id: users.id, fullName: users.fullName }).from(users).where(inArray(users.id, userIds)).all().map((u) => [u.id, u.fullName]),
  );
  const held = liveClaimsOfLines(store, posted.map((l) => l.id));
  const coverages = liveCoverages(store, enc.patientId)
    .filter((c) => inEffect(c, enc.dateOfService))
    .map((c) => ({ priority: c.priority as ClaimPriority, payerName: c.payerName, payerSetUp: !!payerForCoverage(store, c) }));
  store.audit(actor, { action: 'claims.read', patientId: enc.patientId, detail: { encounterId: enc.id, visitLines: posted.length } });
  return {
    encounter: {
      id: enc.id,
      patientId: enc.patientId,
      patientName: `${patient.last}, ${patient.first}`,
      dateOfService: enc.dateOfService,
      providerName: names.get(enc.providerUserId) ?? '',
      closed: !!enc.closedAt,
    },
    coverages,
    lines: posted.map((l) => ({
      id: l.id,
      code: l.code,
      description: l.description,
      modifiers: JSON.parse(l.modifiers) as string[],
      units: l.units,
      amountCents: l.amountCents,
      dateOfService: l.dateOfService,
      placeOfService: l.placeOfService,
      providerName: names.get(l.renderingProviderUserId) ?? '',
      claims: held
        .filter((h) => h.chargeLineId === l.id)
        .map((h) => ({ claimId: h.claimId, priority: h.priority, payerName: h.payerName, status: h.status })),
    })),
  };
}

export interface ClaimPreview {
  payerName: string;
  priority: ClaimPriority;
  claims: {
    providerName: string;
    chargeLineIds: string[];
    diagnoses: string[];
    totalCents: number;
    status: ClaimStatus;
    findings: ScrubFinding[];
  }[];
  /** Chosen lines left out because a live claim to this payer already carries them. */
  alreadyClaimed: string[];
}

/**
 * The claims the chosen lines would become for the coverage of `priority`, each judged by the same scrubber
 * that judges a stored claim (the rows are built in memory and never written). Audited as a read.
 */
export function previewClaims(
  store: Store,
  actor: Actor,
  input: { encounterId: string; priority: ClaimPriority; chargeLineIds?: string[] | undefined },
): ClaimPreview {
  const { enc, coverage, payer, posted, planned } = planVisit(store, input.encounterId, input.priority, input.chargeLineIds);
  const clinicId = store.requireClinicId();
  const now = store.nowIso();
  const planned_ = new Set(planned.flatMap((p) => p.lines.map((l) => l.id)));
  const names = new Map(store.orm.select({ id: users.id, fullName: users.fullName }).from(users).all().map((u) => [u.id, u.fullName]));
  const out: ClaimPreview['claims'] = planned.map((p, i) => {
    const claim: ClaimRow = {
      id: `preview-${i}`,
      clinicId,
      patientId: enc.patientId,
      encounterId: enc.id,
      payerId: payer.id,
      coverageId: coverage.id,
      priority: input.priority,
      renderingProviderUserId: p.renderingProviderUserId,
      patientControlNumber: '',
      frequency: 'original',
      replacesClaimId: null,
      primaryClaimId: null,
      payerClaimNumber: null,
      status: 'draft',
      diagnoses: JSON.stringify(p.diagnoses),
      placeOfService: p.lines[0]?.placeOfService ?? '11',
      totalCents: p.totalCents,
      paidCents: 0,
      patientResponsibilityCents: 0,
      adjustedCents: 0,
      scrubFindings: '[]',
      batchId: null,
      statusDetail: '',
      appealNote: '',
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    const lines: ClaimLineRow[] = p.lines.map((l, n) => ({
      id: `preview-${i}-${n}`,
      clinicId,
      claimId: claim.id,
      patientId: enc.patientId,
      chargeLineId: l.id,
      position: n + 1,
      code: l.code,
      modifiers: JSON.stringify(l.modifiers),
      units: l.units,
      chargeCents: l.amountCents,
      placeOfService: l.placeOfService,
      dateOfService: l.dateOfService,
      diagnosisPointers: JSON.stringify(l.claimPointers),
      lineControlNumber: '',
      status: 'open',
      paidCents: 0,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    }));
    const findings = scrub(store, claimContext(store, claim, lines));
    return {
      providerName: names.get(p.renderingProviderUserId) ?? '',
      chargeLineIds: p.lines.map((l) => l.id),
      diagnoses: p.diagnoses,
      totalCents: p.totalCents,
      status: statusAfterScrub(findings),
      findings,
    };
  });
  store.audit(actor, { action: 'claims.read', patientId: enc.patientId, detail: { encounterId: enc.id, preview: out.length } });
  return {
    payerName: payer.name,
    priority: input.priority,
    claims: out,
    alreadyClaimed: posted.filter((l) => !planned_.has(l.id)).map((l) => l.id),
  };
}
