/**
 * The posting plan of one remittance: every cent of the 835 turned into a typed entry the ledger writes
 * (append-only), exact to the cent and only when the remittance balances.
 *
 * Per service line (or per claim when the payer remitted at claim level only):
 *  - `payer_payment`          SVC03 / CLP04, the insurer's money;
 *  - `contractual_writeoff`   CO adjustments (the provider's contract: written off);
 *  - `payer_reduction`        PI adjustments (payer-initiated: written off);
 *  - `other_adjustment`       OA adjustments other than OA-23 (written off, shown separately);
 *  - `prior_payer_adjudication` OA-23 on a secondary/tertiary claim: the primary's payment and adjustments,
 *                             already posted from the primary's ERA, so it is shown and never posted again;
 *  - `patient_responsibility` PR adjustments: moved from the insurer's balance to the patient's;
 *  - `denial`                 the non-PR adjustments of a denied line (CLP02 4, or paid 0 with nothing
 *                             allowed): not written off here but sent to the denials worklist, because a
 *                             denial is worked (corrected, appealed, billed or written off with permission).
 * Claim-level CAS on a claim with lines, and every amount of a claim remitted without lines, is spread over
 * the lines in proportion to their charges by largest remainder (exact to the cent); on a claim with lines
 * the claim-level CAS also comes out of the lines' payments, since CLP04 = ΣSVC03 − claim-level CAS. A reversal (CLP02 22)
 * yields the same entries with the payer's negated amounts, flagged `reversal`, in file order before its
 * correction, so reversing and re-posting nets to the correction.
 * PLB provider adjustments stay at payment level (interest, recoupment, forward balance …), never on a
 * patient.
 *
 * Invariants (property-tested): for every claim the entries add up to CLP03; the payer_payment entries add
 * up to ΣCLP04; ΣCLP04 − ΣPLB = BPR02 for any plan that is `postable`.
 */
import { splitLargestRemainder } from '../../billing/allocation';
import { balanceRemittance, type BalanceIssue, signedPaymentCents } from './era-balance';
import type { Adjustment, EraClaim, ProviderAdjustment, Remittance } from './era835';
import type { ClaimForMatching, RemittanceMatch } from './era-match';
import { matchRemittance } from './era-match';
import type { Finding } from './interchange';

export type PostingKind =
  | 'payer_payment'
  | 'contractual_writeoff'
  | 'payer_reduction'
  | 'other_adjustment'
  | 'prior_payer_adjudication'
  | 'patient_responsibility'
  | 'denial';

export type PostingEntry = {
  kind: PostingKind;
  /** Index of the CLP in the remittance. */
  eraClaimIndex: number;
  claimId: string | null;
  lineId: string | null;
  amountCents: number;
  group: string | null;
  reasonCode: string | null;
  reasonText: string | null;
  reversal: boolean;
  /** Segment position it came from (the CAS, SVC or CLP). */
  position: number;
};

export type PlbKind = 'interest' | 'recoupment' | 'forward_balance' | 'other';

export type ProviderAdjustmentPlan = ProviderAdjustment & { kind: PlbKind };

export type Proof = {
  billedCents: number;
  /** Billed less CO/PI/OA/denied amounts = paid + patient responsibility. */
  allowedCents: number;
  /** Σ AMT*B6 over the lines that sent it, or null when none did. */
  reportedAllowedCents: number | null;
  paidCents: number;
  /** Non-patient adjustments: write-offs, payer reductions, other, prior payer, denials. */
  adjustmentsCents: number;
  contractualCents: number;
  deniedCents: number;
  patientResponsibilityCents: number;
  providerAdjustmentsCents: number;
  /** Interest the payer added (PLB L6, shown positive). */
  interestCents: number;
  /** Money the payer took back (PLB WO, 72, and positive FB). */
  recoupedCents: number;
  forwardBalanceCents: number;
  paymentCents: number;
};

export type PostingPlan = {
  /** The remittance balances, is 5010 and had no content errors: it may post (possibly after review). */
  postable: boolean;
  /** …and every claim and line matched, and nothing needs a look: it may post without a person. */
  autoPostable: boolean;
  blockedBecause: string[];
  reviewBecause: string[];
  balanceIssues: BalanceIssue[];
  match: RemittanceMatch;
  entries: PostingEntry[];
  providerAdjustments: ProviderAdjustmentPlan[];
  proof: Proof;
};

/** Sum of cents; `0` rather than `-0` so a proof never prints "-0.00". */
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) || 0;

