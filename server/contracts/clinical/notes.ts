import { z } from 'zod';
import { boundedDate, recordDates } from '../date-bounds';
import { idSchema } from '../common';
import { noteDiagnosisSchema } from './codes';
import { templateDefinitionSchema, templateKeySchema, templateKindSchema } from './templates';

/**
 * Clinical notes: drafts that save themselves, signing (read-only, signer, time, SHA-256 digest),
 * co-signature for supervised clinicians, addenda, amendment requests, restricted psychotherapy notes.
 * See docs/clinical.md.
 */

export const noteStatuses = ['draft', 'pending_cosign', 'signed'] as const;
export const noteStatusSchema = z.enum(noteStatuses);
export type NoteStatus = z.infer<typeof noteStatusSchema>;
export const noteStatusLabels: Record<NoteStatus, string> = {
  draft: 'Draft',
  pending_cosign: 'Pending co-signature',
  signed: 'Signed',
};

export const progressRatings = [
  'regressed',
  'no_change',
  'some_progress',
  'significant_progress',
  'achieved',
] as const;
export const progressRatingSchema = z.enum(progressRatings);
export type ProgressRating = z.infer<typeof progressRatingSchema>;
export const progressRatingLabels: Record<ProgressRating, string> = {
  regressed: 'Regressed',
  no_change: 'No change',
  some_progress: 'Some progress',
  significant_progress: 'Significant progress',
  achieved: 'Achieved',
};

/** Progress toward a treatment-plan objective, written in a note and signed with it. */
export const planProgressInputSchema = z.object({
  planId: idSchema,
  objectiveId: z.string().regex(/^[a-z0-9-]{1,40}$/),
  rating: progressRatingSchema,
  comment: z.string().max(2000, 'At most 2,000 characters.').default(''),
});
export type PlanProgressInput = z.infer<typeof planProgressInputSchema>;

/** One field's value: text, picks, a number, diagnoses (coded, or text flagged uncoded), or nothing yet. */
export const noteFieldValueSchema = z.union([
  z.string().max(50_000, 'At most 50,000 characters.'),
  z.number().finite(),
  z.null(),
  z.array(z.string().max(200)).max(50),
  z.array(noteDiagnosisSchema).max(12, 'At most 12 diagnoses.'),
]);
export type NoteFieldValue = z.infer<typeof noteFieldValueSchema>;

export const noteContentSchema = z.object({
  fields: z.record(templateKeySchema, noteFieldValueSchema).default({}),
  planProgress: z.array(planProgressInputSchema).max(30).default([]),
});
export type NoteContent = z.infer<typeof noteContentSchema>;

export const personRefSchema = z.object({ id: idSchema, name: z.string() });
export type PersonRef = z.infer<typeof personRefSchema>;

export const noteSummarySchema = z.object({
  id: idSchema,
  patientId: idSchema,
  encounterId: idSchema.nullable(),
  title: z.string(),
  kind: templateKindSchema,
  templateName: z.string(),
  status: noteStatusSchema,
  restricted: z.boolean(),
  author: personRefSchema,
  createdAt: z.string(),
  signedAt: z.string().nullable(),
  addendaCount: z.number().int(),
});
export type NoteSummary = z.infer<typeof noteSummarySchema>;

export const addendumSchema = z.object({
  id: idSchema,
  author: personRefSchema,
  text: z.string(),
  signedAt: z.string(),
  digest: z.string(),
  /** Set when the addendum records an accepted amendment request. */
  amendmentId: idSchema.nullable(),
});
export type Addendum = z.infer<typeof addendumSchema>;

export const amendmentStatuses = ['pending', 'accepted', 'denied'] as const;
export const amendmentStatusSchema = z.enum(amendmentStatuses);
export type AmendmentStatus = z.infer<typeof amendmentStatusSchema>;

export const amendmentSchema = z.object({
  id: idSchema,
  noteId: idSchema,
  requestedBy: z.string(),
  receivedOn: z.string(),
  requestText: z.string(),
  recordedBy: personRefSchema,
  recordedAt: z.string(),
  status: amendmentStatusSchema,
  decidedBy: personRefSchema.nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  /** The addendum that carries an accepted amendment's text. */
  addendumId: idSchema.nullable(),
});
export type Amendment = z.infer<typeof amendmentSchema>;

export const editorPresenceSchema = z.object({
  user: personRefSchema,
  /** Another window on this workstation, or another workstation (seen through its recent saves). */
  where: z.enum(['another_window', 'another_workstation']),
  lastSeenAt: z.string(),
});
export type EditorPresence = z.infer<typeof editorPresenceSchema>;

