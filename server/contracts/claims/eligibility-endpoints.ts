import { endpoint, type Endpoint } from '../endpoint';
import * as e from './eligibility';

/**
 * Eligibility 270/271 (docs/claims.md "Eligibility"): billers build the day's 270 and read 271 answers
 * (`claims.work`); whoever may read the patient sees the answers on the insurance panel and at check-in.
 */
export const eligibilityEndpoints = {
  buildEligibilityRequest: endpoint({
    method: 'POST',
    path: '/api/eligibility/requests',
    access: 'claims.work',
    summary: "Build a 270 for the coverages of a day's appointments; each request is traced to its coverage (audited)",
    body: e.buildEligibilityBodySchema,
    response: e.builtEligibilitySchema,
  }),
  importEligibilityResponse: endpoint({
    method: 'POST',
    path: '/api/eligibility/responses',
    access: 'claims.work',
    summary: 'Read a 271 file: each answer is kept on the coverage its trace names (audited)',
    body: e.importEligibilityBodySchema,
    response: e.eligibilityImportResultSchema,
  }),
  getPatientEligibility: endpoint({
    method: 'GET',
    path: '/api/patients/:id/eligibility',
    access: 'patients.read',
    summary: "The newest eligibility answer for each of a patient's coverages (audited)",
    params: e.patientEligibilityParamsSchema,
    response: e.patientEligibilitySchema,
  }),
} satisfies Record<string, Endpoint>;