/** Splits a signed amount over non-negative weights, exact to the cent. */
export function splitSigned(amountCents: number, weights: readonly number[]): number[] {
  // Fast paths for what almost every claim is: nothing to split, or one line.
  if (amountCents === 0) return weights.map(() => 0);
  if (weights.length === 1) return [amountCents];
  const w = weights.some((x) => x > 0) ? weights : weights.map(() => 1);
  const abs = Math.abs(amountCents);
  const total = w.reduce((a, b) => a + b, 0);
  let parts: number[];
  if (abs * total <= Number.MAX_SAFE_INTEGER) {
    // Largest remainder in exact integer arithmetic (the products stay below 2^53).
    parts = w.map((x) => Math.floor((abs * x) / total));
    let left = abs - parts.reduce((a, b) => a + b, 0);
    const order = w.map((x, i) => ({ i, r: (abs * x) % total })).sort((a, b) => b.r - a.r || a.i - b.i);
    for (const { i } of order) {
      if (left === 0) break;
      parts[i]! += 1;
      left--;
    }
  } else parts = splitLargestRemainder(abs, w);
  return amountCents < 0 ? parts.map((p) => (p === 0 ? 0 : -p)) : parts;
}

function plbKind(p: ProviderAdjustment): PlbKind {
  if (p.reasonCode === 'L6') return 'interest';
  if (p.reasonCode === 'FB') return 'forward_balance';
  if (p.reasonCode === 'WO' || p.reasonCode === '72' || p.reasonCode === 'WU') return 'recoupment';
  return 'other';
}

function adjustmentKind(a: Adjustment, claim: EraClaim, denied: boolean): PostingKind {
  if (a.group === 'PR') return 'patient_responsibility';
  if (denied) return 'denial';
  if (a.group === 'OA' && a.reasonCode === '23' && claim.status !== '1' && claim.status !== '19')
    return 'prior_payer_adjudication';
  if (a.group === 'CO') return 'contractual_writeoff';
  if (a.group === 'PI') return 'payer_reduction';
  return 'other_adjustment';
}

/** A line (or claim) is denied when the payer paid nothing and allowed nothing to the patient either. */
function isDenied(
  claim: EraClaim,
  paid: number,
  adjustments: readonly Adjustment[],
  charge: number,
): boolean {
  if (claim.status === '4') return true;
  return paid === 0 && charge !== 0 && !adjustments.some((a) => a.group === 'PR' && a.amountCents !== 0);
}

type Unit = { lineId: string | null; weight: number };

function claimEntries(
  claim: EraClaim,
  idx: number,
  claimId: string | null,
  lineIds: (string | null)[],
  ourLines: { id: string; chargeCents: number }[],
): PostingEntry[] {
  const out: PostingEntry[] = [];
  const reversal = claim.status === '22';
  const push = (
    kind: PostingKind,
    lineId: string | null,
    amountCents: number,
    position: number,
    a?: Adjustment,
  ) => {
    if (amountCents === 0) return;
    // One object shape for every entry (no spreads): tens of thousands are made per large ERA.
    out.push({
      kind,
      eraClaimIndex: idx,
      claimId,
      reversal,
      lineId,
      amountCents,
      group: a?.group ?? null,
      reasonCode: a?.reasonCode ?? null,
      reasonText: a?.reasonText ?? null,
      position,
    } satisfies PostingEntry);
  };
  // Where claim-level amounts go: the ERA's lines when it sent them, else our claim's lines.
  const units: Unit[] = claim.lines.length
    ? claim.lines.map((l, i) => ({ lineId: lineIds[i] ?? null, weight: Math.abs(l.chargeCents) }))
    : ourLines.length && claimId
      ? ourLines.map((l) => ({ lineId: l.id, weight: Math.abs(l.chargeCents) }))
      : [{ lineId: null, weight: 1 }];
  const spread = (amount: number) =>
    splitSigned(
      amount,
      units.map((u) => u.weight),
    );

  // With lines, CLP04 = ΣSVC03 − claim-level CAS: the claim-level adjustments come out of the lines' payments
  // (e.g. SVC03 500.00 less a claim-level CO-A2 50.00 is 450.00 received), in the same proportions.
  const claimCasShares = spread(claim.adjustments.reduce((a, x) => a + x.amountCents, 0));
  claim.lines.forEach((l, i) => {
    const denied = isDenied(claim, l.paidCents, l.adjustments, l.chargeCents);
    push('payer_payment', lineIds[i] ?? null, l.paidCents - claimCasShares[i]!, l.position);
    for (const a of l.adjustments)
      push(adjustmentKind(a, claim, denied), lineIds[i] ?? null, a.amountCents, a.position, a);
  });
  if (!claim.lines.length) {
    const shares = spread(claim.paidCents);
    units.forEach((u, i) => push('payer_payment', u.lineId, shares[i]!, claim.position));
  }
  const claimDenied = claim.lines.length
    ? claim.status === '4'
    : isDenied(claim, claim.paidCents, claim.adjustments, claim.chargeCents);
  for (const a of claim.adjustments) {
    const shares = spread(a.amountCents);
    units.forEach((u, i) => push(adjustmentKind(a, claim, claimDenied), u.lineId, shares[i]!, a.position, a));
  }
  return out;
}

