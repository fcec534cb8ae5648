import { z } from 'zod';
import { idSchema } from '../common';
import { boundedDate, recordDates } from '../date-bounds';

/**
 * Billing set-up (migration 0008): the clinic's own service codes, its fee schedule (practice rate per code,
 * per-provider and per-patient overrides), the place-of-service rules per payer, the default service codes of
 * each appointment type, and the payment policy. Money is integer cents everywhere.
 *
 * The product ships no CPT code (the AMA licenses CPT): each clinic enters the codes it is licensed to use,
 * or HCPCS-style custom codes of its own.
 */

// ---- shared pieces ------------------------------------------------------------------------------------------

/** The largest amount one fee, line or policy threshold may hold: $1,000,000.00. */
export const MAX_CENTS = 100_000_000;

export const centsSchema = z
  .number({ message: 'Enter an amount.' })
  .int('Enter the amount in whole cents.')
  .min(0, 'The amount cannot be negative.')
  .max(MAX_CENTS, 'At most $1,000,000.00.');

/** A procedure modifier: two letters or digits (95, GT, 25, 59, XU…). */
export const modifierSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{2}$/, 'A modifier is two letters or digits, like 95 or GT.');

export const modifiersSchema = z
  .array(modifierSchema)
  .max(4, 'At most 4 modifiers on a line.')
  .refine((m) => new Set(m).size === m.length, 'Each modifier once.');

/** A CMS place-of-service code: two digits (11 office, 02 and 10 telehealth…). */
export const placeOfServiceCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{2}$/, 'A place of service is a two-digit code, like 11 or 10.');

/** How the visit happened, which decides the place of service and telehealth modifiers. */
export const encounterModalities = ['office', 'telehealth_home', 'telehealth_other', 'audio_only'] as const;
export const encounterModalitySchema = z.enum(encounterModalities, {
  message: 'Choose how the visit happened.',
});
export type EncounterModality = z.infer<typeof encounterModalitySchema>;
export const encounterModalityLabels: Record<EncounterModality, string> = {
  office: 'In the office',
  telehealth_home: 'Telehealth (patient at home)',
  telehealth_other: 'Telehealth (patient elsewhere)',
  audio_only: 'Audio only (telephone)',
};

// ---- service codes --------------------------------------------------------------------------------------------

export const serviceCodeValueSchema = z
  .string()
  .trim()
  .toUpperCase()
  .min(1, 'Enter the code.')
  .max(10, 'At most 10 characters.')
  .regex(/^[A-Z0-9][A-Z0-9.-]*$/, 'Use letters, digits, dots and dashes only (for example 90837 or SLIDE-1).');

export const serviceCodeSchema = z.object({
  id: idSchema,
  code: z.string(),
  description: z.string(),
  defaultUnits: z.number().int(),
  defaultMinutes: z.number().int().nullable(),
  active: z.boolean(),
  /** The practice rate today, when the fee schedule has one. */
  practiceFeeCents: z.number().int().nullable(),
  updatedAt: z.string(),
});
export type ServiceCode = z.infer<typeof serviceCodeSchema>;

const description = z
  .string()
  .trim()
  .min(1, 'Describe the service (it is printed on invoices and superbills).')
  .max(200, 'At most 200 characters.');
const units = z
  .number({ message: 'Enter the units.' })
  .int('Enter whole units.')
  .min(1, 'At least 1 unit.')
  .max(99, 'At most 99 units.');
const minutes = z
  .number({ message: 'Enter the minutes.' })
  .int('Enter whole minutes.')
  .min(1, 'At least 1 minute.')
  .max(1440, 'At most 1,440 minutes.')
  .nullable();

export const serviceCodeCreateSchema = z.object({
  code: serviceCodeValueSchema,
  description,
  defaultUnits: units.default(1),
  defaultMinutes: minutes.default(null),
  active: z.boolean().default(true),
});
export type ServiceCodeCreate = z.input<typeof serviceCodeCreateSchema>;

export const serviceCodeUpdateSchema = z
  .object({
    description,
    defaultUnits: units,
    defaultMinutes: minutes,
    active: z.boolean(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'Change at least one field.');

export const serviceCodeListSchema = z.object({ serviceCodes: z.array(serviceCodeSchema) });

// ---- fee schedule ---------------------------------------------------------------------------------------------

export const feeScopes = ['practice', 'provider', 'patient'] as const;
export const feeScopeSchema = z.enum(feeScopes, { message: 'Choose practice, provider or patient.' });
export type FeeScope = z.infer<typeof feeScopeSchema>;
export const feeScopeLabels: Record<FeeScope, string> = {
  practice: 'Practice rate',
  provider: 'Provider override',
  patient: 'Patient override (sliding scale)',
};

export const feeEntrySchema = z.object({
  id: idSchema,
  serviceCodeId: idSchema,
  code: z.string(),
  scope: feeScopeSchema,
  providerUserId: idSchema.nullable(),
  providerName: z.string().nullable(),
  patientId: idSchema.nullable(),
  /** Name and MRN of the patient of an override (staff with billing.manage see it; audited as a read). */
  patientLabel: z.string().nullable(),
  amountCents: z.number().int(),
  effectiveFrom: z.string().nullable(),
  endsOn: z.string().nullable(),
  note: z.string(),
  updatedAt: z.string(),
});
export type FeeEntry = z.infer<typeof feeEntrySchema>;

const feeDate = boundedDate(recordDates);

export const feeEntryCreateSchema = z
  .object({
    serviceCodeId: idSchema,
    scope: feeScopeSchema,
    providerUserId: idSchema.nullable().default(null),
    patientId: idSchema.nullable().default(null),
    amountCents: centsSchema,
    effectiveFrom: feeDate.nullable().default(null),
    endsOn: feeDate.nullable().default(null),
    note: z.string().trim().max(200, 'At most 200 characters.').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.scope === 'provider' && !v.providerUserId)
      ctx.addIssue({ code: 'custom', path: ['providerUserId'], message: 'Choose the provider.' });
    if (v.scope === 'patient' && !v.patientId)
      ctx.addIssue({ code: 'custom', path: ['patientId'], message: 'Choose the patient.' });
    if (v.scope === 'patient' && !v.endsOn)
      ctx.addIssue({
        code: 'custom',
        path: ['endsOn'],
        message: 'A sliding-scale rate needs an end date, so it is reviewed again.',
      });
    if (v.effectiveFrom && v.endsOn && v.endsOn < v.effectiveFrom)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'The end date comes before the start date.' });
  });
