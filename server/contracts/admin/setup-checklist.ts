import { z } from 'zod';

/** The steps that make a new clinic ready for its first day, in the order they are usually done. */
export const setupStepKeys = [
  'locations',
  'appointment_types',
  'providers',
  'staff',
  'code_set',
  'central_server',
] as const;
export type SetupStepKey = (typeof setupStepKeys)[number];

export const setupStepSchema = z.object({
  key: z.enum(setupStepKeys),
  done: z.boolean(),
  /** A step a clinic may skip (a single workstation needs no central server). */
  optional: z.boolean(),
  /** What the data says now ("2 locations", "1 of 2 providers has hours"); never names or PHI. */
  detail: z.string(),
});
export type SetupStep = z.infer<typeof setupStepSchema>;

export const setupChecklistSchema = z.object({
  steps: z.array(setupStepSchema),
  /** Every step that is not optional is done. */
  complete: z.boolean(),
});
export type SetupChecklist = z.infer<typeof setupChecklistSchema>;
