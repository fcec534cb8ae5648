import { endpoint, type Endpoint } from '../endpoint';
import { insuranceAgingQuerySchema, insuranceAgingSchema } from './reports';

/** Insurance A/R aging by payer (docs/claims.md): the report and its CSV (both audited). */
export const claimsAgingEndpoints = {
  getInsuranceAging: endpoint({
    method: 'GET',
    path: '/api/claims/reports/aging',
    access: 'claims.work',
    summary: 'Insurance A/R aging by payer, from what insurance has open on live claims (audited)',
    query: insuranceAgingQuerySchema,
    response: insuranceAgingSchema,
  }),
  exportInsuranceAging: endpoint({
    method: 'GET',
    path: '/api/claims/reports/aging/export.csv',
    access: 'claims.work',
    summary: 'Insurance A/R aging by payer as CSV (the export is audited)',
    query: insuranceAgingQuerySchema,
    response: 'csv',
  }),
} satisfies Record<string, Endpoint>;
