/**
 * The payments port: what central needs from a card processor, in Tessera's terms. The real adapter is
 * `stripe-adapter.ts` (the official `stripe` package); tests point that same adapter at a recorded-contract
 * double of Stripe's API (tests/support/stripe-double.ts), so the SDK's own request building, retries and
 * error mapping are exercised.
 *
 * Only opaque ids and amounts cross this port: `metadata` carries the clinic id and the id of central's own
 * record (uuids), nothing else. No description, statement descriptor or name is ever set.
 */

export interface PaymentMetadata {
  /** The clinic (uuid): lets a webhook find its tenant. */
  tessera_clinic: string;
  /** Central's record (card payment, agreement or refund id; a uuid). */
  tessera_ref: string;
}

export type IntentStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

export interface IntentInfo {
  intentId: string;
  status: IntentStatus;
  cardBrand: string | null;
  cardLast4: string | null;
  failureCode: string | null;
  failureMessage: string | null;
}

export interface ReaderInfo {
  id: string;
  label: string;
  status: 'online' | 'offline';
  deviceType: string;
}

export interface SavedCard {
  paymentMethodId: string;
  cardBrand: string | null;
  cardLast4: string | null;
}

export interface RefundInfo {
  refundId: string;
  status: IntentStatus;
  failureMessage: string | null;
}

/**
 * One movement of money in the Stripe balance (a balance transaction), reduced to what reconciliation
 * compares with the ledger. Amounts are Stripe's integer cents: `amountCents` is the gross (negative for
 * refunds and payouts), `feeCents` Stripe's fee, `netCents` what it adds to the balance.
 */
export interface BalanceMovement {
  id: string;
  /** charge (a card payment), refund, payout, or other (fees, adjustments, disputes…). */
  kind: 'charge' | 'refund' | 'payout' | 'other';
  /** Stripe's own type (`charge`, `payment`, `refund`, `payout`, `stripe_fee`, …). */
  stripeType: string;
  amountCents: number;
  feeCents: number;
  netCents: number;
  createdAt: Date;
  /** The PaymentIntent of a charge, or of the payment a refund returns money from. */
  paymentIntentId: string | null;
  /** A refund's id (the ledger's externalRef for refunds). */
  refundId: string | null;
  /** The payout it was paid out in, when known (listing by payout). */
  payoutId: string | null;
  /** Tessera's metadata on the charge or refund (empty: not a payment Tessera started). */
  metadata: Partial<PaymentMetadata>;
}

export interface PayoutInfo {
  id: string;
  amountCents: number;
  status: string;
  createdAt: Date;
  arrivalDate: Date;
}

/** A verified webhook event, reduced to what central acts on. */
export type PaymentEvent = { eventId: string; type: string; metadata: Partial<PaymentMetadata> } & (
  | {
      kind: 'payment';
      intentId: string;
      status: IntentStatus;
      failureCode: string | null;
      failureMessage: string | null;
    }
  | { kind: 'checkout_completed'; sessionId: string; intentId: string | null }
  | { kind: 'checkout_expired'; sessionId: string }
  | { kind: 'setup'; setupIntentId: string; status: IntentStatus; failureMessage: string | null }
  | { kind: 'refund'; refundId: string; status: IntentStatus; failureMessage: string | null }
  | { kind: 'ignored' }
);

/**
 * Why Stripe refused, in words the front desk can act on. `code` is Stripe's (card_declined,
 * authentication_required, rate_limit, …) or `stripe_unavailable` when Stripe could not be reached.
 */
export class PaymentError extends Error {
  override name = 'PaymentError';
  constructor(
    readonly code: string,
    message: string,
    readonly declineCode: string | null = null,
    /** The card was refused (a 402): the attempt is over; anything else may be tried again. */
    readonly cardRefused = false,
  ) {
    super(message);
  }
}

export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

export interface PaymentsPort {
  readonly currency: string;
  listReaders(): Promise<ReaderInfo[]>;
  createCustomer(input: { metadata: PaymentMetadata; idempotencyKey: string }): Promise<string>;
  /** A card-present PaymentIntent, handed to the reader (server-driven Terminal). */
  startReaderPayment(input: {
    amountCents: number;
    readerId: string;
    metadata: PaymentMetadata;
    idempotencyKey: string;
  }): Promise<IntentInfo>;
  /** A Checkout Session in payment mode: its URL is the link the patient opens. */
  createPaymentLink(input: {
    amountCents: number;
    metadata: PaymentMetadata;
    idempotencyKey: string;
  }): Promise<{ sessionId: string; url: string; intentId: string | null }>;
  /**
   * A card PaymentIntent the patient confirms in their own browser with Stripe's Payment Element (the
   * portal): only its client secret goes to the page, never the secret key.
   */
  startOnlinePayment(input: {
    amountCents: number;
    metadata: PaymentMetadata;
    idempotencyKey: string;
  }): Promise<{ intentId: string; clientSecret: string }>;
  /** A SetupIntent (off-session use) the patient confirms in the browser to save a card on an agreement. */
  startOnlineSetup(input: {
    customerId: string;
    metadata: PaymentMetadata;
    idempotencyKey: string;
  }): Promise<{ setupIntentId: string; clientSecret: string }>;
  /** A SetupIntent for off-session use, handed to the reader to save the presented card. */
  startReaderSetup(input: {
    customerId: string;
    readerId: string;
    metadata: PaymentMetadata;
    idempotencyKey: string;
  }): Promise<{ setupIntentId: string }>;
  /** The reusable card a succeeded SetupIntent saved (a card-present setup yields a generated card). */
  savedCardOf(setupIntentId: string): Promise<SavedCard | null>;
  /** Charge a saved card without the cardholder present (confirm at once, off_session). */
  chargeSavedCard(input: {
    customerId: string;
    paymentMethodId: string;
    amountCents: number;
    metadata: PaymentMetadata;
    idempotencyKey: string;
  }): Promise<IntentInfo>;
  retrievePayment(intentId: string): Promise<IntentInfo>;
  cancelPayment(intentId: string, readerId: string | null): Promise<void>;
  refund(input: {
    paymentIntentId: string;
    amountCents: number;
    reason: string;
    metadata: PaymentMetadata;
    idempotencyKey: string;
  }): Promise<RefundInfo>;
  detachCard(paymentMethodId: string): Promise<void>;
  /** Balance transactions created in [from, to), or those of one payout (every page). */
  listBalanceMovements(filter: { from: Date; to: Date } | { payoutId: string }): Promise<BalanceMovement[]>;
  /** Payouts created in [from, to) (every page). */
  listPayouts(filter: { from: Date; to: Date }): Promise<PayoutInfo[]>;
  /** Verify `Stripe-Signature` over the raw body; throws WebhookSignatureError. */
  verifyWebhook(rawBody: Buffer, signature: string): PaymentEvent;
}
