/**
 * The 835's arithmetic, checked to the cent before anything posts (the TR3's balancing rules):
 *  - transaction: BPR02 (negative when BPR03 is D, a debit) = ΣCLP04 − ΣPLB amounts;
 *  - claim: CLP03 − CLP04 = Σ CAS at claim level + Σ CAS at line level;
 *  - line: SVC02 − SVC03 = Σ CAS on the line;
 *  - claim vs lines: CLP04 = ΣSVC03 − Σ claim-level CAS (the lines' payments add up to the claim's);
 *  - CLP05, when sent, = Σ PR adjustments (a warning: the PR we move is the CAS sum either way).
 * A remittance with any error-level issue does not post (era-posting.ts refuses it).
 */
import { centsToInput } from '../../../contracts/billing/money';
import type { Remittance } from './era835';

export type BalanceIssue = {
  level: 'transaction' | 'claim' | 'line';
  severity: 'error' | 'warning';
  position: number;
  patientControlNumber: string | null;
  expectedCents: number;
  actualCents: number;
  message: string;
};

export type BalanceResult = { balanced: boolean; issues: BalanceIssue[] };

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** Amounts in messages as the 835 writes them (1922.86, -0.05), through the one cents formatter. */
const dollars = (c: number) => centsToInput(c);

/** The payment amount with its sign: a debit (BPR03 D) takes money from the provider. */
export function signedPaymentCents(rem: Remittance): number {
  return rem.payment.creditDebit === 'D' ? -rem.payment.amountCents : rem.payment.amountCents;
}

export function balanceRemittance(rem: Remittance): BalanceResult {
  const issues: BalanceIssue[] = [];
  const paid = sum(rem.claims.map((c) => c.paidCents));
  const plb = sum(rem.providerAdjustments.map((p) => p.amountCents));
  const payment = signedPaymentCents(rem);
  if (payment !== paid - plb)
    issues.push({
      level: 'transaction',
      severity: 'error',
      position: 0,
      patientControlNumber: null,
      expectedCents: paid - plb,
      actualCents: payment,
      message: `The payment (BPR02 ${dollars(payment)}) does not equal the claims' payments (${dollars(paid)}) minus the provider adjustments (${dollars(plb)}) = ${dollars(paid - plb)}.`,
    });

  for (const c of rem.claims) {
    const pcn = c.patientControlNumber;
    const claimCas = sum(c.adjustments.map((a) => a.amountCents));
    const lineCas = sum(c.lines.flatMap((l) => l.adjustments.map((a) => a.amountCents)));
    if (c.chargeCents - c.paidCents !== claimCas + lineCas)
      issues.push({
        level: 'claim',
        severity: 'error',
        position: c.position,
        patientControlNumber: pcn,
        expectedCents: c.chargeCents - c.paidCents,
        actualCents: claimCas + lineCas,
        message: `Claim at segment ${c.position}: charge ${dollars(c.chargeCents)} minus payment ${dollars(c.paidCents)} is ${dollars(c.chargeCents - c.paidCents)}, but its adjustments add up to ${dollars(claimCas + lineCas)}.`,
      });
    if (c.lines.length) {
      const linesPaid = sum(c.lines.map((l) => l.paidCents));
      if (linesPaid - claimCas !== c.paidCents)
        issues.push({
          level: 'claim',
          severity: 'error',
          position: c.position,
          patientControlNumber: pcn,
          expectedCents: c.paidCents,
          actualCents: linesPaid - claimCas,
          message: `Claim at segment ${c.position}: the lines pay ${dollars(linesPaid)} less claim-level adjustments ${dollars(claimCas)} = ${dollars(linesPaid - claimCas)}, not the claim's payment ${dollars(c.paidCents)}.`,
        });
    }
    for (const l of c.lines) {
      const cas = sum(l.adjustments.map((a) => a.amountCents));
      if (l.chargeCents - l.paidCents !== cas)
        issues.push({
          level: 'line',
          severity: 'error',
          position: l.position,
          patientControlNumber: pcn,
          expectedCents: l.chargeCents - l.paidCents,
          actualCents: cas,
          message: `Service line at segment ${l.position}: charge ${dollars(l.chargeCents)} minus payment ${dollars(l.paidCents)} is ${dollars(l.chargeCents - l.paidCents)}, but its adjustments add up to ${dollars(cas)}.`,
        });
    }
    if (c.patientResponsibilityCents !== null) {
      const pr = sum(
        [...c.adjustments, ...c.lines.flatMap((l) => l.adjustments)]
          .filter((a) => a.group === 'PR')
          .map((a) => a.amountCents),
      );
      if (pr !== c.patientResponsibilityCents)
        issues.push({
          level: 'claim',
          severity: 'warning',
          position: c.position,
          patientControlNumber: pcn,
          expectedCents: c.patientResponsibilityCents,
          actualCents: pr,
          message: `Claim at segment ${c.position}: CLP05 says the patient owes ${dollars(c.patientResponsibilityCents)}, the PR adjustments add up to ${dollars(pr)}.`,
        });
    }
  }
  return { balanced: !issues.some((i) => i.severity === 'error'), issues };
}
