import { z } from 'zod';
import { idSchema } from '../common';
import { attachmentsInputSchema, recordFileSchema } from '../portal/files';
import {
  assignmentStatuses,
  instrumentSchema,
  messageSenders,
  questionnaireRepeatWeeks,
  questionnaireSchedules,
} from '../portal/messaging';

/**
 * The clinic inbox on the workstation (issue 11): patients' portal conversations with unread counts and
 * assignment, staff replies, and the urgent questionnaire flags (PHQ-9 item 9) waiting for a clinician's
 * review. Also a patient's questionnaires on the record (send one, scores over time). Everything here is
 * read from and written to the workstation's replicated copy; replication carries it to the portal.
 */

export const inboxFilters = ['all', 'mine', 'unassigned', 'unread'] as const;
export const inboxQuerySchema = z.object({ filter: z.enum(inboxFilters).default('all') });

export const inboxThreadSummarySchema = z.object({
  id: idSchema,
  patientId: idSchema,
  patientName: z.string(),
  subject: z.string(),
  assignedUserId: z.string().nullable(),
  assignedName: z.string().nullable(),
  lastMessageAt: z.string(),
  /** Patient messages nobody on the staff has opened yet. */
  unread: z.number().int(),
});
export type InboxThreadSummary = z.infer<typeof inboxThreadSummarySchema>;

export const urgentFlagSchema = z.object({
  /** The questionnaire response. */
  id: idSchema,
  patientId: idSchema,
  patientName: z.string(),
  instrument: instrumentSchema,
  totalScore: z.number().int(),
  severity: z.string(),
  submittedAt: z.string(),
});
export type UrgentFlag = z.infer<typeof urgentFlagSchema>;

export const inboxSchema = z.object({
  threads: z.array(inboxThreadSummarySchema),
  flags: z.array(urgentFlagSchema),
  /** Unread patient messages in the whole inbox (whatever the filter). */
  unreadTotal: z.number().int(),
  /** Staff a thread can be assigned to. */
  assignees: z.array(z.object({ id: idSchema, name: z.string() })),
});
export type Inbox = z.infer<typeof inboxSchema>;

export const inboxThreadParamsSchema = z.object({ threadId: idSchema });

export const inboxMessageSchema = z.object({
  id: idSchema,
  sender: z.enum(messageSenders),
  senderName: z.string(),
  body: z.string(),
  sentAt: z.string(),
  readByPatientAt: z.string().nullable(),
  readByStaffAt: z.string().nullable(),
  /** Photos and PDFs on the message (either side's); opened from central. */
  attachments: z.array(recordFileSchema),
});
export type InboxMessage = z.infer<typeof inboxMessageSchema>;

export const inboxThreadSchema = inboxThreadSummarySchema.extend({ messages: z.array(inboxMessageSchema) });
export type InboxThread = z.infer<typeof inboxThreadSchema>;

export const inboxReplySchema = z.object({
  body: z
    .string()
    .trim()
    .min(1, 'Write the reply before sending.')
    .max(5000, 'At most 5000 characters. Split a long reply in two.'),
  /** Up to three photos or PDFs, base64 (sent to central, which keeps them; needs central reachable). */
  attachments: attachmentsInputSchema,
});
export const inboxAssignSchema = z.object({ userId: idSchema.nullable() });

// ------------------------------------------------------------------ questionnaires on the patient record

export const questionnaireSendSchema = z
  .object({
    instrument: instrumentSchema,
    schedule: z.enum(questionnaireSchedules),
    /** Required for `every_weeks` (one of the offered intervals), absent for the other schedules. */
    repeatWeeks: z
      .number()
      .int()
      .refine((n) => (questionnaireRepeatWeeks as readonly number[]).includes(n), {
        message: 'Choose every 1, 2 or 4 weeks.',
      })
      .nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.schedule === 'every_weeks' && v.repeatWeeks == null)
      ctx.addIssue({ code: 'custom', path: ['repeatWeeks'], message: 'Choose how often to ask.' });
    if (v.schedule !== 'every_weeks' && v.repeatWeeks != null)
      ctx.addIssue({
        code: 'custom',
        path: ['repeatWeeks'],
        message: 'Only a questionnaire sent on a schedule repeats every few weeks.',
      });
  });
export const patientQuestionnaireParamsSchema = z.object({ patientId: idSchema, id: idSchema });

export const patientQuestionnairesSchema = z.object({
  assignments: z.array(
    z.object({
      id: idSchema,
      instrument: instrumentSchema,
      schedule: z.enum(questionnaireSchedules),
      repeatWeeks: z.number().int().positive().nullable(),
      status: z.enum(assignmentStatuses),
      sentAt: z.string(),
      sentByName: z.string(),
    }),
  ),
  /** Oldest first (the chart's order). */
  responses: z.array(
    z.object({
      id: idSchema,
      instrument: instrumentSchema,
      totalScore: z.number().int(),
      severity: z.string(),
      urgent: z.boolean(),
      answers: z.array(z.number().int()),
      /** every_weeks: the period answered (0 = the first N weeks after sending); null otherwise. */
      period: z.number().int().nullable(),
      submittedAt: z.string(),
      reviewedAt: z.string().nullable(),
      reviewedByName: z.string().nullable(),
    }),
  ),
});
export type PatientQuestionnaires = z.infer<typeof patientQuestionnairesSchema>;
