import { z } from 'zod';
import { boundedDate, recordDates } from '../date-bounds';
import { idSchema } from '../common';
import { codedDiagnosisSchema } from './codes';
import { personRefSchema, progressRatingSchema } from './notes';

/**
 * Treatment plans: problems -> goals -> measurable objectives -> interventions. Each saved plan row is
 * one version; signing locks it, and a change after signing is a new version. See docs/clinical.md.
 */

/** Item ids are made by the screen (stable across versions, so progress keeps pointing at them). */
export const planItemIdSchema = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, 'Item ids are short lower-case tokens.');
const dateOrNull = z
  .union([
    boundedDate(recordDates),
    z.literal('').transform(() => null),
    z.null(),
  ])
  .default(null);
const text = (what: string, max: number) =>
  z.string().trim().min(1, `Write the ${what}.`).max(max, `At most ${max} characters.`);

export const planItemStatuses = ['not_started', 'in_progress', 'achieved', 'discontinued'] as const;
export const planItemStatusSchema = z.enum(planItemStatuses);
export const planItemStatusLabels: Record<(typeof planItemStatuses)[number], string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  achieved: 'Achieved',
  discontinued: 'Discontinued',
};

export const planInterventionSchema = z.object({
  id: planItemIdSchema,
  text: text('intervention', 500),
  frequency: z.string().trim().max(100).default(''),
});
export const planObjectiveSchema = z.object({
  id: planItemIdSchema,
  text: text('objective', 500),
  /** How progress is measured, so the objective is measurable (e.g. "PHQ-9 below 10"). */
  measure: text('measure', 300),
  targetDate: dateOrNull,
  status: planItemStatusSchema.default('not_started'),
  interventions: z.array(planInterventionSchema).max(20).default([]),
});
export const planGoalSchema = z.object({
  id: planItemIdSchema,
  text: text('goal', 500),
  targetDate: dateOrNull,
  status: planItemStatusSchema.default('not_started'),
  objectives: z.array(planObjectiveSchema).min(1, 'A goal needs at least one measurable objective.').max(20),
});
export const planProblemSchema = z.object({
  id: planItemIdSchema,
  text: text('problem', 500),
  diagnosis: codedDiagnosisSchema.nullable().default(null),
  goals: z.array(planGoalSchema).min(1, 'A problem needs at least one goal.').max(20),
});
export const planStructureSchema = z.object({
  problems: z.array(planProblemSchema).max(20),
});
export type PlanStructure = z.infer<typeof planStructureSchema>;
export type PlanProblem = z.infer<typeof planProblemSchema>;
export type PlanGoal = z.infer<typeof planGoalSchema>;
export type PlanObjective = z.infer<typeof planObjectiveSchema>;

export const planStatuses = ['draft', 'active', 'superseded', 'closed'] as const;
export const planStatusSchema = z.enum(planStatuses);
export type PlanStatus = z.infer<typeof planStatusSchema>;
export const planStatusLabels: Record<PlanStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  superseded: 'Superseded',
  closed: 'Closed',
};

export const planProgressSchema = z.object({
  id: idSchema,
  objectiveId: z.string(),
  rating: progressRatingSchema,
  comment: z.string(),
  noteId: idSchema,
  recordedBy: personRefSchema,
  recordedAt: z.string(),
});
export type PlanProgress = z.infer<typeof planProgressSchema>;

export const treatmentPlanSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  /** The same for every version of one plan. */
  planGroupId: idSchema,
  version: z.number().int(),
  status: planStatusSchema,
  title: z.string(),
  effectiveDate: z.string(),
  reviewDate: z.string().nullable(),
  structure: planStructureSchema,
  author: personRefSchema,
  clinicianSignature: z.object({ by: personRefSchema, at: z.string(), digest: z.string() }).nullable(),
  clientSignature: z
    .object({
      name: z.string(),
      signedOn: z.string(),
      method: z.string(),
      recordedBy: personRefSchema,
      recordedAt: z.string(),
    })
    .nullable(),
  closed: z.object({ outcome: z.string(), reason: z.string(), at: z.string() }).nullable(),
  /** Increases with each saved edit of a draft. */
  rowVersion: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  versions: z.array(
    z.object({ id: idSchema, version: z.number().int(), status: planStatusSchema, createdAt: z.string() }),
  ),
  progress: z.array(planProgressSchema),
  canEdit: z.boolean(),
});
export type TreatmentPlan = z.infer<typeof treatmentPlanSchema>;

export const treatmentPlanListSchema = z.object({
  plans: z.array(
    z.object({
      id: idSchema,
      planGroupId: idSchema,
      title: z.string(),
      version: z.number().int(),
      status: planStatusSchema,
      effectiveDate: z.string(),
      reviewDate: z.string().nullable(),
      structure: planStructureSchema,
    }),
  ),
});

const planDates = {
  title: z.string().trim().min(1, 'Give the plan a title.').max(200, 'At most 200 characters.'),
  effectiveDate: boundedDate(recordDates),
  reviewDate: dateOrNull,
};

/** A plan is reviewed after it takes effect; a review date before the start is a slip. */
const reviewNotBeforeStart = (p: { effectiveDate: string; reviewDate: string | null }, ctx: z.RefinementCtx) => {
  if (p.reviewDate !== null && p.reviewDate < p.effectiveDate) {
    ctx.addIssue({
      code: 'custom',
      message: 'The review date cannot be before the plan starts.',
      path: ['reviewDate'],
    });
  }
};

export const planCreateSchema = z
  .object({ ...planDates, structure: planStructureSchema })
  .superRefine(reviewNotBeforeStart);
export type PlanCreate = z.infer<typeof planCreateSchema>;
export const planSaveSchema = z
  .object({
    baseRowVersion: z.number().int().min(1),
    ...planDates,
    structure: planStructureSchema,
  })
  .superRefine(reviewNotBeforeStart);
export type PlanSave = z.infer<typeof planSaveSchema>;

export const planSignSchema = z.discriminatedUnion('signer', [
  z.object({ signer: z.literal('clinician'), baseRowVersion: z.number().int().min(1) }),
  z.object({
    signer: z.literal('client'),
    clientName: z.string().trim().min(1, 'Enter the name of the person who signed.').max(200),
    signedOn: boundedDate(recordDates),
    method: z.enum(['in_person', 'paper']),
  }),
]);
export type PlanSign = z.infer<typeof planSignSchema>;

export const planCloseSchema = z.object({
  outcome: z.enum(['completed', 'discontinued']),
  reason: z.string().trim().min(1, 'Say why the plan ends.').max(1000),
});

export const planIdParamsSchema = z.object({ id: idSchema });
