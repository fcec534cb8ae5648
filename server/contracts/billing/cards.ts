import { z } from 'zod';
import { idSchema } from '../common';
import {
  cardAgreementSchema,
  cardAmountSchema,
  cardPaymentSchema,
  cardReaderSchema,
  cardRefundSchema,
  readerIdSchema,
  reconciliationFindingSchema,
  reconciliationFindingsSchema,
  refundReasons,
} from '../central/payments';
import { boundedDate, scheduleDates } from '../date-bounds';

/**
 * Card payments as the workstation's screens ask for them (docs/billing.md, "Cards (Stripe)"). The
 * workstation holds no Stripe key and sees no card data: it asks central with its device credential, and
 * card payments and refunds reach the ledger as entries central posts (pulled like any change). Without
 * central the answer is a sentence: card payments need the central server.
 *
 * `requestId` is made by the dialog once per attempt (crypto.randomUUID()), so a double click or a retry
 * after a lost answer never charges twice.
 */

export {
  CARD_AMOUNT_MAX_CENTS,
  cardAgreementSchema,
  cardPaymentSchema,
  cardReaderSchema,
  cardRefundSchema,
  refundReasons,
  type CardAgreement,
  type CardPayment,
  type CardReader,
  type CardRefund,
} from '../central/payments';

export const cardPatientParamsSchema = z.object({ patientId: idSchema });
export const cardIdParamsSchema = z.object({ id: idSchema });

export const cardReaderPaymentSchema = z.object({
  requestId: idSchema,
  amountCents: cardAmountSchema,
  readerId: readerIdSchema,
});
export const cardPaymentLinkSchema = z.object({
  requestId: idSchema,
  amountCents: cardAmountSchema,
});
export const cardSavedCardPaymentSchema = z.object({
  requestId: idSchema,
  agreementId: idSchema,
  amountCents: cardAmountSchema,
});
export const cardRefundRequestSchema = z.object({
  requestId: idSchema,
  amountCents: z
    .number({ message: 'Enter the amount to refund.' })
    .int('Enter the amount in whole cents.')
    .min(1, 'Enter the amount to refund.'),
  reason: z.enum(refundReasons).default('requested_by_customer'),
});
export const cardAgreementRequestSchema = z.object({
  requestId: idSchema,
  maxAmountCents: cardAmountSchema,
  endsOn: boundedDate(scheduleDates, 'Enter the last day the card may be charged.'),
  readerId: readerIdSchema,
});

export const cardReadersSchema = z.object({ readers: z.array(cardReaderSchema) });
export const cardActivitySchema = z.object({
  payments: z.array(cardPaymentSchema),
  refunds: z.array(cardRefundSchema),
  agreements: z.array(cardAgreementSchema),
});
export type CardActivity = z.infer<typeof cardActivitySchema>;
export const cardRefundResultSchema = z.object({ refund: cardRefundSchema, payment: cardPaymentSchema });
export type CardRefundResult = z.infer<typeof cardRefundResultSchema>;

/** What every card endpoint answers when central cannot be reached (code `central_unreachable`). */
export const CARDS_NEED_CENTRAL =
  'Card payments need the central server, and it cannot be reached right now. Take cash or a check, or try again when the connection is back.';
export const CARDS_NEED_ENROLLMENT =
  'Card payments need the central server: this workstation is not connected to one. An administrator can connect it in Admin > Sync.';

/**
 * Card reconciliation as billing staff see it (Billing > Reports > Card reconciliation): central's findings
 * for this clinic, each with the account it concerns when this workstation's ledger knows the entry (by its
 * id or its Stripe id), so the screen can open it. Ids and amounts only.
 */
export const cardReconciliationFindingSchema = reconciliationFindingSchema.extend({
  patientId: idSchema.nullable(),
});
export type CardReconciliationFinding = z.infer<typeof cardReconciliationFindingSchema>;
export const cardReconciliationSchema = reconciliationFindingsSchema.extend({
  findings: z.array(cardReconciliationFindingSchema),
});
export type CardReconciliation = z.infer<typeof cardReconciliationSchema>;

export const RECONCILIATION_NEEDS_CENTRAL =
  'Card reconciliation is kept at the central server, and it cannot be reached right now. Try again when the connection is back; card payments recorded here are not affected.';
export const RECONCILIATION_NEEDS_ENROLLMENT =
  'Card reconciliation is kept at the central server: this workstation is not connected to one. An administrator can connect it in Admin > Sync.';
