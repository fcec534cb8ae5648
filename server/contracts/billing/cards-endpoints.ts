import { endpoint } from '../endpoint';
import * as c from './cards';

/**
 * Card payments through central (Stripe): the desk reader, payment links, saved cards under an agreement,
 * refunds. Each asks central with the device credential; none works offline (and says so).
 */
export const cardEndpoints = {
  cardReconciliation: endpoint({
    method: 'GET',
    path: '/api/billing/card-reconciliation',
    access: 'billing.manage',
    summary:
      'What Stripe reconciliation at central found for this clinic: lost webhooks, amounts that differ, payouts that do not add up',
    response: c.cardReconciliationSchema,
  }),
  cardReaders: endpoint({
    method: 'GET',
    path: '/api/billing/card-readers',
    access: 'billing.post',
    summary: 'The clinic’s card readers (Stripe Terminal), from central',
    response: c.cardReadersSchema,
  }),
  cardActivity: endpoint({
    method: 'GET',
    path: '/api/billing/accounts/:patientId/cards',
    access: 'billing.read',
    summary: 'A patient’s card payments, refunds and card-on-file agreements, from central',
    params: c.cardPatientParamsSchema,
    response: c.cardActivitySchema,
  }),
  cardReaderPayment: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/card-payments/reader',
    access: 'billing.post',
    summary: 'Take a card payment on a desk reader (central creates the PaymentIntent; audited)',
    params: c.cardPatientParamsSchema,
    body: c.cardReaderPaymentSchema,
    response: c.cardPaymentSchema,
  }),
  cardPaymentLink: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/card-payments/link',
    access: 'billing.post',
    summary: 'A payment link the patient pays on their phone (audited)',
    params: c.cardPatientParamsSchema,
    body: c.cardPaymentLinkSchema,
    response: c.cardPaymentSchema,
  }),
  cardSavedCardPayment: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/card-payments/saved-card',
    access: 'billing.post',
    summary: 'Charge the saved card within its card-on-file agreement (audited)',
    params: c.cardPatientParamsSchema,
    body: c.cardSavedCardPaymentSchema,
    response: c.cardPaymentSchema,
  }),
  cardPayment: endpoint({
    method: 'GET',
    path: '/api/billing/card-payments/:id',
    access: 'billing.read',
    summary: 'One card payment’s status (the dialog follows the reader with it)',
    params: c.cardIdParamsSchema,
    response: c.cardPaymentSchema,
  }),
  cardPaymentCancel: endpoint({
    method: 'POST',
    path: '/api/billing/card-payments/:id/cancel',
    access: 'billing.post',
    summary: 'Cancel a card payment still waiting for the card (audited)',
    params: c.cardIdParamsSchema,
    response: c.cardPaymentSchema,
  }),
  cardPaymentRefund: endpoint({
    method: 'POST',
    path: '/api/billing/card-payments/:id/refund',
    access: 'billing.refund',
    summary: 'Refund a card payment in full or in part, never more than was paid (audited)',
    params: c.cardIdParamsSchema,
    body: c.cardRefundRequestSchema,
    response: c.cardRefundResultSchema,
  }),
  cardAgreementStart: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/card-agreements',
    access: 'billing.post',
    summary: 'Save a card on the reader under a card-on-file agreement (maximum, end date; audited)',
    params: c.cardPatientParamsSchema,
    body: c.cardAgreementRequestSchema,
    response: c.cardAgreementSchema,
  }),
  cardAgreementRevoke: endpoint({
    method: 'POST',
    path: '/api/billing/card-agreements/:id/revoke',
    access: 'billing.post',
    summary: 'End a card-on-file agreement (audited)',
    params: c.cardIdParamsSchema,
    response: c.cardAgreementSchema,
  }),
};
