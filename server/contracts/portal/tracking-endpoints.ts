import { okSchema } from '../common';
import { endpoint } from '../endpoint';
import { portalPatientParamsSchema } from './index';
import * as t from './tracking';
import { patientAdherenceSchema } from './adherence';

/**
 * Health tracking on the patient's chart (see ../api.ts): what the patient entered in the portal (pulled
 * from central) with the clinician's ranges, and setting a range. Served from the workstation's copy, so
 * it works offline; a range reaches central with the next sync.
 */
export const trackingEndpoints = {
  patientTracking: endpoint({
    method: 'GET',
    path: '/api/patients/:patientId/tracking',
    access: 'chart.read',
    summary: "The patient's tracking entries from the portal (newest first) and the clinician's ranges",
    params: portalPatientParamsSchema,
    response: t.patientTrackingSchema,
  }),
  patientAdherence: endpoint({
    method: 'GET',
    path: '/api/patients/:patientId/adherence',
    access: 'chart.read',
    summary: "The patient's medication reports from the portal (last 14 days, newest first)",
    params: portalPatientParamsSchema,
    response: patientAdherenceSchema,
  }),
  trackingRangeSet: endpoint({
    method: 'PUT',
    path: '/api/patients/:patientId/tracking-ranges/:kind',
    access: 'chart.write',
    summary: 'Set the range outside which a kind of tracking entry is flagged for this patient',
    params: t.trackingRangeParamsSchema,
    body: t.trackingRangeInputSchema,
    response: okSchema,
  }),
};
