import { z } from 'zod';
import { idSchema } from '../common';
import { personRefSchema } from './notes';

/** Who supervises whom: a supervised clinician's signed notes wait for the supervisor's co-signature. */
export const supervisionListSchema = z.object({
  clinicians: z.array(z.object({ clinician: personRefSchema, supervisor: personRefSchema.nullable() })),
});
export const supervisionUpdateSchema = z.object({ supervisorId: idSchema.nullable() });
export const clinicianIdParamsSchema = z.object({ clinicianId: idSchema });
