import { z } from 'zod';
import { idSchema } from '../common';
import { instrumentIds } from '../questionnaires/instruments';
import { attachmentsInputSchema, portalFileSchema } from './files';

/**
 * Secure messages between a patient and the care team, and questionnaires (PHQ-9, GAD-7) the clinic sends
 * (issue 11). Four replicated tables (workstation migration 0014_portal_messages): what the patient writes
 * is written at central and pulled by the workstations; what staff write (replies, assignment, read
 * receipts, sending a questionnaire, acknowledging a flag) is written on a workstation and pushed. Property
 * names are the workstation's drizzle properties (tests/unit/sync/row-shapes.test.ts keeps them in step).
 */

export const MESSAGE_TABLES = ['portal_threads', 'portal_messages'] as const;
export const QUESTIONNAIRE_TABLES = ['questionnaire_assignments', 'questionnaire_responses'] as const;

export const messageSenders = ['patient', 'staff'] as const;
export const questionnaireSchedules = ['once', 'before_each_visit', 'every_weeks'] as const;
export type QuestionnaireSchedule = (typeof questionnaireSchedules)[number];
/** The intervals staff can choose for `every_weeks` (stored as an integer, so others can be added). */
export const questionnaireRepeatWeeks = [1, 2, 4] as const;
export const assignmentStatuses = ['active', 'completed', 'cancelled'] as const;
export const instrumentSchema = z.enum(instrumentIds);

export const portalThreadRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  patientId: z.string(),
  subject: z.string(),
  /** The staff member the thread is assigned to in the clinic's inbox (null: unassigned). */
  assignedUserId: z.string().nullable(),
  openedBy: z.enum(messageSenders),
  lastMessageAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type PortalThreadRow = z.infer<typeof portalThreadRowSchema>;

export const portalMessageRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  threadId: z.string(),
  patientId: z.string(),
  sender: z.enum(messageSenders),
  /** Staff messages: who wrote it. */
  senderUserId: z.string().nullable(),
  /** Shown to the other side: the staff member's name, or the patient's (or proxy's) first name. */
  senderName: z.string(),
  body: z.string(),
  sentAt: z.string(),
  /** Read receipts: when the patient opened a staff message; when staff opened a patient's message. */
  readByPatientAt: z.string().nullable(),
  readByStaffAt: z.string().nullable(),
  readByStaffUserId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type PortalMessageRow = z.infer<typeof portalMessageRowSchema>;

export const questionnaireAssignmentRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  patientId: z.string(),
  instrument: instrumentSchema,
  /**
   * once: due until answered; before_each_visit: due whenever an upcoming visit has no answer yet;
   * every_weeks: due whenever the current period of `repeatWeeks` weeks from the sending has no answer.
   */
  schedule: z.enum(questionnaireSchedules),
  /** The period length in weeks for `every_weeks`, null for the other schedules. */
  repeatWeeks: z.number().int().positive().nullable(),
  status: z.enum(assignmentStatuses),
  assignedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type QuestionnaireAssignmentRow = z.infer<typeof questionnaireAssignmentRowSchema>;

export const questionnaireResponseRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  patientId: z.string(),
  assignmentId: z.string(),
  instrument: instrumentSchema,
  /** JSON text: the answers, 0-based choice per item, in item order. */
  answers: z.string(),
  totalScore: z.number().int(),
  severity: z.string(),
  /** An urgent item (PHQ-9 item 9) answered above zero: flagged in the clinician's inbox until reviewed. */
  urgent: z.boolean(),
  /** The upcoming visit it was answered for (before_each_visit), or null. */
  appointmentId: z.string().nullable(),
  /** The period it answered (every_weeks: 0 for the first N weeks after sending, 1 for the next…), or null. */
  period: z.number().int().nonnegative().nullable(),
  submittedAt: z.string(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type QuestionnaireResponseRow = z.infer<typeof questionnaireResponseRowSchema>;

// ------------------------------------------------------------------ the portal's API payloads

const bodySchema = z
  .string()
  .trim()
  .min(1, 'Write your message before sending.')
  .max(5000, 'At most 5000 characters. Split a long message in two.');

export const portalNewThreadSchema = z.object({
  subject: z.string().trim().min(1, 'Write a subject.').max(120, 'At most 120 characters.'),
  body: bodySchema,
  /** Photos or PDFs on the message (at most three; each checked at central like an upload). */
  attachments: attachmentsInputSchema,
});
export const portalReplySchema = z.object({ body: bodySchema, attachments: attachmentsInputSchema });
export const portalThreadParamsSchema = z.object({ threadId: idSchema });

export const portalThreadSummarySchema = z.object({
  id: idSchema,
  subject: z.string(),
  lastMessageAt: z.string(),
  /** Care-team messages the patient has not opened yet. */
  unread: z.number().int(),
});
export const portalThreadListSchema = z.object({ threads: z.array(portalThreadSummarySchema) });

export const portalMessageSchema = z.object({
  id: idSchema,
  sender: z.enum(messageSenders),
  senderName: z.string(),
  body: z.string(),
  sentAt: z.string(),
  /** For the patient's own messages: when the care team read it (null: not yet). */
  readAt: z.string().nullable(),
  /** Files on the message, either side's (downloaded one by one, second factor required). */
  attachments: z.array(portalFileSchema),
});
export type PortalMessage = z.infer<typeof portalMessageSchema>;
export const portalThreadSchema = z.object({
  id: idSchema,
  subject: z.string(),
  messages: z.array(portalMessageSchema),
});
export type PortalThread = z.infer<typeof portalThreadSchema>;

export const portalQuestionnaireSchema = z.object({
  /** The assignment. */
  id: idSchema,
  instrument: instrumentSchema,
  schedule: z.enum(questionnaireSchedules),
  repeatWeeks: z.number().int().positive().nullable(),
  sentAt: z.string(),
  /** every_weeks: when the current period ends (the next one starts); null for the other schedules. */
  dueUntil: z.string().nullable(),
});
export const portalQuestionnaireListSchema = z.object({
  due: z.array(portalQuestionnaireSchema),
  /** What the patient already sent (newest first): when and which questionnaire; scores stay with the clinic. */
  done: z.array(z.object({ id: idSchema, instrument: instrumentSchema, submittedAt: z.string() })),
});
export const portalQuestionnaireParamsSchema = z.object({ id: idSchema });
export const portalQuestionnaireSubmitSchema = z.object({
  /** One answer per item, each the 0-based choice; a missing answer is null (and refused with a sentence). */
  answers: z.array(z.number().int().min(0).max(3).nullable()).max(30),
});
export const portalQuestionnaireSubmittedSchema = z.object({ id: idSchema, submittedAt: z.string() });