export const signatureSchema = z.object({
  by: personRefSchema,
  at: z.string(),
  /** SHA-256 (hex) of the canonical note content and signature facts. */
  digest: z.string(),
});
export type Signature = z.infer<typeof signatureSchema>;

export const noteSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  encounterId: idSchema.nullable(),
  template: z.object({
    id: idSchema,
    key: z.string(),
    name: z.string(),
    kind: templateKindSchema,
    version: z.number().int(),
    definition: templateDefinitionSchema,
  }),
  title: z.string(),
  status: noteStatusSchema,
  restricted: z.boolean(),
  author: personRefSchema,
  content: noteContentSchema,
  /** Increases with every saved draft; a save names the version it started from. */
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastSaved: z.object({ at: z.string(), by: personRefSchema, workstationId: z.string() }),
  signature: signatureSchema.nullable(),
  /** A supervised author's note needs the supervisor's co-signature before it counts as signed. */
  cosign: z.object({ supervisor: personRefSchema, signature: signatureSchema.nullable() }).nullable(),
  /** Re-computed on every read of a signed note: false means the stored content no longer matches. */
  digestValid: z.boolean().nullable(),
  addenda: z.array(addendumSchema),
  amendments: z.array(amendmentSchema),
  editors: z.array(editorPresenceSchema),
  permissions: z.object({
    edit: z.boolean(),
    sign: z.boolean(),
    cosign: z.boolean(),
    addAddendum: z.boolean(),
    decideAmendments: z.boolean(),
    discard: z.boolean(),
  }),
});
export type Note = z.infer<typeof noteSchema>;

export const noteIdParamsSchema = z.object({ id: idSchema });

export const noteCreateSchema = z.object({
  patientId: idSchema,
  encounterId: idSchema.nullable().default(null),
  templateId: idSchema,
  /** Psychotherapy note: kept apart from the chart; defaults to the template's setting. */
  restricted: z.boolean().optional(),
});
export type NoteCreate = z.infer<typeof noteCreateSchema>;

export const noteTitleSchema = z.string().trim().max(200, 'At most 200 characters.');

/** A random id per open editor window, so two windows of one user are told apart. */
export const editorWindowIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const noteDraftSaveSchema = z.object({
  baseVersion: z.number().int().min(1),
  windowId: editorWindowIdSchema.optional(),
  title: noteTitleSchema,
  content: noteContentSchema,
});
export type NoteDraftSave = z.infer<typeof noteDraftSaveSchema>;

export const noteDraftSavedSchema = z.object({
  version: z.number().int(),
  savedAt: z.string(),
  editors: z.array(editorPresenceSchema),
});

export const notePresenceSchema = z.object({
  windowId: editorWindowIdSchema,
  closing: z.boolean().default(false),
});
export const notePresenceResultSchema = z.object({ editors: z.array(editorPresenceSchema) });

export const noteSignSchema = z.object({ baseVersion: z.number().int().min(1) });

export const addendumCreateSchema = z.object({
  text: z.string().trim().min(1, 'Write the addendum.').max(20_000, 'At most 20,000 characters.'),
});

export const amendmentRequestCreateSchema = z.object({
  requestedBy: z.string().trim().min(1, 'Who asked for the amendment?').max(200, 'At most 200 characters.'),
  receivedOn: boundedDate(recordDates),
  requestText: z
    .string()
    .trim()
    .min(1, 'Write what the request asks to change.')
    .max(5000, 'At most 5,000 characters.'),
});

export const amendmentDecisionSchema = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('accepted'),
    reason: z.string().trim().min(1, 'Say why.').max(2000, 'At most 2,000 characters.'),
    /** The correction itself, appended to the note as an addendum. */
    amendmentText: z
      .string()
      .trim()
      .min(1, 'Write the amendment that will be appended to the note.')
      .max(20_000, 'At most 20,000 characters.'),
  }),
  z.object({
    decision: z.literal('denied'),
    reason: z
      .string()
      .trim()
      .min(1, 'Give the reason for the denial.')
      .max(2000, 'At most 2,000 characters.'),
  }),
]);
export type AmendmentDecision = z.infer<typeof amendmentDecisionSchema>;

export const amendmentIdParamsSchema = z.object({ id: idSchema });

/** The per-user key that encrypts the local unsaved copy of a draft in the browser's storage. */
export const draftCacheKeySchema = z.object({ key: z.string() });

export const psychotherapyNoteListSchema = z.object({
  notes: z.array(noteSummarySchema),
  /** The caller holds emergency access to this patient (they see every author's notes, audited). */
  emergencyAccess: z.boolean(),
});
