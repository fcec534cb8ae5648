import { z } from 'zod';
import { idSchema } from '../common';
import { boundedDate, recordDates } from '../date-bounds';
import {
  encounterModalitySchema,
  modifiersSchema,
  placeOfServiceCodeSchema,
  centsSchema,
  paymentPolicyModeSchema,
} from './setup';

/**
 * Charge lines on a visit (encounter), and the payment-policy clearance of a visit. A line is a draft
 * (editable) until the visit is closed; closing posts each line as a `charge` ledger entry and the line
 * becomes `posted`. A posted line is corrected only by reversing it (a `reversal` ledger entry; the line
 * becomes `reversed`) and adding a new one.
 */

export const chargeLineStatuses = ['draft', 'posted', 'reversed'] as const;
export const chargeLineStatusSchema = z.enum(chargeLineStatuses);
export type ChargeLineStatus = z.infer<typeof chargeLineStatusSchema>;

/** Ordered pointers (1-based) into the visit's diagnoses: the first is the line's primary diagnosis. */
export const diagnosisPointersSchema = z
  .array(z.number().int('Point at a diagnosis by its number.').min(1, 'Diagnoses are numbered from 1.').max(12))
  .min(1, 'Point the line at 1 to 4 of the visit’s diagnoses.')
  .max(4, 'At most 4 diagnoses per line.')
  .refine((p) => new Set(p).size === p.length, 'Point at each diagnosis once.');

export const chargeLineSchema = z.object({
  id: idSchema,
  encounterId: idSchema,
  patientId: idSchema,
  serviceCodeId: idSchema,
  code: z.string(),
  description: z.string(),
  units: z.number().int(),
  modifiers: z.array(z.string()),
  diagnosisPointers: z.array(z.number().int()),
  renderingProviderUserId: idSchema,
  renderingProviderName: z.string(),
  dateOfService: z.string(),
  placeOfService: z.string(),
  unitFeeCents: z.number().int(),
  amountCents: z.number().int(),
  status: chargeLineStatusSchema,
  ledgerEntryId: z.string().nullable(),
  /** Which rate the fee came from when it was proposed or last re-priced; 'manual' when typed. */
  feeSource: z.enum(['practice', 'provider', 'patient', 'manual', 'none']),
  position: z.number().int(),
});
export type ChargeLine = z.infer<typeof chargeLineSchema>;

export const visitChargesSchema = z.object({
  encounterId: idSchema,
  patientId: idSchema,
  dateOfService: z.string(),
  modality: encounterModalitySchema,
  closedAt: z.string().nullable(),
  /** The visit's diagnoses in rank order; pointers number them from 1. */
  diagnoses: z.array(z.object({ code: z.string(), description: z.string() })),
  lines: z.array(chargeLineSchema),
  /** Live lines (draft and posted) added up. */
  totalCents: z.number().int(),
  /** Derived for the visit's modality and the patient's primary payer. */
  placeOfService: z.string(),
  posModifiers: z.array(z.string()),
});
export type VisitCharges = z.infer<typeof visitChargesSchema>;

export const encounterIdParamsSchema = z.object({ id: idSchema });
export const chargeLineParamsSchema = z.object({ id: idSchema, lineId: idSchema });

const units = z
  .number({ message: 'Enter the units.' })
  .int('Enter whole units.')
  .min(1, 'At least 1 unit.')
  .max(99, 'At most 99 units.');

export const chargeLineCreateSchema = z.object({
  serviceCodeId: idSchema,
  units: units.optional(),
  /** Omitted: the place-of-service modifiers of the visit's modality. */
  modifiers: modifiersSchema.optional(),
  diagnosisPointers: diagnosisPointersSchema.default([1]),
  renderingProviderUserId: idSchema.optional(),
  dateOfService: boundedDate(recordDates).optional(),
  placeOfService: placeOfServiceCodeSchema.optional(),
  /** Omitted: from the fee schedule. */
  unitFeeCents: centsSchema.optional(),
});
export type ChargeLineCreate = z.input<typeof chargeLineCreateSchema>;

export const chargeLineUpdateSchema = z
  .object({
    units,
    modifiers: modifiersSchema,
    diagnosisPointers: diagnosisPointersSchema,
    renderingProviderUserId: idSchema,
    dateOfService: boundedDate(recordDates),
    placeOfService: placeOfServiceCodeSchema,
    unitFeeCents: centsSchema,
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'Change at least one field.');
export type ChargeLineUpdate = z.input<typeof chargeLineUpdateSchema>;

export const modalityUpdateSchema = z.object({ modality: encounterModalitySchema });

export const chargeReverseSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(3, 'Say why the charge is reversed (it is kept in the ledger and the audit log).')
    .max(200, 'At most 200 characters.'),
});

// ---- payment policy at the visit ------------------------------------------------------------------------------

export const policyPoints = ['start_visit', 'sign_note'] as const;
export const policyPointSchema = z.enum(policyPoints);
export type PolicyPoint = z.infer<typeof policyPointSchema>;

export const clearanceReasons = [
  'policy_off',
  'nothing_due',
  'insurance_in_effect',
  'claim_created',
  'overridden',
  'acknowledged',
] as const;
export type ClearanceReason = (typeof clearanceReasons)[number];

export const visitClearanceSchema = z.object({
  mode: paymentPolicyModeSchema,
  point: policyPointSchema,
  /** True when the action may go ahead without asking. */
  cleared: z.boolean(),
  reason: z.enum(clearanceReasons).nullable(),
  /** What the patient owes now (past balance + this visit's copay not yet paid). */
  dueCents: z.number().int(),
  insuranceInEffect: z.boolean(),
  /** A sentence for the dialog when not cleared. */
  message: z.string(),
  /** Whether the signed-in user may override a block. */
  mayOverride: z.boolean(),
});
export type VisitClearance = z.infer<typeof visitClearanceSchema>;

export const clearanceQuerySchema = z
  .object({
    appointmentId: idSchema.optional(),
    encounterId: idSchema.optional(),
    point: policyPointSchema,
  })
  .refine((q) => !!q.appointmentId || !!q.encounterId, 'Name the appointment or the encounter.');

export const policyOverrideSchema = z.object({
  appointmentId: idSchema.nullable().default(null),
  encounterId: idSchema.nullable().default(null),
  point: policyPointSchema,
  /** 'acknowledge' answers a warning; 'override' lifts a block and needs billing.override and a reason. */
  kind: z.enum(['acknowledge', 'override']),
  reason: z.string().trim().max(300, 'At most 300 characters.').default(''),
});
export type PolicyOverride = z.input<typeof policyOverrideSchema>;
