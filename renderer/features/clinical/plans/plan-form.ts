import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import {
  planCreateSchema,
  type PlanGoal,
  type PlanObjective,
  type PlanProblem,
  type TreatmentPlan,
} from '../../../../server/contracts/clinical';

/**
 * The treatment plan as one react-hook-form form: the contract's own create schema is the resolver, so the
 * browser refuses what the server would, with the same sentences.
 */
export type PlanFormInput = z.input<typeof planCreateSchema>;
export type PlanFormOutput = z.output<typeof planCreateSchema>;

export const planResolver = zodResolver(planCreateSchema);

/** Server field paths that belong to this form (its fields are nested lists, so a prefix test). */
export const isPlanField = (path: string) =>
  ['title', 'effectiveDate', 'reviewDate'].includes(path) || path.startsWith('structure.');

/** Item ids are made here and stay the same across versions, so progress keeps pointing at them. */
export const newItemId = (prefix: string) =>
  `${prefix}-${Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

export const blankObjective = (): PlanObjective => ({
  id: newItemId('o'),
  text: '',
  measure: '',
  targetDate: null,
  status: 'not_started',
  interventions: [],
});
export const blankGoal = (): PlanGoal => ({
  id: newItemId('g'),
  text: '',
  targetDate: null,
  status: 'not_started',
  objectives: [blankObjective()],
});
export const blankProblem = (): PlanProblem => ({
  id: newItemId('p'),
  text: '',
  diagnosis: null,
  goals: [blankGoal()],
});

export function newPlanValues(today: string): PlanFormInput {
  return {
    title: 'Treatment plan',
    effectiveDate: today,
    reviewDate: '',
    structure: { problems: [blankProblem()] },
  };
}

export function planValues(plan: TreatmentPlan): PlanFormInput {
  return {
    title: plan.title,
    effectiveDate: plan.effectiveDate,
    reviewDate: plan.reviewDate ?? '',
    structure: plan.structure,
  };
}

/** The objective's text for a progress entry (progress points at objective ids). */
export function objectiveText(structure: TreatmentPlan['structure'], id: string): string {
  for (const p of structure.problems)
    for (const g of p.goals) for (const o of g.objectives) if (o.id === id) return o.text;
  return 'Objective';
}
