import { z } from 'zod';
import { idSchema } from '../common';
import { boundedDate, recordDates, withDateRange } from '../date-bounds';
import { centsSchema } from './setup';

/**
 * Billing documents (receipt, invoice, statement, superbill, good-faith estimate), the patient's saved
 * documents, batch statement runs, and the clinic's document settings. See docs/billing.md, "Documents
 * and reports".
 */

export const billingDocumentKinds = [
  'receipt',
  'invoice',
  'statement',
  'family_statement',
  'superbill',
  'good_faith_estimate',
] as const;
export const billingDocumentKindSchema = z.enum(billingDocumentKinds);
export type BillingDocumentKind = z.infer<typeof billingDocumentKindSchema>;

const docDate = boundedDate(recordDates);
const line = (max: number) => z.string().trim().max(max, `Use ${max} characters or fewer.`);

export const billingDocumentSettingsSchema = z.object({
  addressLines: z.array(line(120)).max(3, 'At most 3 address lines.'),
  phone: line(40),
  email: line(200),
  /** The clinic's EIN (12-3456789), printed on superbills and good-faith estimates. */
  taxId: z
    .string()
    .trim()
    .regex(/^(\d{2}-\d{7})?$/, 'Enter the tax ID (EIN) as 12-3456789, or leave it empty.'),
  /** The clinic's group NPI (10 digits), when it has one. */
  npi: z
    .string()
    .trim()
    .regex(/^(\d{10})?$/, 'An NPI has 10 digits.'),
  /** Printed under "How to pay" on statements and invoices; one paragraph per line. */
  payInstructions: line(1000),
  /** Whom checks are made payable to; the clinic's name when empty. */
  payableTo: line(120),
  /** Days from the statement date to the due date. */
  dueDays: z.number().int('Enter whole days.').min(0).max(90, 'At most 90 days.'),
  /** Each provider's license as printed on superbills, e.g. "IL LCPC 180.012345". */
  providerLicenses: z.array(z.object({ userId: idSchema, license: line(80) })).max(500),
});
export type BillingDocumentSettings = z.infer<typeof billingDocumentSettingsSchema>;

export const accountParamsSchema = z.object({ patientId: idSchema });
export const patientDocumentParamsSchema = z.object({ patientId: idSchema, documentId: idSchema });
export const encounterParamsSchema = z.object({ id: idSchema });

const statementRange = withDateRange(z.object({ from: docDate, to: docDate }), 366);

/** What to make: the statement for a range, the invoice or superbill of a visit, the receipt of a payment. */
export const documentRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('statement'), from: docDate, to: docDate }),
  z.object({ kind: z.literal('invoice'), encounterId: idSchema }),
  z.object({ kind: z.literal('superbill'), encounterId: idSchema }),
  z.object({ kind: z.literal('receipt'), paymentEntryId: idSchema }),
]);
export type DocumentRequest = z.infer<typeof documentRequestSchema>;

/** The same request as query parameters, for printing without saving. */
export const documentPreviewQuerySchema = z
  .object({
    kind: z.enum(['statement', 'invoice', 'superbill', 'receipt']),
    from: docDate.optional(),
    to: docDate.optional(),
    encounterId: idSchema.optional(),
    paymentEntryId: idSchema.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.kind === 'statement') {
      if (!q.from)
        ctx.addIssue({ code: 'custom', message: 'Choose the first day of the statement.', path: ['from'] });
      if (!q.to)
        ctx.addIssue({ code: 'custom', message: 'Choose the last day of the statement.', path: ['to'] });
      if (q.from && q.to && q.to < q.from)
        ctx.addIssue({
          code: 'custom',
          message: 'The end date must not be before the start date.',
          path: ['to'],
        });
    }
    if ((q.kind === 'invoice' || q.kind === 'superbill') && !q.encounterId)
      ctx.addIssue({ code: 'custom', message: 'Choose the visit.', path: ['encounterId'] });
    if (q.kind === 'receipt' && !q.paymentEntryId)
      ctx.addIssue({ code: 'custom', message: 'Choose the payment.', path: ['paymentEntryId'] });
  });

export const gfeItemSchema = z.object({
  code: z.string().trim().min(1, 'Enter the service code.').max(20),
  description: z.string().trim().min(1, 'Describe the service.').max(200),
  units: z.number().int('Enter whole units.').min(1, 'At least 1 unit.').max(99),
  unitFeeCents: centsSchema,
  quantity: z.number().int('Enter a whole number of visits.').min(1, 'At least 1 visit.').max(366),
});

