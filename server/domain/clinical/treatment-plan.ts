import type { PlanStatus, PlanStructure } from '../../contracts/clinical';

/**
 * Treatment-plan rules: the structure's shape (problems -> goals -> measurable objectives ->
 * interventions) is checked by the contract; these are the rules across items and versions.
 */

/** Problems with a plan's structure, keyed by a dotted path the editor can point at. */
export function planStructureErrors(structure: PlanStructure, effectiveDate: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const ids = new Set<string>();
  const seen = (id: string, path: string) => {
    if (ids.has(id)) errors[`${path}.id`] = 'Each plan item needs its own id.';
    ids.add(id);
  };
  const dateCheck = (date: string | null, path: string) => {
    if (date && date < effectiveDate) errors[path] = 'A target date cannot be before the plan starts.';
  };
  structure.problems.forEach((problem, p) => {
    const pp = `structure.problems.${p}`;
    seen(problem.id, pp);
    problem.goals.forEach((goal, g) => {
      const gp = `${pp}.goals.${g}`;
      seen(goal.id, gp);
      dateCheck(goal.targetDate, `${gp}.targetDate`);
      goal.objectives.forEach((objective, o) => {
        const op = `${gp}.objectives.${o}`;
        seen(objective.id, op);
        dateCheck(objective.targetDate, `${op}.targetDate`);
        if (goal.targetDate && objective.targetDate && objective.targetDate > goal.targetDate) {
          errors[`${op}.targetDate`] = "An objective's target date cannot be after its goal's.";
        }
        objective.interventions.forEach((intervention, i) =>
          seen(intervention.id, `${op}.interventions.${i}`),
        );
      });
    });
  });
  return errors;
}

export function objectiveIds(structure: PlanStructure): Set<string> {
  const ids = new Set<string>();
  for (const problem of structure.problems) {
    for (const goal of problem.goals) for (const objective of goal.objectives) ids.add(objective.id);
  }
  return ids;
}

export function objectiveCounts(structure: PlanStructure): { total: number; achieved: number } {
  let total = 0;
  let achieved = 0;
  for (const problem of structure.problems) {
    for (const goal of problem.goals) {
      for (const objective of goal.objectives) {
        total++;
        if (objective.status === 'achieved') achieved++;
      }
    }
  }
  return { total, achieved };
}

export interface PlanFacts {
  status: PlanStatus;
  clinicianSignedAt: string | null;
  clientSignedOn: string | null;
}

/** Only an unsigned draft changes; a signed plan changes by starting its next version. */
export function planEditRefusal(plan: PlanFacts): string | null {
  if (plan.status !== 'draft' || plan.clinicianSignedAt) {
    return 'This plan version is signed and can no longer be changed. Start a new version to revise it.';
  }
  return null;
}

export function clinicianSignRefusal(plan: PlanFacts, structure: PlanStructure): string | null {
  if (plan.clinicianSignedAt) return 'The clinician has already signed this plan version.';
  if (plan.status !== 'draft') return 'Only a draft plan can be signed.';
  if (structure.problems.length === 0)
    return 'Add at least one problem with a goal and an objective before signing.';
  return null;
}

/** The client signs the version the clinician signed, once. */
export function clientSignRefusal(plan: PlanFacts): string | null {
  if (!plan.clinicianSignedAt)
    return 'The clinician signs the plan first; then the client signs that version.';
  if (plan.clientSignedOn) return 'The client has already signed this plan version.';
  if (plan.status !== 'active') return 'Only the active plan version can be signed by the client.';
  return null;
}

export function reviseRefusal(plan: PlanFacts): string | null {
  if (plan.status !== 'active') return 'Only the active plan version can be revised.';
  return null;
}

export function closeRefusal(plan: PlanFacts): string | null {
  if (plan.status !== 'active') return 'Only an active plan can be closed.';
  return null;
}
