import { z } from 'zod';
import { idSchema } from '../common';
import { cardAmountSchema, cardStatuses } from '../central/payments';
import { boundedDate, scheduleDates } from '../date-bounds';

/**
 * Billing in the patient portal (issue 11): the patient's balance and open invoices as central knows them
 * from the clinic's replicated ledger, card payments the patient confirms with Stripe's Payment Element on
 * central's page, saved cards under a card-on-file agreement, and receipts. Amounts are integer cents. The
 * patient is always the session's; no entry takes a patient id. What central asks Stripe for carries only
 * opaque ids (docs/billing.md, "Cards (Stripe)").
 */

/** One visit's open charges: what the patient owes for it now. */
export const portalInvoiceSchema = z.object({
  /** The id of the visit's oldest open charge (stable while anything of the visit is open). */
  id: z.string(),
  serviceDate: z.string().nullable(),
  lines: z.array(
    z.object({
      description: z.string(),
      amountCents: z.number().int(),
      /** The patient's part still open. */
      openCents: z.number().int(),
    }),
  ),
  /** The patient's part still open on the visit. */
  openCents: z.number().int(),
  /** What insurance is still expected to pay on the visit. */
  insurancePendingCents: z.number().int(),
});
export type PortalInvoice = z.infer<typeof portalInvoiceSchema>;

export const portalPaymentSummarySchema = z.object({
  id: idSchema,
  amountCents: z.number().int(),
  status: z.enum(cardStatuses),
  /** "Visa ending 4242", once Stripe told. */
  card: z.string().nullable(),
  createdAt: z.string(),
  succeededAt: z.string().nullable(),
});

export const portalSavedCardSchema = z.object({
  id: idSchema,
  status: z.enum(['pending', 'active', 'failed', 'revoked']),
  card: z.string().nullable(),
  maxAmountCents: z.number().int(),
  endsOn: z.string(),
  createdAt: z.string(),
});
export type PortalSavedCard = z.infer<typeof portalSavedCardSchema>;

export const portalBillingSchema = z.object({
  /** What the patient owes now (their responsibility; negative: credit). */
  balanceCents: z.number().int(),
  insurancePendingCents: z.number().int(),
  invoices: z.array(portalInvoiceSchema),
  payments: z.array(portalPaymentSummarySchema),
  cards: z.array(portalSavedCardSchema),
  /** Stripe.js's publishable key when card payments are set up at central; null: pay at the clinic. */
  publishableKey: z.string().nullable(),
  currency: z.string(),
});
export type PortalBilling = z.infer<typeof portalBillingSchema>;

export const portalPayRequestSchema = z.object({
  /** Made by the page once per attempt: central's record id and the root of Stripe's idempotency key. */
  requestId: idSchema,
  /** An invoice to pay (its open part); null: the whole balance. Central computes the amount. */
  invoiceId: idSchema.nullable(),
});

/** What the page needs to show the Payment Element: the intent's client secret, never a secret key. */
export const portalPaymentStartSchema = z.object({
  paymentId: idSchema,
  amountCents: z.number().int(),
  clientSecret: z.string(),
  publishableKey: z.string(),
});

export const portalPaymentParamsSchema = z.object({ id: idSchema });

export const portalReceiptSchema = z.object({
  id: idSchema,
  status: z.enum(cardStatuses),
  amountCents: z.number().int(),
  card: z.string().nullable(),
  createdAt: z.string(),
  succeededAt: z.string().nullable(),
  failureMessage: z.string().nullable(),
  /** Whether the payment reached the clinic's ledger (the receipt is final then). */
  posted: z.boolean(),
  appliedTo: z.array(
    z.object({ serviceDate: z.string().nullable(), description: z.string(), amountCents: z.number().int() }),
  ),
  /** Kept as credit on the account. */
  creditCents: z.number().int(),
  /** The patient's balance now. */
  balanceCents: z.number().int(),
});
export type PortalReceipt = z.infer<typeof portalReceiptSchema>;

export const portalSaveCardSchema = z.object({
  requestId: idSchema,
  maxAmountCents: cardAmountSchema,
  endsOn: boundedDate(scheduleDates, 'Enter the last day the card may be charged.'),
  /** The patient ticked the card-on-file agreement. */
  agree: z.literal(true, { message: 'Read and accept the agreement to save the card.' }),
});

export const portalSaveCardStartSchema = z.object({
  cardId: idSchema,
  clientSecret: z.string(),
  publishableKey: z.string(),
});

export const portalCardParamsSchema = z.object({ id: idSchema });