export type FeeEntryCreate = z.input<typeof feeEntryCreateSchema>;

export const feeEntryUpdateSchema = z
  .object({
    amountCents: centsSchema,
    effectiveFrom: feeDate.nullable(),
    endsOn: feeDate.nullable(),
    note: z.string().trim().max(200, 'At most 200 characters.'),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'Change at least one field.');

export const feeEntryListSchema = z.object({ entries: z.array(feeEntrySchema) });
export const feeEntryQuerySchema = z.object({
  serviceCodeId: idSchema.optional(),
  patientId: idSchema.optional(),
});

// ---- place-of-service rules -----------------------------------------------------------------------------------

export const posRuleSchema = z.object({
  id: idSchema,
  /** The payer's id as on patients' coverages; null = any payer (and self-pay). */
  payerId: z.string().nullable(),
  modality: encounterModalitySchema,
  placeOfService: z.string(),
  modifiers: z.array(z.string()),
  updatedAt: z.string(),
});
export type PosRule = z.infer<typeof posRuleSchema>;

export const payerIdSchema = z
  .string()
  .trim()
  .min(1, 'Enter the payer id, or leave it empty for every payer.')
  .max(40, 'At most 40 characters.');

export const posRuleCreateSchema = z.object({
  payerId: payerIdSchema.nullable().default(null),
  modality: encounterModalitySchema,
  placeOfService: placeOfServiceCodeSchema,
  modifiers: modifiersSchema.default([]),
});
export type PosRuleCreate = z.input<typeof posRuleCreateSchema>;
export const posRuleUpdateSchema = z
  .object({ placeOfService: placeOfServiceCodeSchema, modifiers: modifiersSchema })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'Change at least one field.');

/** The rules, and the built-in defaults that apply where no rule does. */
export const posRuleListSchema = z.object({
  rules: z.array(posRuleSchema),
  defaults: z.array(
    z.object({ modality: encounterModalitySchema, placeOfService: z.string(), modifiers: z.array(z.string()) }),
  ),
});

// ---- default codes per appointment type -----------------------------------------------------------------------

export const typeDefaultCodeSchema = z.object({
  serviceCodeId: idSchema,
  code: z.string(),
  description: z.string(),
  units: z.number().int(),
});
export const appointmentTypeCodesSchema = z.object({
  appointmentTypeId: idSchema,
  appointmentTypeName: z.string(),
  codes: z.array(typeDefaultCodeSchema),
});
export const appointmentTypeCodesListSchema = z.object({ types: z.array(appointmentTypeCodesSchema) });
export const appointmentTypeCodesUpdateSchema = z.object({
  codes: z
    .array(z.object({ serviceCodeId: idSchema, units }))
    .max(8, 'At most 8 default codes per appointment type.')
    .refine(
      (c) => new Set(c.map((x) => x.serviceCodeId)).size === c.length,
      'List each code once (set its units instead).',
    ),
});

// ---- payment policy -------------------------------------------------------------------------------------------

export const paymentPolicyModes = ['off', 'warn', 'block'] as const;
export const paymentPolicyModeSchema = z.enum(paymentPolicyModes, { message: 'Choose off, warn or block.' });
export type PaymentPolicyMode = z.infer<typeof paymentPolicyModeSchema>;
export const paymentPolicyModeLabels: Record<PaymentPolicyMode, string> = {
  off: 'Off',
  warn: 'Warn (staff may continue)',
  block: 'Block (until paid, insured, or overridden with a reason)',
};

export const paymentPolicySchema = z.object({
  mode: paymentPolicyModeSchema,
  /** Where the policy applies. */
  atVisitStart: z.boolean(),
  atNoteSigning: z.boolean(),
  /** A due amount at or below this counts as paid (0 = every cent). */
  toleranceCents: centsSchema,
  /** Insurance on file and in effect on the visit date clears the visit. */
  insuranceClears: z.boolean(),
});
export type PaymentPolicy = z.infer<typeof paymentPolicySchema>;
export const paymentPolicyUpdateSchema = paymentPolicySchema;
