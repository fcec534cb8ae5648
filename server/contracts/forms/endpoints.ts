import { okSchema } from '../common';
import { endpoint } from '../endpoint';
import { portalPatientParamsSchema } from '../portal';
import * as f from './index';

/**
 * Portal forms on the workstation (see ../api.ts): send an intake or a consent from the patient record,
 * read what came back (a signed consent as its PDF), and the staff review queue of demographic changes a
 * patient proposed. Served from the replicated copy (works offline); every access is audited.
 */
export const formEndpoints = {
  patientForms: endpoint({
    method: 'GET',
    path: '/api/patients/:patientId/forms',
    access: 'patients.read',
    summary:
      "The patient's portal forms: sent, submitted (intake answers, signed consents), proposed changes",
    params: portalPatientParamsSchema,
    response: f.patientFormsSchema,
  }),
  formSend: endpoint({
    method: 'POST',
    path: '/api/patients/:patientId/forms',
    access: 'patients.write',
    summary: 'Ask the patient to fill in the intake or sign a consent in the portal',
    params: portalPatientParamsSchema,
    body: f.formSendSchema,
    response: okSchema,
  }),
  formStop: endpoint({
    method: 'POST',
    path: '/api/patients/:patientId/forms/:id/stop',
    access: 'patients.write',
    summary: 'Stop asking for a form',
    params: f.patientFormParamsSchema,
    response: okSchema,
  }),
  formConsentPdf: endpoint({
    method: 'GET',
    path: '/api/patients/:patientId/form-submissions/:id/pdf',
    access: 'patients.read',
    summary: 'A signed consent as a PDF: the exact text signed, the typed name and drawn signature (audited)',
    params: f.patientFormParamsSchema,
    response: 'pdf',
  }),
  formChanges: endpoint({
    method: 'GET',
    path: '/api/form-changes',
    access: 'patients.read',
    summary: 'Demographic changes patients proposed in the portal, waiting for staff review',
    response: f.formChangeListSchema,
  }),
  formChangeDecide: endpoint({
    method: 'POST',
    path: '/api/form-changes/:id',
    access: 'patients.write',
    summary: 'Accept (changes the record) or reject one proposed change',
    params: f.formChangeParamsSchema,
    body: f.formChangeDecisionSchema,
    response: f.formChangeSchema,
  }),
};
