import { and, eq, inArray } from 'drizzle-orm';
import type { EraPaymentStatus } from '../../../contracts/claims/records';
import { claims } from '../../db/schema';
import type { Store } from '../../db/store';
import { listEraPayments, type Unmatched } from './era';

/**
 * Remittances as the assisted-posting worklist shows them: the stored proof, provider adjustments and what
 * did not match. An unmatched line whose claim did match (by CLP01) names that claim, so the biller only
 * has to choose the line.
 */
export function eraWorklist(store: Store, status?: EraPaymentStatus) {
  const rows = listEraPayments(store, status);
  const unmatched = new Map(rows.map((p) => [p.id, JSON.parse(p.unmatched) as Unmatched[]]));
  const pcns = [...new Set([...unmatched.values()].flat().filter((u) => u.eraLineIndex !== null).map((u) => u.patientControlNumber.trim().toUpperCase()))];
  const byPcn = new Map(
    (pcns.length
      ? store.orm
          .select({ id: claims.id, pcn: claims.patientControlNumber })
          .from(claims)
          .where(and(eq(claims.clinicId, store.requireClinicId()), inArray(claims.patientControlNumber, pcns)))
          .all()
      : []
    ).map((c) => [c.pcn, c.id]),
  );
  return rows.map((p) => ({
    id: p.id,
    payerName: p.payerName,
    paymentCents: p.paymentCents,
    paymentDate: p.paymentDate,
    status: p.status,
    blockedBecause: JSON.parse(p.blockedBecause) as string[],
    reviewBecause: JSON.parse(p.reviewBecause) as string[],
    proof: JSON.parse(p.proof) as Record<string, number | null>,
    providerAdjustments: JSON.parse(p.providerAdjustments) as { kind: string; reasonCode: string; reasonText: string; reference: string; amountCents: number }[],
    unmatched: unmatched.get(p.id)!.map((u) => ({
      ...u,
      claimId: u.eraLineIndex === null ? null : (byPcn.get(u.patientControlNumber.trim().toUpperCase()) ?? null),
    })),
    createdAt: p.createdAt,
    postedAt: p.postedAt,
  }));
}
