import { z } from 'zod';
import { agingSchema } from '../billing/reports';
import { boundedDate, recordDates } from '../date-bounds';

/**
 * Insurance A/R aging by payer (docs/claims.md "Insurance A/R aging"): what insurance still has open on the
 * charges of each live claim, read from the ledger, aged from the claim's first date of service.
 */
export const insuranceAgingQuerySchema = z.object({ asOf: boundedDate(recordDates).optional() });

export const insuranceAgingRowSchema = z.object({
  payerId: z.string().nullable(),
  payerName: z.string(),
  /** Claims with something still open. */
  claimCount: z.number().int(),
  aging: agingSchema,
  totalCents: z.number().int(),
});
export type InsuranceAgingRow = z.infer<typeof insuranceAgingRowSchema>;

export const insuranceAgingSchema = z.object({
  asOf: z.string(),
  payers: z.array(insuranceAgingRowSchema),
  total: insuranceAgingRowSchema,
});
export type InsuranceAging = z.infer<typeof insuranceAgingSchema>;
