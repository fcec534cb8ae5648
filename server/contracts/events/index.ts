import { z } from 'zod';

/**
 * One server-sent event on /api/events (`event: change`): the names of the tables another user (or sync)
 * just changed, never rows or values. Screens refetch what they show from those tables.
 */
export const changeEventSchema = z.object({ topics: z.array(z.string()) });
export type ChangeEvent = z.infer<typeof changeEventSchema>;
