import type { PostingResult } from '../../../server/contracts/billing/ledger';
import { CardPaymentPanel } from './cards/CardPaymentPanel';

export interface CardPaymentSlotProps {
  patientId: string;
  appointmentId: string | null;
  /** The amount typed in the payment form (0 while it is not a valid amount). */
  amountCents: number;
  /** Called with the posted payment once central reports the card payment succeeded. */
  onPaid: (result: PostingResult) => void;
}

/**
 * Where a card payment is taken: the card reader at the desk, a payment link, or a saved card, through the
 * card processor at central (docs/billing.md, "Cards (Stripe)"; the panel is in ./cards/). Without central
 * the panel says that card payments need the central server; cash and check work offline as before.
 */
export function CardPaymentSlot({ patientId, amountCents, onPaid }: CardPaymentSlotProps) {
  return (
    <div className="card-slot" data-testid="card-payment-slot">
      <CardPaymentPanel patientId={patientId} amountCents={amountCents} onPaid={onPaid} />
    </div>
  );
}
