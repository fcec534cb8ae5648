import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '../../../platform/ids';
import { formatCents } from '../../../contracts/billing/money';
import type { ClaimStatus, LinePostingKind } from '../../../contracts/claims/records';
import type { Remittance } from '../../../domain/claims/inbound/era835';
import { splitSigned, type PostingEntry, type PostingPlan } from '../../../domain/claims/inbound/era-posting';
import { chargeLines, claimLinePostings } from '../../db/schema';
import type { Store, Writer } from '../../db/store';
import { deferLedgerSummary } from '../billing/ledger-summary';
import type { ClaimLedger } from './ledger';
import {
  claimLineRows,
  claimLineRowsByClaim,
  claimRow,
  claimRowsByIds,
  inJson,
  moveClaim,
  type ClaimLineRow,
  type ClaimRow,
} from './rows';
import { createSecondaryAfterPrimary, secondaryCoverageOf } from './secondary';

/**
 * Writing a posting plan (domain/claims/inbound/era-posting.ts) into the ledger, exact to the cent and
 * append-only (docs/claims.md "Posting"). Per claim line, in this order: the payer's payment (an insurance
 * payment applied to the line's charge), contractual write-offs (CO), payer reductions and other
 * adjustments (PI, OA), then the patient's share (PR) moved from insurance to the patient — unless a
 * secondary payer is next, which then bills it. Each step takes at most what insurance still has open on the
 * charge: what a patient already paid at the desk stays theirs (a copay paid at check-in covers the PR it
 * was for). Denials post nothing: they go to the denials worklist. A reversal (CLP02 22) reverses the
 * entries the earlier ERA posted for the claim, before its correction posts.
 *
 * Every amount, including the ones that post nothing, is kept in `claim_line_postings` with its CAS group
 * and reason: that is the claim's proof, the denials worklist and the secondary claim's 2430 loops.
 */

export interface PostedClaim {
  claimId: string;
  status: ClaimStatus;
  paidCents: number;
  patientResponsibilityCents: number;
  secondaryClaimId: string | null;
  /** Amounts the ledger could not take whole (what insurance had open on the charge was less). */
  notes: string[];
}

/** The ledger charge entry of each charge line (what a claim line's money applies to), read in one query. */
function chargeEntriesOf(store: Store, chargeLineIds: readonly string[]): Map<string, string | null> {
  if (!chargeLineIds.length) return new Map();
  const rows = store.orm
    .select({ id: chargeLines.id, entryId: chargeLines.ledgerEntryId })
    .from(chargeLines)
    .where(inJson(chargeLines.id, chargeLineIds))
    .all();
  return new Map(rows.map((r) => [r.id, r.entryId]));
}

const ORDER: Record<LinePostingKind, number> = {
  payer_payment: 0,
  contractual_writeoff: 1,
  payer_reduction: 2,
  other_adjustment: 3,
  prior_payer_adjudication: 4,
  patient_responsibility: 5,
  denial: 6,
};

/** Claim-level entries (an ERA claim without SVC lines) spread over our lines by charge. */
function onLines(entries: PostingEntry[], lines: ClaimLineRow[]): (PostingEntry & { lineId: string | null })[] {
  return entries.flatMap((e) => {
    if (e.lineId || !lines.length) return [e];
    const parts = splitSigned(e.amountCents, lines.map((l) => l.chargeCents));
    return lines.map((l, i) => ({ ...e, lineId: l.id, amountCents: parts[i]! })).filter((x) => x.amountCents !== 0);
  });
}

type PostInput = { eraPaymentId: string; fileId: string; rem: Remittance; plan: PostingPlan };

/**
 * Posts one remittance's plan inside the caller's write. The ledger summary the aging report reads is
 * brought up to date once for the whole remittance, not once per ledger entry (services/billing/ledger-summary.ts).
 */
export function postPlan(w: Writer, store: Store, ledger: ClaimLedger, input: PostInput): PostedClaim[] {
  return deferLedgerSummary(store, () => postEach(w, store, ledger, input));
}

