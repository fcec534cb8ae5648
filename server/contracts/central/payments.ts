import { z } from 'zod';
import { idSchema } from '../common';
import { boundedDate, scheduleDates } from '../date-bounds';

/**
 * Card payments, asked of central by a workstation (device credential) and answered from central's book
 * (docs/billing.md, "Cards (Stripe)"). Only opaque ids and amounts cross: central passes nothing else on to
 * Stripe. `requestId` is made by the screen once per attempt: it becomes the record's id at central and the
 * root of the Stripe idempotency key, so a retried or double-clicked request never charges twice.
 */

/** $100,000.00: a guard against a mistyped amount, not a business limit. */
export const CARD_AMOUNT_MAX_CENTS = 10_000_000;

export const cardAmountSchema = z
  .number({ message: 'Enter the amount.' })
  .int('Enter the amount in whole cents.')
  .min(50, 'A card payment is at least $0.50.')
  .max(CARD_AMOUNT_MAX_CENTS, 'That amount is larger than any card payment Tessera takes ($100,000.00).');

export const readerIdSchema = z.string().regex(/^tmr_[A-Za-z0-9]{1,64}$/, 'Choose a card reader.');

export const cardPaymentPurposes = ['reader', 'link', 'saved_card', 'portal'] as const;
export const cardStatuses = ['pending', 'succeeded', 'failed', 'canceled'] as const;

export const cardPaymentSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  purpose: z.enum(cardPaymentPurposes),
  amountCents: z.number().int(),
  currency: z.string(),
  status: z.enum(cardStatuses),
  refundedCents: z.number().int(),
  /** What may still be refunded: paid minus refunds that succeeded or are under way. */
  refundableCents: z.number().int(),
  paymentIntentId: z.string().nullable(),
  paymentLinkUrl: z.string().nullable(),
  readerId: z.string().nullable(),
  agreementId: idSchema.nullable(),
  failureCode: z.string().nullable(),
  failureMessage: z.string().nullable(),
  cardBrand: z.string().nullable(),
  cardLast4: z.string().nullable(),
  ledgerEntryId: idSchema.nullable(),
  createdAt: z.string(),
  succeededAt: z.string().nullable(),
});
export type CardPayment = z.infer<typeof cardPaymentSchema>;

export const cardRefundSchema = z.object({
  id: idSchema,
  cardPaymentId: idSchema,
  amountCents: z.number().int(),
  status: z.enum(cardStatuses),
  failureMessage: z.string().nullable(),
  ledgerEntryId: idSchema.nullable(),
  createdAt: z.string(),
});
export type CardRefund = z.infer<typeof cardRefundSchema>;

export const cardAgreementStatuses = ['pending', 'active', 'failed', 'revoked'] as const;
export const cardAgreementSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  status: z.enum(cardAgreementStatuses),
  maxAmountCents: z.number().int(),
  /** Last day (inclusive) the card may be charged. */
  endsOn: z.string(),
  cardBrand: z.string().nullable(),
  cardLast4: z.string().nullable(),
  readerId: z.string().nullable(),
  failureMessage: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type CardAgreement = z.infer<typeof cardAgreementSchema>;

export const cardReaderSchema = z.object({
  id: z.string(),
  label: z.string(),
  status: z.enum(['online', 'offline']),
  deviceType: z.string(),
});
export type CardReader = z.infer<typeof cardReaderSchema>;

/** Who asked, on the workstation (a staff user id, recorded at central; never sent to Stripe). */
const actor = { actorUserId: idSchema };

export const readerPaymentRequestSchema = z.object({
  requestId: idSchema,
  patientId: idSchema,
  amountCents: cardAmountSchema,
  readerId: readerIdSchema,
  ...actor,
});
export const paymentLinkRequestSchema = z.object({
  requestId: idSchema,
  patientId: idSchema,
  amountCents: cardAmountSchema,
  ...actor,
});
export const agreementRequestSchema = z.object({
  requestId: idSchema,
  patientId: idSchema,
  maxAmountCents: cardAmountSchema,
  endsOn: boundedDate(scheduleDates, 'Enter the last day the card may be charged.'),
  readerId: readerIdSchema,
  ...actor,
});
export const savedCardPaymentRequestSchema = z.object({
  requestId: idSchema,
  agreementId: idSchema,
  amountCents: cardAmountSchema,
  ...actor,
});
export const refundReasons = ['requested_by_customer', 'duplicate', 'fraudulent'] as const;
export const cardRefundRequestSchema = z.object({
  requestId: idSchema,
  cardPaymentId: idSchema,
  amountCents: z
    .number({ message: 'Enter the amount to refund.' })
    .int('Enter the amount in whole cents.')
    .min(1, 'Enter the amount to refund.')
    .max(CARD_AMOUNT_MAX_CENTS),
  reason: z.enum(refundReasons).default('requested_by_customer'),
  ...actor,
});
export const revokeAgreementRequestSchema = z.object({ ...actor });

export const patientCardsQuerySchema = z.object({ patientId: idSchema });
export const cardIdParamsSchema = z.object({ id: idSchema });

export const cardPaymentListSchema = z.object({
  payments: z.array(cardPaymentSchema),
  refunds: z.array(cardRefundSchema),
});
export const cardAgreementListSchema = z.object({ agreements: z.array(cardAgreementSchema) });
export const cardReaderListSchema = z.object({ readers: z.array(cardReaderSchema) });
export const cardRefundResultSchema = z.object({ refund: cardRefundSchema, payment: cardPaymentSchema });
export const webhookAckSchema = z.object({ received: z.literal(true), duplicate: z.boolean() });

/**
 * Stripe reconciliation findings of a clinic (docs/billing.md, "Reconciliation"): what central's runs found
 * that does not match between Stripe's balance and the clinic's card entries. Ids and amounts only.
 */
export const reconciliationFindingKinds = [
  'missing_ledger_entry',
  'amount_differs',
  'not_in_stripe_balance',
  'payout_differs',
] as const;
export const reconciliationFindingSchema = z.object({
  id: idSchema,
  kind: z.enum(reconciliationFindingKinds),
  /** payment or refund; null for a payout. */
  side: z.enum(['payment', 'refund']).nullable(),
  /** The PaymentIntent (payment) or Refund (refund) id the ledger entry carries as externalRef. */
  externalRef: z.string().nullable(),
  balanceTransactionId: z.string().nullable(),
  ledgerEntryId: idSchema.nullable(),
  payoutId: z.string().nullable(),
  stripeAmountCents: z.number().int().nullable(),
  ledgerAmountCents: z.number().int().nullable(),
  payoutAmountCents: z.number().int().nullable(),
  transactionsNetCents: z.number().int().nullable(),
  /** When Stripe moved the money (or central posted the entry, or the payout was made). */
  occurredAt: z.string(),
  firstFoundAt: z.string(),
  lastFoundAt: z.string(),
  /** Set when a later run over its day no longer found it (e.g. the webhook was redelivered). */
  resolvedAt: z.string().nullable(),
});
export type ReconciliationFinding = z.infer<typeof reconciliationFindingSchema>;
export const reconciliationFindingsSchema = z.object({
  /** The latest run: the window it checked and when. Null when reconciliation has never run. */
  lastRun: z.object({ from: z.string(), to: z.string(), ranAt: z.string() }).nullable(),
  /** Open findings first (oldest first), then those resolved in the last 30 days (newest first). */
  findings: z.array(reconciliationFindingSchema),
});
export type ReconciliationFindings = z.infer<typeof reconciliationFindingsSchema>;