export type PlanOptions = {
  /** Findings of the file's envelope (SE01 count, ISA/IEA …): they send the plan to review, not refusal. */
  envelopeFindings?: readonly Finding[];
  /** The remittance duplicates one already posted (era-duplicates.ts). */
  duplicate?: boolean;
  /** Its trace was already received with other amounts: a person compares before posting. */
  traceConflict?: boolean;
};

export function planPosting(
  rem: Remittance,
  claims: readonly ClaimForMatching[],
  options: PlanOptions = {},
): PostingPlan {
  const balance = balanceRemittance(rem);
  const match = matchRemittance(rem, claims);
  const blockedBecause: string[] = [];
  const reviewBecause: string[] = [];
  if (options.duplicate)
    blockedBecause.push('This remittance (same trace number and content) was already posted.');
  if (options.traceConflict)
    reviewBecause.push(
      'A remittance with this trace number was already received with different amounts; compare them.',
    );
  for (const i of balance.issues) (i.severity === 'error' ? blockedBecause : reviewBecause).push(i.message);
  for (const f of rem.findings) (f.severity === 'error' ? blockedBecause : reviewBecause).push(f.message);
  for (const f of options.envelopeFindings ?? []) reviewBecause.push(f.message);
  const unmatchedClaims = match.claims.filter((c) => c.claimId === null).length;
  const unmatchedLines = match.claims.reduce(
    (n, c) => n + (c.claimId ? c.lines.filter((l) => l.lineId === null).length : 0),
    0,
  );
  if (unmatchedClaims) reviewBecause.push(`${unmatchedClaims} claim(s) in the remittance match no claim.`);
  if (unmatchedLines) reviewBecause.push(`${unmatchedLines} service line(s) match no claim line.`);

  const byId = new Map(claims.map((c) => [c.claimId, c]));
  const entries: PostingEntry[] = [];
  rem.claims.forEach((claim, idx) => {
    const m = match.claims[idx]!;
    const ours = m.claimId ? (byId.get(m.claimId)?.lines ?? []) : [];
    entries.push(
      ...claimEntries(
        claim,
        idx,
        m.claimId,
        m.lines.map((l) => l.lineId),
        ours,
      ),
    );
  });

  const providerAdjustments = rem.providerAdjustments.map((p) => ({ ...p, kind: plbKind(p) }));
  const of = (k: PostingKind) => sum(entries.filter((e) => e.kind === k).map((e) => e.amountCents));
  const billed = sum(rem.claims.map((c) => c.chargeCents));
  const paid = sum(rem.claims.map((c) => c.paidCents));
  const pr = of('patient_responsibility');
  const nonPr = sum(
    entries
      .filter((e) => e.kind !== 'patient_responsibility' && e.kind !== 'payer_payment')
      .map((e) => e.amountCents),
  );
  const allowedLines = rem.claims.flatMap((c) => c.lines).filter((l) => l.allowedCents !== null);
  const plb = (k: PlbKind) => sum(providerAdjustments.filter((p) => p.kind === k).map((p) => p.amountCents));
  const proof: Proof = {
    billedCents: billed,
    allowedCents: billed - nonPr,
    reportedAllowedCents: allowedLines.length ? sum(allowedLines.map((l) => l.allowedCents!)) : null,
    paidCents: paid,
    adjustmentsCents: nonPr,
    contractualCents: of('contractual_writeoff'),
    deniedCents: of('denial'),
    patientResponsibilityCents: pr,
    providerAdjustmentsCents: sum(providerAdjustments.map((p) => p.amountCents)),
    interestCents: 0 - plb('interest'),
    recoupedCents: plb('recoupment'),
    forwardBalanceCents: plb('forward_balance'),
    paymentCents: signedPaymentCents(rem),
  };
  const postable = blockedBecause.length === 0;
  return {
    postable,
    autoPostable: postable && match.complete && reviewBecause.length === 0,
    blockedBecause,
    reviewBecause,
    balanceIssues: balance.issues,
    match,
    entries,
    providerAdjustments,
    proof,
  };
}
