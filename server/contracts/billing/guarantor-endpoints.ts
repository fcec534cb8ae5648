import { endpoint } from '../endpoint';
import { familyPaymentResultSchema, familyPaymentSchema } from './family-payment';
import { accountGuarantorSchema } from './guarantor';
import { patientAccountParamsSchema } from './ledger';

/** The guarantor of an account and its family account (docs/billing.md, "Guarantor accounts"). */
export const guarantorEndpoints = {
  getAccountGuarantor: endpoint({
    method: 'GET',
    path: '/api/billing/accounts/:patientId/guarantor',
    access: 'billing.read',
    summary:
      "An account's guarantor, whom statements go to, and every account that guarantor answers for with balances (audited)",
    params: patientAccountParamsSchema,
    response: accountGuarantorSchema,
  }),
  postFamilyPayment: endpoint({
    method: 'POST',
    path: '/api/billing/accounts/:patientId/family-payments',
    access: 'billing.post',
    summary:
      "A guarantor's payment split across the family's accounts (oldest first, by balance, or amounts per account), one payment entry per account (audited)",
    params: patientAccountParamsSchema,
    body: familyPaymentSchema,
    response: familyPaymentResultSchema,
  }),
};