function postEach(w: Writer, store: Store, ledger: ClaimLedger, input: PostInput): PostedClaim[] {
  const { rem, plan } = input;
  const out: PostedClaim[] = [];
  const method = rem.payment.method === 'CHK' ? ('check' as const) : ('other' as const);
  const checkNumber = method === 'check' ? rem.trace.number.replace(/[^A-Za-z0-9-]/g, '').slice(0, 30) || null : null;
  const memo = `ERA ${rem.trace.number}`.slice(0, 500);
  const now = store.nowIso();
  // The plan's entries by ERA claim, once (filtering the whole plan per claim is quadratic: 10,000 claims).
  const entriesOf = new Map<number, PostingEntry[]>();
  for (const e of plan.entries) {
    const list = entriesOf.get(e.eraClaimIndex);
    if (list) list.push(e);
    else entriesOf.set(e.eraClaimIndex, [e]);
  }
  // The matched claims, their lines and their charges' ledger entries in three queries, not three per
  // claim. A claim named twice (a reversal, then its correction) is read again after its first posting.
  const matchedIds = [...new Set(plan.match.claims.map((c) => c.claimId).filter((id): id is string => !!id))];
  const claimsById = claimRowsByIds(store, matchedIds);
  const linesByClaim = claimLineRowsByClaim(store, matchedIds);
  const chargeEntry = chargeEntriesOf(store, [...linesByClaim.values()].flat().map((l) => l.chargeLineId));
  const posted = new Set<string>();

  rem.claims.forEach((eraClaim, idx) => {
    const claimId = plan.match.claims[idx]?.claimId;
    if (!claimId) return;
    const again = posted.has(claimId);
    posted.add(claimId);
    const claim = (!again && claimsById.get(claimId)) || claimRow(store, claimId);
    const lines = (!again && linesByClaim.get(claimId)) || claimLineRows(store, claimId);
    const chargeEntryOf = (chargeLineId: string) =>
      chargeEntry.has(chargeLineId)
        ? chargeEntry.get(chargeLineId)!
        : (chargeEntriesOf(store, [chargeLineId]).get(chargeLineId) ?? null);
    // One audit entry for what this claim's answer posts to the patient's ledger (ClaimLedger.grouped).
    ledger.grouped({ eraPaymentId: input.eraPaymentId, claimId, clp02: eraClaim.status }, () =>
      postClaim(claim, lines, eraClaim, idx, chargeEntryOf),
    );
  });
  return out;

  function postClaim(
    claim: ClaimRow,
    lines: ClaimLineRow[],
    eraClaim: Remittance['claims'][number],
    idx: number,
    chargeEntryOf: (chargeLineId: string) => string | null,
  ): void {
    const claimId = claim.id;
    const entries = onLines(entriesOf.get(idx) ?? [], lines);
    const notes: string[] = [];
    const record = (e: PostingEntry, lineId: string | null, ledgerEntryId: string | null) =>
      w.insert('claim_line_postings', {
        id: uuidv7(),
        clinicId: store.requireClinicId(),
        eraPaymentId: input.eraPaymentId,
        claimId,
        claimLineId: lineId,
        patientId: claim.patientId,
        kind: e.kind,
        groupCode: e.group,
        reasonCode: e.reasonCode,
        amountCents: e.amountCents,
        reversal: e.reversal,
        ledgerEntryId,
        createdAt: now,
        updatedAt: now,
      });

    if (entries.some((e) => e.reversal)) {
      reverseEarlierPostings(store, ledger, claim);
      for (const e of entries) record(e, e.lineId, null);
      // The claim waits for its correction (the next CLP of the same remittance, as a rule).
      moveClaim(w, store, claim, 'era_reversal', 'accepted', {
        fileId: input.fileId,
        detail: { eraPaymentId: input.eraPaymentId, reversedPaidCents: claim.paidCents },
        patch: { paidCents: 0, patientResponsibilityCents: 0, adjustedCents: 0 },
      });
      for (const l of lines) w.update('claim_lines', l.id, { status: 'open', paidCents: 0, updatedAt: now });
      out.push({ claimId, status: 'accepted', paidCents: 0, patientResponsibilityCents: 0, secondaryClaimId: null, notes });
      return;
    }

    const secondaryNext = secondaryCoverageOf(store, claim, lines) !== null;
    const byLine = new Map<string, { paid: number; denied: number }>();
    for (const e of [...entries].sort((a, b) => ORDER[a.kind] - ORDER[b.kind])) {
      const line = lines.find((l) => l.id === e.lineId);
      const charge = line ? chargeEntryOf(line.chargeLineId) : null;
      const tally = byLine.get(e.lineId ?? '') ?? { paid: 0, denied: 0 };
      byLine.set(e.lineId ?? '', tally);
      let ledgerId: string | null = null;
      if (e.kind === 'payer_payment') tally.paid += e.amountCents;
      if (e.kind === 'denial') tally.denied += e.amountCents;
      if (charge && e.amountCents > 0) {
        const open = ledger.open(claim.patientId, charge).insurance;
        const base = { patientId: claim.patientId, encounterId: claim.encounterId, memo };
        if (e.kind === 'payer_payment') {
          ledgerId = ledger.post({ ...base, kind: 'payment', responsibility: 'insurance', amountCents: e.amountCents, method, checkNumber });
          const apply = Math.min(e.amountCents, open);
          if (apply > 0) ledger.account(claim.patientId).allocate(ledgerId, [{ chargeEntryId: charge, amountCents: apply }], false);
          if (apply < e.amountCents) notes.push(`${formatCents(e.amountCents - apply)} of the payment on ${line!.code} is more than insurance had open; it is kept as credit.`);
        } else if (e.kind === 'contractual_writeoff' || e.kind === 'payer_reduction' || e.kind === 'other_adjustment' || e.kind === 'patient_responsibility') {
          const toPatient = e.kind === 'patient_responsibility';
          if (toPatient && secondaryNext) {
            // The secondary payer bills this share; it stays with insurance until that payer answers.
          } else {
            const amount = Math.min(e.amountCents, open);
            if (amount > 0)
              ledgerId = ledger.post(
                toPatient
                  ? { ...base, kind: 'transfer', responsibility: 'patient', transferFrom: 'insurance', amountCents: amount, appliesToEntryId: charge }
                  : { ...base, kind: e.kind === 'contractual_writeoff' ? 'write_off' : 'adjustment', responsibility: 'insurance', amountCents: amount, appliesToEntryId: charge },
              );
            if (amount < e.amountCents)
              notes.push(`${e.group}-${e.reasonCode} on ${line!.code}: only ${formatCents(amount)} of ${formatCents(e.amountCents)} was still with insurance.`);
          }
        }
      }
      record(e, e.lineId, ledgerId);
    }

    const sum = (k: LinePostingKind) => entries.filter((e) => e.kind === k).reduce((a, e) => a + e.amountCents, 0);
    const paidCents = sum('payer_payment');
    const denied = sum('denial');
    const status: ClaimStatus = eraClaim.status === '4' || (paidCents === 0 && denied > 0) ? 'denied' : denied > 0 ? 'partially_paid' : 'paid';
    for (const l of lines) {
      const t = byLine.get(l.id);
      if (!t) continue;
      const lineStatus = t.denied > 0 ? (t.paid > 0 ? 'partially_paid' : 'denied') : 'paid';
      w.update('claim_lines', l.id, { status: lineStatus, paidCents: t.paid, updatedAt: now });
    }
    moveClaim(w, store, claim, 'era', status, {
      fileId: input.fileId,
      detail: {
        eraPaymentId: input.eraPaymentId,
        clp02: eraClaim.status,
        billedCents: eraClaim.chargeCents,
        paidCents,
        patientResponsibilityCents: sum('patient_responsibility'),
        deniedCents: denied,
        notes,
      },
      patch: {
        paidCents,
        patientResponsibilityCents: sum('patient_responsibility'),
        adjustedCents: sum('contractual_writeoff') + sum('payer_reduction') + sum('other_adjustment') + denied,
        ...(eraClaim.payerClaimControlNumber ? { payerClaimNumber: eraClaim.payerClaimControlNumber } : {}),
      },
    });
    // Only a claim with a secondary payer next makes one (createSecondaryAfterPrimary asks again, with the
    // claim and lines as just updated).
    const secondaryClaimId =
      secondaryNext && (status === 'paid' || status === 'partially_paid')
        ? createSecondaryAfterPrimary(w, store, ledger, claimRow(store, claimId))
        : null;
    out.push({ claimId, status, paidCents, patientResponsibilityCents: sum('patient_responsibility'), secondaryClaimId, notes });
  }
}

/** Undo what earlier ERAs posted for a claim: un-apply and reverse its payments, reverse its adjustments. */
function reverseEarlierPostings(store: Store, ledger: ClaimLedger, claim: ClaimRow): void {
  const rows = store.orm
    .select()
    .from(claimLinePostings)
    .where(and(eq(claimLinePostings.claimId, claim.id), eq(claimLinePostings.reversal, false)))
    .all()
    .filter((r) => r.ledgerEntryId);
  const account = ledger.account(claim.patientId);
  // Newest first: the patient's share, then write-offs, then the payment they followed.
  for (const r of rows.reverse()) {
    const entry = account.entry(r.ledgerEntryId!);
    if (!entry || account.state.reversedBy.has(entry.id)) continue;
    if (entry.kind === 'payment')
      for (const a of account.liveAllocations((x) => x.paymentEntryId === entry.id)) account.unallocate(a.id);
    ledger.post({
      patientId: claim.patientId,
      kind: 'reversal',
      responsibility: entry.responsibility,
      amountCents: entry.amountCents,
      reversesEntryId: entry.id,
      memo: 'ERA reversal',
    });
  }
}
