/**
 * Central schema version 3: card payments through Stripe (docs/billing.md, "Cards (Stripe)").
 *
 * Only central talks to Stripe. These tables are central's own book of what it asked Stripe for and what
 * Stripe said happened; what reaches the clinic's ledger is written as replicated `ledger_entries` /
 * `ledger_allocations` rows (central-written, so they replicate to every workstation). Nothing here holds
 * anything clinical: a patient is an opaque id, amounts are integer cents.
 *
 * - card_payments: one row per PaymentIntent we started (desk reader, payment link, saved card). The
 *   Stripe ids are unique; `ledger_entry_id` is set once, when the payment is posted.
 * - card_refunds: one row per Refund; the sum of a payment's refunds never exceeds what was paid.
 * - card_on_file_agreements: a patient's consent to charge a saved card up to `max_amount_cents` per
 *   charge until `ends_on` (inclusive, the clinic's calendar date).
 * - stripe_webhook_events: every processed event id once (the idempotency of webhooks).
 *
 * Row-level security as everywhere: the `tenant` policy admits the transaction's clinic only.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE card_on_file_agreements (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  patient_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'active', 'failed', 'revoked')),
  max_amount_cents integer NOT NULL CHECK (max_amount_cents > 0),
  ends_on date NOT NULL,
  stripe_customer_id text,
  setup_intent_id text UNIQUE,
  payment_method_id text,
  card_brand text,
  card_last4 text,
  reader_id text,
  failure_message text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by text
);
CREATE INDEX card_on_file_agreements_patient ON card_on_file_agreements (clinic_id, patient_id, created_at DESC);

CREATE TABLE card_payments (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  patient_id uuid NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('reader', 'link', 'saved_card')),
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  currency text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
  payment_intent_id text UNIQUE,
  checkout_session_id text UNIQUE,
  payment_link_url text,
  reader_id text,
  agreement_id uuid REFERENCES card_on_file_agreements (id),
  failure_code text,
  failure_message text,
  card_brand text,
  card_last4 text,
  ledger_entry_id uuid,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  succeeded_at timestamptz
);
CREATE INDEX card_payments_patient ON card_payments (clinic_id, patient_id, created_at DESC);

CREATE TABLE card_refunds (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  card_payment_id uuid NOT NULL REFERENCES card_payments (id),
  refund_id text UNIQUE,
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
  reason text,
  failure_message text,
  ledger_entry_id uuid,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX card_refunds_payment ON card_refunds (clinic_id, card_payment_id);

CREATE TABLE stripe_webhook_events (
  event_id text PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  type text NOT NULL,
  outcome text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- Posting a card payment reads the patient's ledger from the replica (allocation oldest first) and looks
-- for an entry already posted for the same Stripe id.
CREATE INDEX replica_rows_ledger_patient ON replica_rows (clinic_id, table_name, (data->>'patientId'))
  WHERE table_name IN ('ledger_entries', 'ledger_allocations');
CREATE INDEX replica_rows_ledger_external_ref ON replica_rows (clinic_id, (data->>'externalRef'))
  WHERE table_name = 'ledger_entries';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['card_on_file_agreements', 'card_payments', 'card_refunds', 'stripe_webhook_events'] LOOP
    EXECUTE format('ALTER TABLE tessera.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE tessera.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY owner_all ON tessera.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    EXECUTE format('CREATE POLICY tenant ON tessera.%I TO PUBLIC USING (clinic_id = tessera.current_clinic()) WITH CHECK (clinic_id = tessera.current_clinic())', t);
  END LOOP;
END $$;
`;
