import { and, eq, ne } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { EraPaymentStatus } from '../../../contracts/claims/records';
import { checkDuplicates, seenOf } from '../../../domain/claims/inbound/era-duplicates';
import type { ClaimForMatching } from '../../../domain/claims/inbound/era-match';
import { planPosting, type PostingPlan } from '../../../domain/claims/inbound/era-posting';
import { parse835, type Remittance } from '../../../domain/claims/inbound/era835';
import { AppError } from '../../../platform/errors';
import { claimFiles, claimLines, claims, eraPayments } from '../../db/schema';
import type { Actor, Store, Writer } from '../../db/store';
import { ClaimLedger } from './ledger';
import { postPlan, type PostedClaim } from './era-post';
import { inJson, storeFile, type FileOrigin } from './rows';
import { getClearinghouseSettings } from './setup';

/**
 * Reading an 835 and posting it (docs/claims.md). Each remittance (ST/SE) becomes an `era_payments` row:
 * a duplicate of one already received (same trace, same money) is `duplicate` and never posts; one that does
 * not balance (BPR02 ≠ ΣCLP04 − ΣPLB) or is not 5010 is `refused`; a balanced one whose claims and lines all
 * match posts at once when the clinic allows it (the default); anything else waits on the assisted-posting
 * worklist, where the biller names the claim or line for what did not match and posts.
 */

export type EraPaymentRow = typeof eraPayments.$inferSelect;

export interface EraImportResult {
  fileId: string;
  payments: { eraPaymentId: string; status: EraPaymentStatus; paymentCents: number; blockedBecause: string[]; reviewBecause: string[]; claims: PostedClaim[] }[];
}

/** Our claims (with lines) that a remittance's CLP01s name, as matching wants them. */
function claimsForMatching(store: Store, rem: Remittance, extraClaimIds: string[] = []): ClaimForMatching[] {
  const pcns = [...new Set(rem.claims.map((c) => c.patientControlNumber.trim().toUpperCase()))];
  const clinicId = store.requireClinicId();
  // Ids travel as one JSON array (json_each): a file of 40,000 claims would pass SQLite's limit of bound
  // variables as an IN list.
  const rows = [
    ...(pcns.length ? store.orm.select().from(claims).where(and(eq(claims.clinicId, clinicId), inJson(claims.patientControlNumber, pcns))).all() : []),
    ...(extraClaimIds.length ? store.orm.select().from(claims).where(inJson(claims.id, extraClaimIds)).all() : []),
  ];
  const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
  const lines = unique.length
    ? store.orm.select().from(claimLines).where(and(inJson(claimLines.claimId, unique.map((c) => c.id)), ne(claimLines.status, 'replaced'))).all()
    : [];
  // Lines by claim in one pass (filtering all lines for each claim was quadratic: 10,000 × 20,000).
  const linesOf = new Map<string, (typeof lines)[number][]>();
  for (const l of lines) {
    const list = linesOf.get(l.claimId);
    if (list) list.push(l);
    else linesOf.set(l.claimId, [l]);
  }
  return unique.map((c) => ({
    claimId: c.id,
    patientControlNumber: c.patientControlNumber,
    lines: (linesOf.get(c.id) ?? [])
      .sort((a, b) => a.position - b.position)
      .map((l) => ({
        id: l.id,
        procedureCode: l.code,
        modifiers: JSON.parse(l.modifiers) as string[],
        chargeCents: l.chargeCents,
        units: l.units,
        serviceDate: l.dateOfService,
        lineControlNumber: l.lineControlNumber,
      })),
  }));
}

export interface Unmatched {
  eraClaimIndex: number;
  eraLineIndex: number | null;
  patientControlNumber: string;
  code: string | null;
  chargeCents: number;
  reason: string | null;
}

const unmatchedOf = (rem: Remittance, plan: PostingPlan): Unmatched[] =>
  plan.match.claims.flatMap((c): Unmatched[] => {
    const era = rem.claims[c.eraClaimIndex]!;
    if (!c.claimId)
      return [{ eraClaimIndex: c.eraClaimIndex, eraLineIndex: null, patientControlNumber: era.patientControlNumber, code: null, chargeCents: era.chargeCents, reason: c.reason }];
    return c.lines
      .filter((l) => !l.lineId)
      .map((l) => {
        const line = era.lines[l.eraLineIndex]!;
        return { eraClaimIndex: c.eraClaimIndex, eraLineIndex: l.eraLineIndex, patientControlNumber: era.patientControlNumber, code: (line.submittedProcedure ?? line.procedure).code, chargeCents: line.chargeCents, reason: l.reason };
      });
  });

