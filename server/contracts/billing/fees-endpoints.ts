import { z } from 'zod';
import { idSchema, okSchema } from '../common';
import { endpoint, type Endpoint } from '../endpoint';
import * as c from './charges';
import * as s from './setup';

const idParams = z.object({ id: idSchema });

/**
 * Billing set-up and visit charges (docs/billing.md). Set-up reads are open to billing.read so the charge
 * panel can list codes; changes need billing.manage. Charges: reading needs billing.read or the clinician's
 * chart access (chart.read), changing them billing.post or chart.write (the clinician proposes lines at the
 * visit), closing a visit billing.post.
 */
export const billingFeesEndpoints = {
  // ---- service codes
  listServiceCodes: endpoint({
    method: 'GET',
    path: '/api/billing/service-codes',
    access: 'session',
    summary: 'The clinic’s service codes with today’s practice rate',
    response: s.serviceCodeListSchema,
  }),
  createServiceCode: endpoint({
    method: 'POST',
    path: '/api/billing/service-codes',
    access: 'billing.manage',
    summary: 'Add a service code (the clinic’s own; no CPT ships with Tessera)',
    body: s.serviceCodeCreateSchema,
    response: s.serviceCodeSchema,
  }),
  updateServiceCode: endpoint({
    method: 'PATCH',
    path: '/api/billing/service-codes/:id',
    access: 'billing.manage',
    summary: 'Change a service code’s description, default units or minutes, or retire it',
    params: idParams,
    body: s.serviceCodeUpdateSchema,
    response: s.serviceCodeSchema,
  }),
  // ---- fee schedule
  listFees: endpoint({
    method: 'GET',
    path: '/api/billing/fees',
    access: 'billing.manage',
    summary: 'The fee schedule: practice rates, provider and patient overrides (patients shown are audited)',
    query: s.feeEntryQuerySchema,
    response: s.feeEntryListSchema,
  }),
  createFee: endpoint({
    method: 'POST',
    path: '/api/billing/fees',
    access: 'billing.manage',
    summary: 'Add a practice rate, a provider override or a patient sliding-scale rate',
    body: s.feeEntryCreateSchema,
    response: s.feeEntrySchema,
  }),
  updateFee: endpoint({
    method: 'PATCH',
    path: '/api/billing/fees/:id',
    access: 'billing.manage',
    summary: 'Change a rate’s amount, dates or note',
    params: idParams,
    body: s.feeEntryUpdateSchema,
    response: s.feeEntrySchema,
  }),
  removeFee: endpoint({
    method: 'DELETE',
    path: '/api/billing/fees/:id',
    access: 'billing.manage',
    summary: 'Remove a rate (lines already made keep their fee)',
    params: idParams,
    response: okSchema,
  }),
  // ---- place of service
  listPosRules: endpoint({
    method: 'GET',
    path: '/api/billing/pos-rules',
    access: 'billing.read',
    summary: 'Place-of-service rules per payer and modality, and the built-in defaults',
    response: s.posRuleListSchema,
  }),
  createPosRule: endpoint({
    method: 'POST',
    path: '/api/billing/pos-rules',
    access: 'billing.manage',
    summary: 'Add a place-of-service rule for a payer (or every payer) and a modality',
    body: s.posRuleCreateSchema,
    response: s.posRuleSchema,
  }),
  updatePosRule: endpoint({
    method: 'PATCH',
    path: '/api/billing/pos-rules/:id',
    access: 'billing.manage',
    summary: 'Change a rule’s place of service or modifiers',
    params: idParams,
    body: s.posRuleUpdateSchema,
    response: s.posRuleSchema,
  }),
  removePosRule: endpoint({
    method: 'DELETE',
    path: '/api/billing/pos-rules/:id',
    access: 'billing.manage',
    summary: 'Remove a rule (the defaults apply again)',
    params: idParams,
    response: okSchema,
  }),
  // ---- default codes per appointment type
  listTypeCodes: endpoint({
    method: 'GET',
    path: '/api/billing/appointment-type-codes',
    access: 'billing.manage',
    summary: 'The service codes each appointment type proposes',
    response: s.appointmentTypeCodesListSchema,
  }),
  setTypeCodes: endpoint({
    method: 'PUT',
    path: '/api/billing/appointment-type-codes/:id',
    access: 'billing.manage',
    summary: 'Replace the codes an appointment type proposes (in order, with units)',
    params: idParams,
    body: s.appointmentTypeCodesUpdateSchema,
    response: s.appointmentTypeCodesSchema,
  }),
  // ---- payment policy
  getPaymentPolicy: endpoint({
    method: 'GET',
    path: '/api/billing/payment-policy',
    access: 'session',
    summary: 'The clinic’s payment policy (off, warn or block at visit start and note signing)',
    response: s.paymentPolicySchema,
  }),
  updatePaymentPolicy: endpoint({
    method: 'PUT',
    path: '/api/billing/payment-policy',
    access: 'billing.manage',
    summary: 'Change the payment policy (audited with before and after)',
    body: s.paymentPolicyUpdateSchema,
    response: s.paymentPolicySchema,
  }),
  getVisitClearance: endpoint({
    method: 'GET',
    path: '/api/billing/clearance',
    access: 'session',
    summary: 'Whether the payment policy lets a visit start or its note be signed now, and why not',
    query: c.clearanceQuerySchema,
    response: c.visitClearanceSchema,
  }),
  answerPaymentPolicy: endpoint({
    method: 'POST',
    path: '/api/billing/clearance',
    access: 'session',
    summary: 'Continue past a payment warning, or override a block with a reason (billing.override); audited',
    body: c.policyOverrideSchema,
    response: c.visitClearanceSchema,
  }),
  // ---- visit charges
  getVisitCharges: endpoint({
    method: 'GET',
    path: '/api/encounters/:id/charges',
    access: 'session',
    summary: 'A visit’s charge lines, modality, place of service and diagnoses (billing.read or chart.read; audited)',
    params: c.encounterIdParamsSchema,
    response: c.visitChargesSchema,
  }),
  getAppointmentCharges: endpoint({
    method: 'GET',
    path: '/api/appointments/:id/charges',
    access: 'session',
    summary: 'The charges of an appointment’s visit (checkout); 404 when the visit has no encounter yet',
    params: c.encounterIdParamsSchema,
    response: c.visitChargesSchema,
  }),
  proposeVisitCharges: endpoint({
    method: 'POST',
    path: '/api/encounters/:id/charges/propose',
    access: 'session',
    summary: 'Propose lines from the appointment type’s default codes (when the visit has none)',
    params: c.encounterIdParamsSchema,
    response: c.visitChargesSchema,
  }),
  addChargeLine: endpoint({
    method: 'POST',
    path: '/api/encounters/:id/charges',
    access: 'session',
    summary: 'Add a charge line (a draft; on a closed visit it posts at once)',
    params: c.encounterIdParamsSchema,
    body: c.chargeLineCreateSchema,
    response: c.visitChargesSchema,
  }),
  updateChargeLine: endpoint({
    method: 'PATCH',
    path: '/api/encounters/:id/charges/:lineId',
    access: 'session',
    summary: 'Change a draft line (units, modifiers, diagnosis pointers, provider, date, place, fee)',
    params: c.chargeLineParamsSchema,
    body: c.chargeLineUpdateSchema,
    response: c.visitChargesSchema,
  }),
  removeChargeLine: endpoint({
    method: 'DELETE',
    path: '/api/encounters/:id/charges/:lineId',
    access: 'session',
    summary: 'Remove a draft line',
    params: c.chargeLineParamsSchema,
    response: c.visitChargesSchema,
  }),
  setEncounterModality: endpoint({
    method: 'PUT',
    path: '/api/encounters/:id/modality',
    access: 'session',
    summary: 'How the visit happened (office, telehealth at home or elsewhere, audio only); re-derives draft lines’ place of service',
    params: c.encounterIdParamsSchema,
    body: c.modalityUpdateSchema,
    response: c.visitChargesSchema,
  }),
  closeVisit: endpoint({
    method: 'POST',
    path: '/api/encounters/:id/close',
    access: 'billing.post',
    summary: 'Close the visit: post its lines as charges on the patient’s account',
    params: c.encounterIdParamsSchema,
    response: c.visitChargesSchema,
  }),
  reverseChargeLine: endpoint({
    method: 'POST',
    path: '/api/encounters/:id/charges/:lineId/reverse',
    access: 'billing.post',
    summary: 'Reverse a posted charge with a reason (a reversal entry in the ledger)',
    params: c.chargeLineParamsSchema,
    body: c.chargeReverseSchema,
    response: c.visitChargesSchema,
  }),
} satisfies Record<string, Endpoint>;
