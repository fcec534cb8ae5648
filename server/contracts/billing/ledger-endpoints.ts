import { endpoint } from '../endpoint';
import * as l from './ledger';

/**
 * The ledger's HTTP endpoints (see docs/billing.md). Refunds and write-offs have permissions of their own;
 * reversing a refund or a write-off needs that permission too (checked in the handler).
 */
export const ledgerEndpoints = {
  getPatientAccount: endpoint({
    method: 'GET',
    path: '/api/billing/accounts/:patientId',
    access: 'billing.read',
    summary:
      "Open a patient's account: ledger with running balance, balances, open charges, credits (audited)",
    params: l.patientAccountParamsSchema,
    query: l.accountQuerySchema,
    response: l.patientAccountSchema,
  }),
  getDueToday: endpoint({
    method: 'GET',
    path: '/api/billing/accounts/:patientId/due-today',
    access: 'billing.read',
    summary: 'What is due today for a visit: copay left to collect, patient balance, credit (checkout)',
    params: l.patientAccountParamsSchema,
    query: l.dueTodayQuerySchema,
    response: l.dueTodaySchema,
  }),
  postCharge: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/charges',
    access: 'billing.post',
    summary: 'Post a charge that is not from a visit (a no-show fee, a records fee) (audited)',
    params: l.patientAccountParamsSchema,
    body: l.postChargeSchema,
    response: l.postingResultSchema,
  }),
  postPayment: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/payments',
    access: 'billing.post',
    summary:
      'Post a cash, check or recorded card payment, applied oldest first, proportionally or explicitly (audited)',
    params: l.patientAccountParamsSchema,
    body: l.postPaymentSchema,
    response: l.postingResultSchema,
  }),
  postAdjustment: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/adjustments',
    access: 'billing.post',
    summary: 'Post an adjustment against a charge or the open charges oldest first (audited)',
    params: l.patientAccountParamsSchema,
    body: l.postAdjustmentSchema,
    response: l.postingResultSchema,
  }),
  postWriteOff: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/write-offs',
    access: 'billing.writeoff',
    summary: 'Write off a charge or the open charges oldest first (audited)',
    params: l.patientAccountParamsSchema,
    body: l.postAdjustmentSchema,
    response: l.postingResultSchema,
  }),
  postRefund: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/refunds',
    access: 'billing.refund',
    summary: 'Refund (cash or check) from a payment, never more than was paid (audited)',
    params: l.patientAccountParamsSchema,
    body: l.postRefundSchema,
    response: l.postingResultSchema,
  }),
  postTransfer: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/transfers',
    access: 'billing.post',
    summary: 'Move an amount between patient and insurance responsibility (audited)',
    params: l.patientAccountParamsSchema,
    body: l.postTransferSchema,
    response: l.postingResultSchema,
  }),
  reverseLedgerEntry: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/entries/:entryId/reversal',
    access: 'billing.post',
    summary: 'Reverse an entry with a new entry, with a reason (audited)',
    params: l.ledgerEntryParamsSchema,
    body: l.postReversalSchema,
    response: l.postingResultSchema,
  }),
  applyCredit: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/allocations',
    access: 'billing.post',
    summary: 'Apply unapplied credit to charges (oldest first, proportionally or explicitly) (audited)',
    params: l.patientAccountParamsSchema,
    body: l.applyCreditSchema,
    response: l.postingResultSchema,
  }),
  unallocatePayment: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/allocations/:allocationId/reversal',
    access: 'billing.post',
    summary: 'Take an applied amount back off a charge; it becomes unapplied credit (audited)',
    params: l.unallocateParamsSchema,
    response: l.postingResultSchema,
  }),
  listPayments: endpoint({
    method: 'GET',
    path: '/api/billing/payments',
    access: 'billing.read',
    summary: "Payments posted on a day (the clinic's calendar), with totals by method (audited)",
    query: l.paymentsQuerySchema,
    response: l.paymentListSchema,
  }),
  verifyLedger: endpoint({
    method: 'GET',
    path: '/api/billing/ledger/verify',
    access: 'billing.manage',
    summary: 'Recompute every balance from the entries and check the ledger invariants (audited)',
    response: l.ledgerVerifyResultSchema,
  }),
};
