import { eq } from 'drizzle-orm';
import type { Adjustment, LineAdjudication, OtherCoverage } from '../../../domain/claims/x12/837p/model';
import { RELATIONSHIP_CODES } from '../../../domain/claims/from-visit';
import { claimLinePostings, eraPayments } from '../../db/schema';
import type { Store, Writer } from '../../db/store';
import { coverageFor, insertClaim, replanFromClaim } from './create';
import { claimContext } from './context';
import type { ClaimLedger } from './ledger';
import { claimLineRows, claimRow, recordEvent, type ClaimLineRow, type ClaimRow } from './rows';
import { payerForCoverage } from './setup';

/**
 * The secondary claim (docs/claims.md): made as soon as the primary's ERA posts, carrying the primary's
 * adjudication — claim-level paid amount and patient liability in 2320, each line's paid amount and CAS
 * adjustments in 2430 — read from what the ERA posting stored (claim_line_postings), so the secondary payer
 * sees exactly what we posted.
 */

const GROUP_OF: Record<string, Adjustment['group']> = { CO: 'CO', OA: 'OA', PI: 'PI', PR: 'PR', CR: 'CR' };

function postingsOf(store: Store, claimId: string) {
  return store.orm.select().from(claimLinePostings).where(eq(claimLinePostings.claimId, claimId)).all();
}

/** CAS groups of a set of postings: reversals net out (a reversed ERA's amounts come back negative). */
function adjustmentsOf(postings: ReturnType<typeof postingsOf>): Adjustment[] {
  const sums = new Map<string, number>();
  for (const p of postings) {
    if (p.kind === 'payer_payment' || !p.groupCode || !p.reasonCode) continue;
    const key = `${p.groupCode}|${p.reasonCode}`;
    sums.set(key, (sums.get(key) ?? 0) + p.amountCents);
  }
  const byGroup = new Map<string, Adjustment>();
  for (const [key, cents] of sums) {
    if (cents === 0) continue;
    const [group, reason] = key.split('|') as [string, string];
    const g = GROUP_OF[group] ?? 'OA';
    const adj = byGroup.get(g) ?? { group: g, reasons: [] };
    adj.reasons.push({ reason, amountCents: cents });
    byGroup.set(g, adj);
  }
  return [...byGroup.values()];
}

/** The primary's adjudication as the secondary claim reports it: the 2320 loop and each line's 2430. */
export function primaryAdjudication(
  store: Store,
  secondary: ClaimRow,
  secondaryLines: ClaimLineRow[],
): { otherCoverages: OtherCoverage[]; lineAdjudications: Map<string, LineAdjudication[]> } {
  const primary = claimRow(store, secondary.primaryClaimId!);
  const ctx = claimContext(store, primary, claimLineRows(store, primary.id));
  const postings = postingsOf(store, primary.id);
  const lastEra = postings.length
    ? store.orm.select().from(eraPayments).where(eq(eraPayments.id, postings[postings.length - 1]!.eraPaymentId)).get()
    : undefined;
  const date = lastEra?.paymentDate ?? primary.updatedAt.slice(0, 10);
  const cov = ctx.coverage!;
  const self = cov.subscriberRelationship === 'self';
  const payerId = ctx.payerElectronicId ?? '';
  const lineAdjudications = new Map<string, LineAdjudication[]>();
  for (const line of secondaryLines) {
    const ours = ctx.lines.find((l) => l.chargeLineId === line.chargeLineId);
    if (!ours) continue;
    const lp = postings.filter((p) => p.claimLineId === ours.id);
    lineAdjudications.set(line.id, [
      {
        payerId,
        paidCents: lp.filter((p) => p.kind === 'payer_payment').reduce((a, p) => a + p.amountCents, 0),
        procedureCode: ours.code,
        modifiers: JSON.parse(ours.modifiers) as string[],
        units: ours.units,
        adjustments: adjustmentsOf(lp),
        adjudicationDate: date,
      },
    ]);
  }
  return {
    otherCoverages: [
      {
        responsibility: primary.priority === 'secondary' ? 'S' : 'P',
        relationship: RELATIONSHIP_CODES[cov.subscriberRelationship as keyof typeof RELATIONSHIP_CODES],
        subscriber: {
          lastName: self ? ctx.patient.legalLastName : (cov.subscriberLastName ?? ''),
          firstName: self ? ctx.patient.legalFirstName : (cov.subscriberFirstName ?? ''),
          memberId: cov.memberId,
        },
        groupNumber: cov.groupNumber,
        claimFilingIndicator: ctx.payer.claimFilingIndicator,
        payer: { name: ctx.payer.name, payerId },
        paidCents: primary.paidCents,
        // Adjustments are reported per line (2430); claim-level CAS would count them twice.
        adjustments: [],
        remainingPatientLiabilityCents: primary.patientResponsibilityCents,
        adjudicationDate: date,
      },
    ],
    lineAdjudications,
  };
}

/**
 * After a primary claim is paid (fully or in part), the secondary claim for the lines it adjudicated, when
 * the patient has a secondary coverage in effect with a payer we know. Answers the new claim's id, or null.
 */
/** `lines`: the claim's lines when the caller has them already (ERA posting reads them in bulk). */
export function secondaryCoverageOf(store: Store, primary: ClaimRow, claimLines?: ClaimLineRow[]) {
  if (primary.priority !== 'primary') return null;
  const lines = (claimLines ?? claimLineRows(store, primary.id)).filter((l) => l.status !== 'replaced');
  if (!lines.length) return null;
  const coverage = coverageFor(store, primary.patientId, 'secondary', lines.map((l) => l.dateOfService).sort()[0]!);
  const payer = coverage ? payerForCoverage(store, coverage) : null;
  return coverage && payer ? { coverage, payer, lines } : null;
}

export function createSecondaryAfterPrimary(w: Writer, store: Store, ledger: ClaimLedger, primary: ClaimRow): string | null {
  const found = secondaryCoverageOf(store, primary);
  if (!found) return null;
  const { coverage, payer, lines } = found;
  const created = insertClaim(w, store, ledger, {
    planned: replanFromClaim(primary, lines),
    patientId: primary.patientId,
    encounterId: primary.encounterId,
    payerId: payer.id,
    coverageId: coverage.id,
    priority: 'secondary',
    primaryClaimId: primary.id,
    chargeEntryOf: () => '',
  });
  recordEvent(w, store, claimRow(store, primary.id), 'secondary_created', { detail: { secondaryClaimId: created.id } });
  return created.id;
}
