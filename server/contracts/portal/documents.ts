import { z } from 'zod';
import { billingDocumentKinds } from '../billing/documents';
import { idSchema } from '../common';

/**
 * Documents the clinic shares with the patient in the portal (issue 11): a kept billing document
 * (statement, invoice, superbill, receipt, estimate) is drawn as a PDF on the workstation and uploaded to
 * central, which keeps it encrypted under the column key. The patient lists them and downloads one after
 * the second factor (stepUp); every download is in the patient's activity, which staff see on the record.
 * A clinician also shares a signed note's patient-facing summary (`visit_summary`, drawn on the same
 * letterhead from the note's patient-facing fields only: server/domain/clinical/visit-summary.ts).
 */

/** What a shared document is: a billing document, or a signed note's visit summary. */
export const portalDocumentKinds = [...billingDocumentKinds, 'visit_summary'] as const;
export const portalDocumentKindSchema = z.enum(portalDocumentKinds);
export type PortalDocumentKind = z.infer<typeof portalDocumentKindSchema>;

/** A PDF at most 8 MiB (its base64 text is a third larger). */
export const MAX_SHARED_PDF_BYTES = 8 * 1024 * 1024;
const pdfBase64 = z
  .string()
  .max(Math.ceil(MAX_SHARED_PDF_BYTES / 3) * 4, 'The document is larger than 8 MB.')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'The document must be base64 text.');

/** Workstation → central (staff entry): share one kept document; `sourceId` is the workstation's id. */
export const portalShareDocumentSchema = z.object({
  patientId: idSchema,
  sourceId: idSchema,
  kind: portalDocumentKindSchema,
  title: z.string().trim().min(1).max(160),
  pdfBase64,
});

export const portalSharedDocumentSchema = z.object({
  id: idSchema,
  sourceId: idSchema,
  kind: portalDocumentKindSchema,
  title: z.string(),
  sharedAt: z.string(),
  sizeBytes: z.number().int(),
  downloads: z.number().int(),
  lastDownloadedAt: z.string().nullable(),
  /** Withdrawn from the portal (no longer listed or downloadable there). */
  withdrawnAt: z.string().nullable(),
});
export type PortalSharedDocument = z.infer<typeof portalSharedDocumentSchema>;
/** Workstation → central: withdraw a shared document (for the record: which patient the staff member is on). */
export const portalWithdrawSchema = z.object({ patientId: idSchema });

export const portalSharedDocumentListSchema = z.object({ documents: z.array(portalSharedDocumentSchema) });

/** The workstation's own entry: share a kept document of this patient to the portal. */
export const portalShareBodySchema = z.object({ documentId: idSchema });

/** What the patient sees in the list. */
export const portalDocumentSchema = z.object({
  id: idSchema,
  kind: portalDocumentKindSchema,
  title: z.string(),
  sharedAt: z.string(),
  sizeBytes: z.number().int(),
});
export const portalDocumentListSchema = z.object({ documents: z.array(portalDocumentSchema) });
export const portalDocumentParamsSchema = z.object({ id: idSchema });
export const portalPatientDocumentParamsSchema = z.object({ patientId: idSchema, documentId: idSchema });

/** A download: the PDF as base64 in JSON (the portal's API answers JSON only); the name holds no patient data. */
export const portalDocumentContentSchema = z.object({
  fileName: z.string(),
  contentType: z.literal('application/pdf'),
  contentBase64: z.string(),
});

/** The workstation's note entries: the signed note whose visit summary is previewed, shared or withdrawn. */
export const noteSummaryParamsSchema = z.object({ id: idSchema });

/** What the clinician previews before sharing: exactly what the PDF says, section by section. */
export const visitSummaryPreviewSchema = z.object({
  title: z.string(),
  header: z.array(z.tuple([z.string(), z.string()])),
  sections: z.array(
    z.object({
      heading: z.string(),
      items: z.array(z.object({ label: z.string(), text: z.string() })),
    }),
  ),
});
export type VisitSummaryPreview = z.infer<typeof visitSummaryPreviewSchema>;

/** The note's summary in the portal now: the shared document, or null when it was never shared. */
export const noteSummaryStatusSchema = z.object({ shared: portalSharedDocumentSchema.nullable() });
