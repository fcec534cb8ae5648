import { z } from 'zod';
import { idSchema } from '../common';
import { boundedDate, recordDates, withDateRange } from '../date-bounds';

/** Billing reports: A/R aging, daily close, payments by method; each also as CSV (the export is audited). */

const reportDate = boundedDate(recordDates);

export const agingBucketKeys = ['0_30', '31_60', '61_90', '91_120', '120_plus'] as const;
export const agingSchema = z.object({
  '0_30': z.number().int(),
  '31_60': z.number().int(),
  '61_90': z.number().int(),
  '91_120': z.number().int(),
  '120_plus': z.number().int(),
});

/** Aged amounts of one group (a patient, a provider, a location, or everything), split by who owes them. */
export const agingRowSchema = z.object({
  key: z.string().nullable(),
  label: z.string(),
  patient: agingSchema,
  insurance: agingSchema,
  patientCents: z.number().int(),
  insuranceCents: z.number().int(),
  /** Credits (balances below zero) are not aged; they are shown beside the aged amounts. */
  creditCents: z.number().int(),
  totalCents: z.number().int(),
});
export type AgingRow = z.infer<typeof agingRowSchema>;

export const agingQuerySchema = z.object({
  asOf: reportDate.optional(),
  providerId: idSchema.optional(),
  locationId: idSchema.optional(),
  /** How many patients to list (largest balance first); the CSV lists all. */
  limit: z.coerce.number().int().min(1).max(5000).default(200),
});
export const agingReportSchema = z.object({
  asOf: z.string(),
  total: agingRowSchema,
  byProvider: z.array(agingRowSchema),
  byLocation: z.array(agingRowSchema),
  patients: z.array(agingRowSchema.extend({ mrn: z.string() })),
  patientCount: z.number().int(),
  entryCount: z.number().int(),
});
export type AgingReport = z.infer<typeof agingReportSchema>;

export const reportMethods = ['cash', 'check', 'card', 'other'] as const;
const methodTotals = z.object({
  cash: z.number().int(),
  check: z.number().int(),
  card: z.number().int(),
  other: z.number().int(),
});

export const dailyCloseQuerySchema = z.object({
  date: reportDate.optional(),
  userId: idSchema.optional(),
});
export const dailyCloseRowSchema = z.object({
  userId: z.string().nullable(),
  name: z.string(),
  payments: methodTotals,
  paymentCount: z.number().int(),
  refunds: methodTotals,
  /** Payments less refunds. */
  netCents: z.number().int(),
  /** Cash and checks taken in, less cash and check refunds: what goes to the bank. */
  toDepositCents: z.number().int(),
});
export const dailyCloseSchema = z.object({
  date: z.string(),
  timeZone: z.string(),
  byUser: z.array(dailyCloseRowSchema),
  clinic: dailyCloseRowSchema,
  checks: z.array(
    z.object({
      entryId: z.string(),
      checkNumber: z.string().nullable(),
      amountCents: z.number().int(),
      userName: z.string(),
      postedAt: z.string(),
    }),
  ),
});
export type DailyClose = z.infer<typeof dailyCloseSchema>;

export const paymentsReportQuerySchema = withDateRange(z.object({ from: reportDate, to: reportDate }), 366);
export const paymentsReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  methods: z.array(
    z.object({
      method: z.enum(reportMethods),
      responsibility: z.enum(['patient', 'insurance']),
      count: z.number().int(),
      paymentsCents: z.number().int(),
      refundsCents: z.number().int(),
      netCents: z.number().int(),
    }),
  ),
  totalPaymentsCents: z.number().int(),
  totalRefundsCents: z.number().int(),
});
export type PaymentsReport = z.infer<typeof paymentsReportSchema>;

export const reportExportParamsSchema = z.object({ report: z.enum(['aging', 'daily-close', 'payments']) });
/** The union of the reports' filters; each report reads its own. */
export const reportExportQuerySchema = z.object({
  asOf: reportDate.optional(),
  providerId: idSchema.optional(),
  locationId: idSchema.optional(),
  date: reportDate.optional(),
  userId: idSchema.optional(),
  from: reportDate.optional(),
  to: reportDate.optional(),
});
