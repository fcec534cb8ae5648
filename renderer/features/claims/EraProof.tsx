import { formatCents } from '../billing/billing-format';

/** A remittance's proof as stored with it (era-posting.ts `Proof`): the figures a biller checks before posting. */
const rows: [key: string, label: string][] = [
  ['billedCents', 'Billed'],
  ['allowedCents', 'Allowed'],
  ['paidCents', 'Paid'],
  ['contractualCents', 'Contractual'],
  ['adjustmentsCents', 'All payer adjustments'],
  ['deniedCents', 'Denied'],
  ['patientResponsibilityCents', 'Patient responsibility'],
  ['providerAdjustmentsCents', 'Provider adjustments (PLB)'],
  ['paymentCents', 'Payment'],
];

export function EraProof({ proof }: { proof: Record<string, number | null> }) {
  return (
    <dl className="claim-facts era-proof" data-testid="era-proof">
      {rows.map(([key, label]) =>
        typeof proof[key] === 'number' ? (
          <div key={key}>
            <dt>{label}</dt>
            <dd className="num">{formatCents(proof[key])}</dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}
