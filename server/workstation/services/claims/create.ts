import { and, eq, inArray, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { ClaimPriority } from '../../../contracts/claims/records';
import type { ScrubFinding } from '../../../domain/claims/scrubber';
import { planClaims, type PlannedClaim } from '../../../domain/claims/from-visit';
import { AppError } from '../../../platform/errors';
import { chargeLines, claimLines, claims } from '../../db/schema';
import type { Actor, Store, Writer } from '../../db/store';
import { encounterRowById, parseDiagnoses } from '../clinical/encounters';
import { liveCoverages } from '../patients/patient-rows';
import { claimContext, scrub, statusAfterScrub } from './context';
import { ClaimLedger } from './ledger';
import { claimLineRows, claimRow, liveClaimLine, newControlNumber, recordEvent, type ClaimLineRow, type ClaimRow } from './rows';
import { payerForCoverage } from './setup';

/**
 * Claims from a visit's posted charge lines (docs/claims.md). One visit may become several claims
 * (rendering providers, 50 lines, 12 diagnoses: domain/claims/from-visit.ts); lines already on a live claim
 * to the payer are left out, so asking twice creates nothing new. Each claim is scrubbed as it is made: a
 * refusal leaves it a draft (it cannot be batched), warnings are shown on it. The insured part of each charge
 * moves from the patient to insurance in the ledger in the same transaction.
 */

export interface CreatedClaim {
  id: string;
  status: ClaimRow['status'];
  totalCents: number;
  lines: number;
  findings: ScrubFinding[];
}

/** Claims that still hold their lines for the payer (not closed; a replaced line is released). */
export function claimedChargeLineIds(store: Store, encounterId: string, payerId: string, priority: ClaimPriority): Set<string> {
  const rows = store.orm
    .select({ chargeLineId: claimLines.chargeLineId })
    .from(claimLines)
    .innerJoin(claims, eq(claims.id, claimLines.claimId))
    .where(
      and(
        eq(claims.encounterId, encounterId),
        eq(claims.payerId, payerId),
        eq(claims.priority, priority),
        liveClaimLine(),
      ),
    )
    .all();
  return new Set(rows.map((r) => r.chargeLineId));
}

export function coverageFor(store: Store, patientId: string, priority: ClaimPriority, dateOfService: string) {
  return liveCoverages(store, patientId).find(
    (c) =>
      c.priority === priority &&
      (!c.effectiveFrom || c.effectiveFrom <= dateOfService) &&
      (!c.effectiveTo || c.effectiveTo >= dateOfService),
  );
}

/** What a visit's chosen lines become for one coverage: the visit, coverage, payer and the planned claims. */
export interface VisitPlan {
  enc: ReturnType<typeof encounterRowById>;
  coverage: NonNullable<ReturnType<typeof coverageFor>>;
  payer: NonNullable<ReturnType<typeof payerForCoverage>>;
  posted: (typeof chargeLines.$inferSelect)[];
  planned: PlannedClaim[];
}

/** A visit's posted lines that can go on a claim (a charge of zero or one not in the ledger cannot). */
export function postedLinesOfVisit(store: Store, encounterId: string) {
  return store.orm
    .select()
    .from(chargeLines)
    .where(and(eq(chargeLines.encounterId, encounterId), eq(chargeLines.status, 'posted'), isNull(chargeLines.deletedAt)))
    .orderBy(chargeLines.position)
    .all()
    .filter((l) => l.amountCents > 0 && l.ledgerEntryId);
}

/**
 * Plans the claims of a visit for the coverage of `priority` in effect on the date of service, from the chosen
 * posted lines (all of them when none are named). Writes nothing: the claim screen shows this, with the
 * scrubber's findings, before anything is created.
 */
export function planVisit(store: Store, encounterId: string, priority: ClaimPriority, chargeLineIds?: readonly string[]): VisitPlan {
  const enc = encounterRowById(store, encounterId);
  if (!enc.closedAt)
    throw new AppError(409, 'visit_open', 'Close the visit first: claims are made from posted charges.');
  const coverage = coverageFor(store, enc.patientId, priority, enc.dateOfService);
  if (!coverage)
    throw new AppError(409, 'no_coverage', `The patient has no ${priority} coverage in effect on ${enc.dateOfService}.`);
  const payer = payerForCoverage(store, coverage);
  if (!payer)
    throw new AppError(
      409,
      'payer_not_set_up',
      `${coverage.payerName} is not set up as a payer yet. Add it under Claims set-up, with its payer id.`,
    );
  const all = postedLinesOfVisit(store, enc.id);
  let posted = all;
  if (chargeLineIds) {
    const chosen = new Set(chargeLineIds);
    posted = all.filter((l) => chosen.has(l.id));
    if (!chosen.size || posted.length !== chosen.size)
      throw new AppError(400, 'invalid_input', 'Choose one or more posted charge lines of this visit.', {
        chargeLineIds: 'Choose one or more posted charge lines of this visit.',
      });
  }
  const planned = planClaims({
    diagnoses: parseDiagnoses(enc).map((d) => d.code),
    lines: posted.map((l) => ({
      id: l.id,
      code: l.code,
      modifiers: JSON.parse(l.modifiers) as string[],
      units: l.units,
      amountCents: l.amountCents,
      placeOfService: l.placeOfService,
      dateOfService: l.dateOfService,
      diagnosisPointers: JSON.parse(l.diagnosisPointers) as number[],
      renderingProviderUserId: l.renderingProviderUserId,
    })),
    claimedLineIds: claimedChargeLineIds(store, enc.id, payer.id, priority),
  });
  return { enc, coverage, payer, posted, planned };
}

export function createClaimsFromVisit(
  store: Store,
  actor: Actor,
  encounterId: string,
  options: { priority?: ClaimPriority; primaryClaimId?: string | null; chargeLineIds?: readonly string[] } = {},
): CreatedClaim[] {
  const priority = options.priority ?? 'primary';
  const { enc, coverage, payer, posted, planned } = planVisit(store, encounterId, priority, options.chargeLineIds);
  if (!planned.length) return [];
  const byId = new Map(posted.map((l) => [l.id, l]));
  return store.write(actor, (w) => {
    const ledger = new ClaimLedger(w, store);
    const out = planned.map((p) =>
      insertClaim(w, store, ledger, {
        planned: p,
        patientId: enc.patientId,
        encounterId: enc.id,
        payerId: payer.id,
        coverageId: coverage.id,
        priority,
        primaryClaimId: options.primaryClaimId ?? null,
        chargeEntryOf: (lineId) => byId.get(lineId)!.ledgerEntryId!,
      }),
    );
    w.audit({ action: 'claims.create', patientId: enc.patientId, detail: { encounterId, claimIds: out.map((c) => c.id), priority } });
    return out;
  });
}

export interface NewClaim {
  planned: PlannedClaim;
  patientId: string;
  encounterId: string;
  payerId: string;
  coverageId: string;
  priority: ClaimPriority;
  primaryClaimId: string | null;
  frequency?: ClaimRow['frequency'];
  replacesClaimId?: string | null;
  payerClaimNumber?: string | null;
  chargeEntryOf: (chargeLineId: string) => string;
}

/**
 * A claim planned again from a stored claim's lines: a replacement after a denial, or the secondary claim
 * after the primary paid, bill the same lines with the same codes, pointers and provider.
 */
export function replanFromClaim(claim: ClaimRow, lines: ClaimLineRow[]): PlannedClaim {
  return {
    renderingProviderUserId: claim.renderingProviderUserId,
    diagnoses: JSON.parse(claim.diagnoses) as string[],
    totalCents: lines.reduce((a, l) => a + l.chargeCents, 0),
    lines: lines.map((l) => ({
      id: l.chargeLineId,
      code: l.code,
      modifiers: JSON.parse(l.modifiers) as string[],
      units: l.units,
      amountCents: l.chargeCents,
      placeOfService: l.placeOfService,
      dateOfService: l.dateOfService,
      diagnosisPointers: JSON.parse(l.diagnosisPointers) as number[],
      claimPointers: JSON.parse(l.diagnosisPointers) as number[],
      renderingProviderUserId: claim.renderingProviderUserId,
    })),
  };
}

/** Writes one claim with its lines, scrubs it, records its creation and moves the charge to insurance. */
export function insertClaim(w: Writer, store: Store, ledger: ClaimLedger, c: NewClaim): CreatedClaim {
  const now = store.nowIso();
  const id = uuidv7();
  const clinicId = store.requireClinicId();
  const pos = c.planned.lines[0]?.placeOfService ?? '11';
  w.insert('claims', {
    id,
    clinicId,
    patientId: c.patientId,
    encounterId: c.encounterId,
    payerId: c.payerId,
    coverageId: c.coverageId,
    priority: c.priority,
    renderingProviderUserId: c.planned.renderingProviderUserId,
    patientControlNumber: newControlNumber('C'),
    frequency: c.frequency ?? 'original',
    replacesClaimId: c.replacesClaimId ?? null,
    primaryClaimId: c.primaryClaimId,
    payerClaimNumber: c.payerClaimNumber ?? null,
    status: 'draft',
    diagnoses: JSON.stringify(c.planned.diagnoses),
    placeOfService: pos,
    totalCents: c.planned.totalCents,
    paidCents: 0,
    patientResponsibilityCents: 0,
    adjustedCents: 0,
    scrubFindings: '[]',
    statusDetail: '',
    appealNote: '',
    createdBy: w.actor.userId,
    createdAt: now,
    updatedAt: now,
  });
  c.planned.lines.forEach((l, i) =>
    w.insert('claim_lines', {
      id: uuidv7(),
      clinicId,
      claimId: id,
      patientId: c.patientId,
      chargeLineId: l.id,
      position: i + 1,
      code: l.code,
      modifiers: JSON.stringify(l.modifiers),
      units: l.units,
      chargeCents: l.amountCents,
      placeOfService: l.placeOfService,
      dateOfService: l.dateOfService,
      diagnosisPointers: JSON.stringify(l.claimPointers),
      lineControlNumber: newControlNumber('L'),
      status: 'open',
      paidCents: 0,
      createdAt: now,
      updatedAt: now,
    }),
  );
  const row = claimRow(store, id);
  const findings = scrub(store, claimContext(store, row, claimLineRows(store, id)));
  const status = statusAfterScrub(findings);
  w.update('claims', id, { status, scrubFindings: JSON.stringify(findings) });
  recordEvent(w, store, row, 'created', {
    to: status,
    detail: { frequency: c.frequency ?? 'original', priority: c.priority, findings: findings.map((f) => f.code) },
  });
  // Only a primary claim moves the charge: a secondary bills what the primary left, already with insurance.
  if (c.priority === 'primary' && (c.frequency ?? 'original') === 'original') {
    for (const l of c.planned.lines) {
      const chargeId = c.chargeEntryOf(l.id);
      const amount = Math.min(l.amountCents, ledger.open(c.patientId, chargeId).patient);
      if (amount > 0)
        ledger.post({
          patientId: c.patientId,
          kind: 'transfer',
          responsibility: 'insurance',
          transferFrom: 'patient',
          amountCents: amount,
          appliesToEntryId: chargeId,
          encounterId: c.encounterId,
          memo: 'Billed to insurance',
        });
    }
  }
  return { id, status, totalCents: c.planned.totalCents, lines: c.planned.lines.length, findings };
}

/** Scrub again after the set-up or the coverage was fixed: a draft may become ready, or the reverse. */
export function rescrubClaim(store: Store, actor: Actor, claimId: string): CreatedClaim {
  const claim = claimRow(store, claimId);
  if (!['draft', 'warnings', 'ready', 'rejected'].includes(claim.status))
    throw new AppError(409, 'claim_sent', 'This claim was already sent; correct it with a replacement claim instead.');
  const lines = claimLineRows(store, claimId);
  const findings = scrub(store, claimContext(store, claim, lines));
  const status = statusAfterScrub(findings);
  store.write(actor, (w) => {
    recordEvent(w, store, claim, 'rescrubbed', { to: status, detail: { findings: findings.map((f) => f.code) } });
    w.update('claims', claim.id, { status, scrubFindings: JSON.stringify(findings), updatedAt: store.nowIso() });
  });
  return { id: claim.id, status, totalCents: claim.totalCents, lines: lines.length, findings };
}

export const claimsOfEncounter = (store: Store, encounterId: string) =>
  store.orm.select().from(claims).where(and(eq(claims.encounterId, encounterId), isNull(claims.deletedAt))).all();

export const claimsByIds = (store: Store, ids: string[]) =>
  ids.length ? store.orm.select().from(claims).where(inArray(claims.id, ids)).all() : [];