function writePayment(
  w: Writer,
  store: Store,
  args: { fileId: string; index: number; rem: Remittance; plan: PostingPlan; status: EraPaymentStatus },
): string {
  const { rem, plan } = args;
  const seen = seenOf(rem);
  const id = uuidv7();
  const now = store.nowIso();
  w.insert('era_payments', {
    id,
    clinicId: store.requireClinicId(),
    fileId: args.fileId,
    remittanceIndex: args.index,
    traceKey: seen.traceKey,
    fingerprint: seen.fingerprint,
    payerName: rem.payer.name,
    paymentCents: plan.proof.paymentCents,
    paymentDate: rem.payment.date,
    status: args.status,
    blockedBecause: JSON.stringify(plan.blockedBecause),
    reviewBecause: JSON.stringify(plan.reviewBecause),
    proof: JSON.stringify(plan.proof),
    providerAdjustments: JSON.stringify(plan.providerAdjustments.map((p) => ({ kind: p.kind, reasonCode: p.reasonCode, reasonText: p.reasonText, reference: p.reference, amountCents: p.amountCents }))),
    unmatched: JSON.stringify(unmatchedOf(rem, plan)),
    createdBy: w.actor.userId,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

export function importEra(store: Store, actor: Actor, name: string, content: string, origin?: FileOrigin): EraImportResult {
  let file;
  try {
    file = parse835(content);
  } catch (e) {
    throw new AppError(400, 'invalid_file', `This is not a readable 835 file: ${(e as Error).message}`, { content: 'Choose an 835 remittance file.' });
  }
  if (!file.remittances.length) throw new AppError(400, 'invalid_file', 'The file holds no 835 remittance.', { content: 'Choose an 835 remittance file.' });
  const autoPost = getClearinghouseSettings(store)?.autoPostEra ?? true;
  const seen = store.orm
    .select({ traceKey: eraPayments.traceKey, fingerprint: eraPayments.fingerprint })
    .from(eraPayments)
    .where(and(eq(eraPayments.clinicId, store.requireClinicId()), ne(eraPayments.status, 'duplicate')))
    .all();
  const verdicts = checkDuplicates(file.remittances, seen);
  return store.write(actor, (w) => {
    const fileId = storeFile(w, store, { kind: 'x835', direction: 'inbound', name, content, origin, summary: { remittances: file.remittances.length } });
    const ledger = new ClaimLedger(w, store);
    const payments = file.remittances.map((rem, index) => {
      const v = verdicts[index]!;
      const plan = planPosting(rem, claimsForMatching(store, rem), { duplicate: v.kind === 'duplicate', traceConflict: v.kind === 'trace_conflict' });
      const status: EraPaymentStatus =
        v.kind === 'duplicate' ? 'duplicate' : !plan.postable ? 'refused' : plan.autoPostable && autoPost ? 'posted' : 'assisted';
      const eraPaymentId = writePayment(w, store, { fileId, index, rem, plan, status });
      const posted = status === 'posted' ? postPlan(w, store, ledger, { eraPaymentId, fileId, rem, plan }) : [];
      if (status === 'posted') w.update('era_payments', eraPaymentId, { postedAt: store.nowIso(), postedBy: actor.userId });
      return { eraPaymentId, status, paymentCents: plan.proof.paymentCents, blockedBecause: plan.blockedBecause, reviewBecause: plan.reviewBecause, claims: posted };
    });
    w.audit({ action: 'claims.file_import', detail: { fileId, kind: '835', payments: payments.map((p) => ({ id: p.eraPaymentId, status: p.status })) } });
    return { fileId, payments };
  });
}

export function eraPaymentRow(store: Store, id: string): EraPaymentRow {
  const row = store.orm.select().from(eraPayments).where(and(eq(eraPayments.id, id), eq(eraPayments.clinicId, store.requireClinicId()))).get();
  if (!row) throw new AppError(404, 'not_found', 'That remittance was not found.');
  return row;
}

export interface Resolution {
  eraClaimIndex: number;
  claimId: string;
  /** ERA line → our claim line, for the lines that did not match. */
  lines?: { eraLineIndex: number; claimLineId: string }[];
}

/**
 * The biller's answer for what did not match: each unmatched CLP names our claim, each unmatched SVC our
 * line. The plan is made again with those answers (the named line is presented to matching as the payer
 * described it, so it matches in the strict pass) and posts only when it is then complete and balanced.
 */
export function postAssisted(store: Store, actor: Actor, eraPaymentId: string, resolutions: Resolution[]): EraImportResult['payments'][number] {
  const payment = eraPaymentRow(store, eraPaymentId);
  if (payment.status !== 'assisted')
    throw new AppError(409, 'not_assisted', payment.status === 'posted' ? 'This remittance is already posted.' : 'This remittance cannot be posted.');
  const fileRow = store.orm.select().from(claimFiles).where(eq(claimFiles.id, payment.fileId)).get()!;
  const rem = parse835(fileRow.content).remittances[payment.remittanceIndex]!;
  const base = claimsForMatching(store, rem, resolutions.map((r) => r.claimId));
  for (const r of resolutions) {
    const era = rem.claims[r.eraClaimIndex];
    const ours = base.find((c) => c.claimId === r.claimId);
    if (!era || !ours) throw new AppError(400, 'invalid_input', 'A resolution names a claim that is not in this remittance or not ours.', { resolutions: 'Choose a claim for each unmatched remittance claim.' });
    if (ours.patientControlNumber.toUpperCase() !== era.patientControlNumber.trim().toUpperCase()) {
      // Another CLP01 for this claim (the payer mistyped it): matching by CLP01 then finds it.
      for (const other of base) if (other.patientControlNumber === ours.patientControlNumber && other !== ours) other.patientControlNumber = `~${other.claimId}`;
      ours.patientControlNumber = era.patientControlNumber.trim();
    }
    for (const l of r.lines ?? []) {
      const eraLine = era.lines[l.eraLineIndex];
      const line = ours.lines.find((x) => x.id === l.claimLineId);
      if (!eraLine || !line) throw new AppError(400, 'invalid_input', 'A resolution names a line that is not on the claim.', { resolutions: 'Choose one of the claim’s lines.' });
      const proc = eraLine.submittedProcedure ?? eraLine.procedure;
      Object.assign(line, {
        procedureCode: proc.code,
        modifiers: proc.modifiers,
        chargeCents: Math.abs(eraLine.chargeCents),
        serviceDate: eraLine.serviceDateFrom ?? line.serviceDate,
        lineControlNumber: eraLine.lineControlNumber || line.lineControlNumber,
      });
    }
  }
  const plan = planPosting(rem, base);
  if (!plan.postable || !plan.match.complete) {
    const message = plan.blockedBecause[0] ?? 'Some of the remittance still matches nothing; name a claim or line for each.';
    throw new AppError(409, 'not_postable', message);
  }
  return store.write(actor, (w) => {
    const posted = postPlan(w, store, new ClaimLedger(w, store), { eraPaymentId, fileId: payment.fileId, rem, plan });
    w.update('era_payments', eraPaymentId, {
      status: 'posted',
      postedAt: store.nowIso(),
      postedBy: actor.userId,
      unmatched: '[]',
      proof: JSON.stringify(plan.proof),
      updatedAt: store.nowIso(),
    });
    w.audit({ action: 'claims.era_post', detail: { eraPaymentId, claims: posted.length, resolutions: resolutions.length } });
    return { eraPaymentId, status: 'posted' as const, paymentCents: plan.proof.paymentCents, blockedBecause: [], reviewBecause: plan.reviewBecause, claims: posted };
  });
}

export const listEraPayments = (store: Store, status?: EraPaymentStatus) =>
  store.orm
    .select()
    .from(eraPayments)
    .where(and(eq(eraPayments.clinicId, store.requireClinicId()), status ? eq(eraPayments.status, status) : undefined))
    .orderBy(eraPayments.createdAt)
    .all();
