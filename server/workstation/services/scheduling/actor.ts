import type { Actor } from '../../db/store';

/** Who is changing the schedule, and whether their roles let them book over a conflict. */
export interface SchedulingActor {
  actor: Actor & { userId: string };
  mayOverride: boolean;
}
