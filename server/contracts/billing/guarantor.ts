import { z } from 'zod';
import { guarantorSchema } from '../patients';
import { idSchema } from '../common';

/**
 * The guarantor of an account (the responsible party, e.g. a parent), as the billing screens show it:
 * who it is, whom statements are addressed to, and every account the same person is responsible for —
 * the guarantor's family account (docs/billing.md, "Guarantor accounts").
 */

export const guarantorAccountSchema = z.object({
  patientId: idSchema,
  /** "Last, First" and MRN: what the account banner shows even of a restricted record. */
  name: z.string(),
  mrn: z.string(),
  /** How the guarantor is related to this patient; 'self' for the guarantor's own account. */
  relationship: z.string(),
  patientCents: z.number().int(),
  insuranceCents: z.number().int(),
});
export type GuarantorAccount = z.infer<typeof guarantorAccountSchema>;

export const accountGuarantorSchema = z.object({
  patientId: idSchema,
  /** Null when none is on file (the patient is responsible); relationship 'self' when the patient is. */
  guarantor: guarantorSchema.nullable(),
  /** Whom statements are addressed to (null: the patient). */
  billTo: z.object({ name: z.string(), addressLines: z.array(z.string()) }).nullable(),
  /**
   * The accounts this guarantor answers for, this one first: patients whose guarantor is the same person
   * (same first and last name and date of birth), and the guarantor's own account when they are a patient
   * too. Empty when the patient is their own guarantor or the guarantor has no date of birth on file.
   */
  accounts: z.array(guarantorAccountSchema),
  /** What the patients of those accounts owe together (their own share, not insurance's). */
  totalPatientCents: z.number().int(),
});
export type AccountGuarantor = z.infer<typeof accountGuarantorSchema>;
