import type { claimsAgingEndpoints } from '../../../contracts/claims/aging-endpoints';
import type { eligibilityEndpoints } from '../../../contracts/claims/eligibility-endpoints';
import type { Store } from '../../db/store';
import { insuranceAging, insuranceAgingCsv } from '../../services/claims/aging';
import { buildEligibilityRequest, importEligibilityResponse, patientEligibility } from '../../services/claims/eligibility';
import type { Handlers } from '../context';

type Names = keyof typeof claimsAgingEndpoints | keyof typeof eligibilityEndpoints;

/**
 * Insurance A/R aging by payer (viewing and exporting are both audited; no patient in either) and
 * eligibility 270/271.
 */
export function claimsReportHandlers(deps: { store: Store }): Handlers<Names> {
  const { store } = deps;
  return {
    buildEligibilityRequest: ({ body, signedIn }) => buildEligibilityRequest(store, signedIn.actor, body.date),
    importEligibilityResponse: ({ body, signedIn }) => importEligibilityResponse(store, signedIn.actor, body.name, body.content),
    getPatientEligibility: ({ params, signedIn }) => patientEligibility(store, signedIn.actor, params.id),
    getInsuranceAging: ({ query, signedIn }) => {
      const report = insuranceAging(store, query);
      store.audit(signedIn.actor, { action: 'billing.report_view', detail: { report: 'insurance-aging', asOf: report.asOf, payers: report.payers.length } });
      return report;
    },
    exportInsuranceAging: ({ query, res, signedIn }) => {
      const report = insuranceAging(store, query);
      store.audit(signedIn.actor, { action: 'billing.report_export', detail: { report: 'insurance-aging', format: 'csv', asOf: report.asOf } });
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="tessera-insurance-aging-${report.asOf}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      for (const chunk of insuranceAgingCsv(report)) res.write(chunk);
      res.end();
    },
  };
}