export const goodFaithEstimateRequestSchema = z
  .object({
    providerUserId: idSchema,
    primaryService: z.string().trim().min(1, 'Say what the estimate is for.').max(200),
    /** How the duty arose: the service was scheduled (on a day, for a day), or the patient asked. */
    trigger: z.enum(['scheduled', 'requested']),
    scheduledOn: docDate.nullable().default(null),
    serviceDate: docDate.nullable().default(null),
    requestedOn: docDate.nullable().default(null),
    items: z.array(gfeItemSchema).min(1, 'List at least one expected service.').max(30),
    diagnosisCodes: z
      .array(z.object({ code: z.string().trim().max(10), description: z.string().trim().max(300) }))
      .max(12)
      .default([]),
    separatelyScheduled: z.array(z.string().trim().min(1).max(200)).max(10).default([]),
    location: z.string().trim().max(200).default(''),
  })
  .superRefine((v, ctx) => {
    if (v.trigger === 'scheduled') {
      if (!v.scheduledOn)
        ctx.addIssue({
          code: 'custom',
          message: 'Enter the day the service was scheduled.',
          path: ['scheduledOn'],
        });
      if (!v.serviceDate)
        ctx.addIssue({ code: 'custom', message: 'Enter the day of the service.', path: ['serviceDate'] });
      if (v.scheduledOn && v.serviceDate && v.serviceDate < v.scheduledOn)
        ctx.addIssue({
          code: 'custom',
          message: 'The service cannot be before it was scheduled.',
          path: ['serviceDate'],
        });
    } else if (!v.requestedOn) {
      ctx.addIssue({
        code: 'custom',
        message: 'Enter the day the patient asked for the estimate.',
        path: ['requestedOn'],
      });
    }
  });
export type GoodFaithEstimateRequest = z.infer<typeof goodFaithEstimateRequestSchema>;

export const patientDocumentSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  kind: billingDocumentKindSchema,
  /** What it is, without patient data: "Statement 1 Nov 2026 – 30 Nov 2026". */
  title: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  bytes: z.number().int(),
  sha256: z.string(),
  /** The figure that matters on it (amount due, amount paid, estimated total), in cents. */
  amountCents: z.number().int().nullable(),
  /** Statement run that made it, if any. */
  runId: z.string().nullable(),
  /** A guarantor's family statement: every account it covers (a copy is kept in each one's documents). */
  coversPatientIds: z.array(idSchema).max(100).optional(),
});
export type PatientDocument = z.infer<typeof patientDocumentSchema>;
export const patientDocumentListSchema = z.object({ documents: z.array(patientDocumentSchema) });

export const statementRunStates = ['running', 'done', 'failed', 'cancelled'] as const;
export const statementRunRequestSchema = statementRange.and(
  z.object({
    /** Only patients whose own share is at least this much on the last day get a statement. */
    minBalanceCents: centsSchema.default(1),
    /**
     * 'guarantor': a patient with a family account (docs/billing.md, "Guarantor accounts") is billed on
     * one family statement for everyone the guarantor answers for, instead of a statement of their own.
     */
    statementPer: z.enum(['patient', 'guarantor']).default('patient'),
  }),
);

/** A guarantor's family statement for a date range, made from any of the accounts they answer for. */
export const familyStatementRequestSchema = statementRange;
export type StatementRunRequest = z.infer<typeof statementRunRequestSchema>;

export const statementRunSchema = z.object({
  id: idSchema,
  state: z.enum(statementRunStates),
  from: z.string(),
  to: z.string(),
  minBalanceCents: z.number().int(),
  statementPer: z.enum(['patient', 'guarantor']),
  /** Patients with a statement to make, once counted (null while counting). */
  total: z.number().int().nullable(),
  done: z.number().int(),
  failed: z.number().int(),
  /** The sum of the amounts due on the statements made. */
  amountDueCents: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  startedBy: z.string().nullable(),
  message: z.string().nullable(),
});
export type StatementRun = z.infer<typeof statementRunSchema>;
export const statementRunListSchema = z.object({ runs: z.array(statementRunSchema) });
export const statementRunParamsSchema = z.object({ id: idSchema });
