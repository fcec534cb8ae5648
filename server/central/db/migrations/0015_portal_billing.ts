/**
 * Central schema: billing in the patient portal (issue 11, docs/portal.md "Billing").
 *
 * - card_payments gains the purpose `portal`: a card PaymentIntent the patient confirms in the portal with
 *   Stripe's Payment Element. `charge_entry_ids` are the charges of the invoice the patient chose to pay
 *   (null: the balance); the payment is applied to them first when its webhook posts it.
 * - portal_documents: documents the clinic shares with the patient (a PDF a workstation drew from a kept
 *   billing document), the title and the PDF encrypted under the column key; one row per shared workstation
 *   document (`source_id`), the newest upload replacing the content. Downloads are counted here and each
 *   is in portal_activity.
 * The portal reads a patient's ledger rows through the per-patient index 0003 made for card postings.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

ALTER TABLE card_payments DROP CONSTRAINT card_payments_purpose_check;
ALTER TABLE card_payments ADD CONSTRAINT card_payments_purpose_check
  CHECK (purpose IN ('reader', 'link', 'saved_card', 'portal'));
ALTER TABLE card_payments ADD COLUMN charge_entry_ids uuid[];

CREATE TABLE portal_documents (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  id uuid NOT NULL,
  patient_id uuid NOT NULL,
  source_id uuid NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  content text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  shared_by uuid NOT NULL,
  shared_at timestamptz NOT NULL DEFAULT now(),
  downloads integer NOT NULL DEFAULT 0,
  last_downloaded_at timestamptz,
  PRIMARY KEY (clinic_id, id),
  UNIQUE (clinic_id, source_id)
);
CREATE INDEX portal_documents_patient ON portal_documents (clinic_id, patient_id, shared_at DESC);
ALTER TABLE portal_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON portal_documents TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY tenant ON portal_documents TO PUBLIC
  USING (clinic_id = tessera.current_clinic()) WITH CHECK (clinic_id = tessera.current_clinic());
`;
