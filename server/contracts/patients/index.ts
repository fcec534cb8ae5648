import { z } from 'zod';
import { idSchema } from '../common';

/**
 * The patient core the workstation base needs (identity, restriction for break-glass). The registry issue
 * extends it with full demographics, coverages and search.
 */
export const patientCreateSchema = z.object({
  legalFirstName: z.string().trim().min(1, 'Enter the legal first name.').max(100),
  legalLastName: z.string().trim().min(1, 'Enter the legal last name.').max(100),
  dateOfBirth: z.iso.date({ message: 'Enter the date of birth as YYYY-MM-DD.' }),
  restricted: z.boolean().default(false),
});
export type PatientCreate = z.infer<typeof patientCreateSchema>;

export const patientSchema = z.object({
  id: idSchema,
  mrn: z.string(),
  legalFirstName: z.string(),
  legalLastName: z.string(),
  dateOfBirth: z.string(),
  restricted: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Patient = z.infer<typeof patientSchema>;

export const patientIdParamsSchema = z.object({ id: idSchema });

export const emergencyAccessRequestSchema = z.object({
  patientId: idSchema,
  reason: z.string().trim().min(10, 'Say why you need emergency access (at least 10 characters).').max(1000),
});
export const emergencyAccessGrantSchema = z.object({ patientId: idSchema, expiresAt: z.string() });
