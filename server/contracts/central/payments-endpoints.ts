import type { CentralEndpoint } from './endpoints';
import * as pay from './payments';

const ep = <E extends CentralEndpoint>(e: E) => e;

/**
 * Central's card-payment endpoints (spread into centralApi). Workstations call them with their device
 * credential; Stripe calls the webhook, which is accepted only with a valid `Stripe-Signature`.
 */
export const centralPaymentEndpoints = {
  stripeWebhook: ep({
    method: 'POST',
    path: '/v1/payments/stripe/webhook',
    access: 'stripe',
    summary: 'Stripe’s events (signed): payments, saved cards and refunds become ledger entries, once',
    response: pay.webhookAckSchema,
  }),
  listCardReaders: ep({
    method: 'GET',
    path: '/v1/payments/readers',
    access: 'device',
    summary: 'The clinic’s Stripe Terminal card readers',
    response: pay.cardReaderListSchema,
  }),
  startReaderPayment: ep({
    method: 'POST',
    path: '/v1/payments/reader-payments',
    access: 'device',
    summary: 'Create a card-present PaymentIntent and hand it to a desk reader (server-driven Terminal)',
    body: pay.readerPaymentRequestSchema,
    response: pay.cardPaymentSchema,
  }),
  createPaymentLink: ep({
    method: 'POST',
    path: '/v1/payments/payment-links',
    access: 'device',
    summary: 'A payment link (Checkout Session) the patient pays on their phone',
    body: pay.paymentLinkRequestSchema,
    response: pay.cardPaymentSchema,
  }),
  chargeSavedCard: ep({
    method: 'POST',
    path: '/v1/payments/saved-card-payments',
    access: 'device',
    summary: 'Charge a saved card within its card-on-file agreement (off-session)',
    body: pay.savedCardPaymentRequestSchema,
    response: pay.cardPaymentSchema,
  }),
  listCardPayments: ep({
    method: 'GET',
    path: '/v1/payments/payments',
    access: 'device',
    summary: 'A patient’s card payments and refunds',
    query: pay.patientCardsQuerySchema,
    response: pay.cardPaymentListSchema,
  }),
  getCardPayment: ep({
    method: 'GET',
    path: '/v1/payments/payments/:id',
    access: 'device',
    summary: 'One card payment (the dialog polls it while the reader works)',
    params: pay.cardIdParamsSchema,
    response: pay.cardPaymentSchema,
  }),
  cancelCardPayment: ep({
    method: 'POST',
    path: '/v1/payments/payments/:id/cancel',
    access: 'device',
    summary: 'Cancel a pending card payment (and the reader’s action)',
    params: pay.cardIdParamsSchema,
    response: pay.cardPaymentSchema,
  }),
  refundCardPayment: ep({
    method: 'POST',
    path: '/v1/payments/refunds',
    access: 'device',
    summary: 'Refund a card payment in full or in part (never more than was paid)',
    body: pay.cardRefundRequestSchema,
    response: pay.cardRefundResultSchema,
  }),
  startCardAgreement: ep({
    method: 'POST',
    path: '/v1/payments/agreements',
    access: 'device',
    summary: 'Save a card on a reader under a card-on-file agreement (maximum amount, end date)',
    body: pay.agreementRequestSchema,
    response: pay.cardAgreementSchema,
  }),
  listCardAgreements: ep({
    method: 'GET',
    path: '/v1/payments/agreements',
    access: 'device',
    summary: 'A patient’s card-on-file agreements',
    query: pay.patientCardsQuerySchema,
    response: pay.cardAgreementListSchema,
  }),
  revokeCardAgreement: ep({
    method: 'POST',
    path: '/v1/payments/agreements/:id/revoke',
    access: 'device',
    summary: 'End a card-on-file agreement (the card is detached at Stripe)',
    params: pay.cardIdParamsSchema,
    body: pay.revokeAgreementRequestSchema,
    response: pay.cardAgreementSchema,
  }),
  listReconciliationFindings: ep({
    method: 'GET',
    path: '/v1/payments/reconciliation/findings',
    access: 'device',
    summary:
      'What Stripe reconciliation found for the clinic (lost webhooks, amounts that differ, payouts that do not add up)',
    response: pay.reconciliationFindingsSchema,
  }),
} satisfies Record<string, CentralEndpoint>;
