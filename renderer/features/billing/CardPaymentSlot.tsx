import type { PostingResult } from '../../../server/contracts/billing/ledger';
import { Alert } from '../../ui/Alert';
import { formatCents } from './billing-format';

export interface CardPaymentSlotProps {
  patientId: string;
  appointmentId: string | null;
  /** The amount typed in the payment form (0 while it is not a valid amount). */
  amountCents: number;
  /** Called with the posted payment once central reports the card payment succeeded. */
  onPaid: (result: PostingResult) => void;
}

/**
 * Where a card payment is taken: the card reader at the desk or a payment link, through the card processor
 * at central (docs/billing.md, "Cards (Stripe)"). This is the seam the card-payment work fills in; until it
 * is wired the slot says so, and cash, check and recorded card payments work offline as before.
 */
export function CardPaymentSlot({ amountCents }: CardPaymentSlotProps) {
  return (
    <div className="card-slot" data-testid="card-payment-slot">
      <Alert tone="info" title="Card payments need the central server">
        {amountCents > 0 ? `To charge ${formatCents(amountCents)} to a card, ` : 'To charge a card, '}
        this workstation asks the central server, which talks to the card processor. Card payments are not
        connected on this workstation yet. Take cash or a check, or record a payment taken on a standalone
        terminal as “Card (recorded)”.
      </Alert>
    </div>
  );
}
