import { z } from 'zod';
import { idSchema } from '../common';
import { boundedDate, scheduleDates } from '../date-bounds';

/**
 * Eligibility (270/271, docs/claims.md "Eligibility"): a 270 batch for a day's appointments, 271 answers read
 * into a coverage summary kept per coverage, shown on the patient's insurance panel and at check-in.
 * `requested`: asked, no answer yet. A summary never carries names, member ids or dates of birth.
 */
export const eligibilityStatuses = ['requested', 'active', 'inactive', 'rejected', 'unknown'] as const;
export type EligibilityStatus = (typeof eligibilityStatuses)[number];
export const eligibilityStatusLabels: Record<EligibilityStatus, string> = {
  requested: 'Asked, no answer yet',
  active: 'Active',
  inactive: 'Not active',
  rejected: 'Request rejected',
  unknown: 'No usable answer',
};

export const eligibilitySummarySchema = z.object({
  planName: z.string(),
  copays: z.array(z.object({ serviceTypeText: z.string(), amountCents: z.number().int(), network: z.string() })),
  coinsurance: z.array(z.object({ serviceTypeText: z.string(), percent: z.number(), network: z.string() })),
  deductible: z.object({
    individualTotalCents: z.number().int().nullable(),
    individualRemainingCents: z.number().int().nullable(),
    familyTotalCents: z.number().int().nullable(),
    familyRemainingCents: z.number().int().nullable(),
  }),
  rejections: z.array(z.object({ code: z.string(), text: z.string() })),
  /** Readable lines for the check-in dialog. */
  lines: z.array(z.string()),
});
export type EligibilitySummary = z.infer<typeof eligibilitySummarySchema>;

export const eligibilityCheckSchema = z.object({
  id: z.string(),
  coverageId: z.string(),
  /** The coverage as the desk knows it (its order and payer), for the check-in dialog. */
  coveragePriority: z.string(),
  payerName: z.string(),
  appointmentId: z.string().nullable(),
  serviceDate: z.string(),
  status: z.enum(eligibilityStatuses),
  summary: eligibilitySummarySchema.nullable(),
  requestedAt: z.string(),
  answeredAt: z.string().nullable(),
});
export type EligibilityCheck = z.infer<typeof eligibilityCheckSchema>;

export const buildEligibilityBodySchema = z.object({ date: boundedDate(scheduleDates) });
export const builtEligibilitySchema = z.object({
  fileId: z.string(),
  fileName: z.string(),
  content: z.string(),
  interchangeControlNumber: z.number().int(),
  inquiries: z.number().int(),
  /** Appointments left out, with the reason (for the biller; never logged). */
  skipped: z.array(z.object({ appointmentId: z.string(), patientName: z.string(), reason: z.string() })),
});

export const importEligibilityBodySchema = z.object({
  name: z.string().trim().min(1, 'Name the file.').max(200, 'At most 200 characters.'),
  content: z.string().min(1, 'Choose a 271 file.').max(50 * 1024 * 1024, 'The file is larger than 50 MB.'),
});
export const eligibilityImportResultSchema = z.object({
  fileId: z.string(),
  answered: z.number().int(),
  /** Answers whose trace names no request of ours (reported, never guessed). */
  unknownTraces: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
});

export const patientEligibilityParamsSchema = z.object({ id: idSchema });
export const patientEligibilitySchema = z.object({
  /** The newest check per coverage of the patient. */
  checks: z.array(eligibilityCheckSchema),
});
