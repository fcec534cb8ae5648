import type { LinePostingKind } from '../../../contracts/claims/records';
import { adjustmentGroupText, carcText } from '../../../domain/claims/inbound/codes';

/**
 * What each remittance said about one claim, as the claim page shows it (docs/claims.md "Claim page"):
 * billed, allowed (billed less the payer's non-patient adjustments), paid, every adjustment by CAS group and
 * reason with its text, and the patient's responsibility. Built from the claim's `claim_line_postings`
 * (every amount an ERA reported, including the ones that posted nothing), so it is the same proof the
 * ledger was written from. A reversal's entries are negated, so a reversed remittance nets to zero.
 */

export interface PostingForProof {
  eraPaymentId: string;
  kind: LinePostingKind;
  groupCode: string | null;
  reasonCode: string | null;
  amountCents: number;
  reversal: boolean;
}

export interface RemittanceOfClaim {
  eraPaymentId: string;
  payerName: string;
  paymentDate: string | null;
  fileName: string;
  receivedAt: string;
  reversal: boolean;
  billedCents: number;
  allowedCents: number;
  paidCents: number;
  patientResponsibilityCents: number;
  deniedCents: number;
  /** billed = paid + adjustments + patient responsibility, to the cent. */
  balanced: boolean;
  adjustments: { group: string; groupText: string; reasonCode: string; reasonText: string; amountCents: number }[];
}

export function remittancesOfClaim(
  postings: PostingForProof[],
  payments: Map<string, { payerName: string; paymentDate: string | null; fileName: string; receivedAt: string }>,
  billedOf: (eraPaymentId: string) => number,
): RemittanceOfClaim[] {
  // A reversal and its correction usually come in the same remittance: each is shown on its own.
  const keyOf = (p: PostingForProof) => `${p.eraPaymentId}:${p.reversal ? 'reversal' : 'claim'}`;
  const order = [...new Map(postings.map((p) => [keyOf(p), p] as const)).values()];
  return order.map(({ eraPaymentId, reversal }) => {
    const mine = postings.filter((p) => p.eraPaymentId === eraPaymentId && p.reversal === reversal);
    const sum = (pred: (p: PostingForProof) => boolean) => mine.filter(pred).reduce((a, p) => a + p.amountCents, 0);
    const adjustments = new Map<string, RemittanceOfClaim['adjustments'][number]>();
    for (const p of mine) {
      if (p.kind === 'payer_payment') continue;
      const group = p.groupCode ?? '';
      const reasonCode = p.reasonCode ?? '';
      const key = `${group}-${reasonCode}`;
      const a = adjustments.get(key) ?? {
        group,
        groupText: group ? adjustmentGroupText(group) : '',
        reasonCode,
        reasonText: reasonCode ? carcText(reasonCode) : 'No reason given',
        amountCents: 0,
      };
      a.amountCents += p.amountCents;
      adjustments.set(key, a);
    }
    const billedCents = reversal ? -Math.abs(billedOf(eraPaymentId)) : billedOf(eraPaymentId);
    const meta = payments.get(eraPaymentId);
    const paidCents = sum((p) => p.kind === 'payer_payment');
    const patientResponsibilityCents = sum((p) => p.kind === 'patient_responsibility');
    // CO, PI, OA, denials and the prior payer's adjudication: what the payer took off before the patient's share.
    const payerAdjusted = sum((p) => p.kind !== 'payer_payment' && p.kind !== 'patient_responsibility');
    return {
      eraPaymentId,
      payerName: meta?.payerName ?? '',
      paymentDate: meta?.paymentDate ?? null,
      fileName: meta?.fileName ?? '',
      receivedAt: meta?.receivedAt ?? '',
      reversal,
      billedCents,
      allowedCents: billedCents - payerAdjusted,
      paidCents,
      patientResponsibilityCents,
      deniedCents: sum((p) => p.kind === 'denial'),
      balanced: billedCents === paidCents + payerAdjusted + patientResponsibilityCents,
      adjustments: [...adjustments.values()].filter((a) => a.amountCents !== 0),
    };
  });
}
