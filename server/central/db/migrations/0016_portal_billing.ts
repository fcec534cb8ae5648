/**
 * Central schema: billing in the patient portal (issue 11, docs/portal.md "Billing").
 *
 * - card_payments gains the purpose `portal`: a card PaymentIntent the patient confirms in the portal with
 *   Stripe's Payment Element. `charge_entry_ids` are the charges of the invoice the patient chose to pay
 *   (null: the balance); the payment is applied to them first when its webhook posts it.
 * The portal reads a patient's ledger rows through the per-patient index 0003 made for card postings.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

ALTER TABLE card_payments DROP CONSTRAINT card_payments_purpose_check;
ALTER TABLE card_payments ADD CONSTRAINT card_payments_purpose_check
  CHECK (purpose IN ('reader', 'link', 'saved_card', 'portal'));
ALTER TABLE card_payments ADD COLUMN charge_entry_ids uuid[];
`;
