import { z } from 'zod';
import { idSchema } from '../common';

/**
 * Files in the portal (issue 11): what the patient uploads (a document, the insurance card's photos in the
 * intake, a message attachment) and what staff attach to a reply. Central checks each file's first bytes
 * (JPEG, PNG, HEIC or PDF; the name and the declared type are not trusted and not kept), keeps the content
 * encrypted under the column key in a central-only table, and writes a `portal_files` row that replicates:
 * the workstations list the files on the record without the content, which they fetch from central when a
 * staff member opens one (audited). Nothing about the patient is ever in a file's name or address.
 */

export const PORTAL_FILE_TABLES = ['portal_files'] as const;

/** At most 10 MiB a file: a phone photo, or a scanned page. Its base64 text is a third larger. */
export const MAX_PORTAL_FILE_BYTES = 10 * 1024 * 1024;
/** At most three files on one message. */
export const MAX_MESSAGE_ATTACHMENTS = 3;

export const portalFileTypes = ['image/jpeg', 'image/png', 'image/heic', 'application/pdf'] as const;
export type PortalFileType = (typeof portalFileTypes)[number];
export const portalFilePurposes = ['upload', 'insurance_front', 'insurance_back', 'attachment'] as const;
export type PortalFilePurpose = (typeof portalFilePurposes)[number];
export const portalFileSenders = ['patient', 'staff'] as const;

/** The replicated row (workstation property names; tests/unit/sync/row-shapes.test.ts keeps them in step). */
export const portalFileRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  patientId: z.string(),
  purpose: z.enum(portalFilePurposes),
  sender: z.enum(portalFileSenders),
  /** Staff files: who attached it. */
  senderUserId: z.string().nullable(),
  /** Shown to the other side: the staff member's name, or the patient's (or proxy's) first name. */
  senderName: z.string(),
  /** What the patient called it ("Lab results from my last clinic"); encrypted at central. */
  title: z.string(),
  contentType: z.enum(portalFileTypes),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  /** A message attachment: the message it belongs to. */
  messageId: z.string().nullable(),
  /** An insurance card photo: the intake submission it came with. */
  submissionId: z.string().nullable(),
  uploadedAt: z.string(),
  /** Staff looked at a patient's file and took what they needed into the record. */
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type PortalFileRow = z.infer<typeof portalFileRowSchema>;

const TOO_LARGE =
  'This file is larger than 10 MB. Take the photo again at a smaller size, or split the document.';
/** A file as the pages send it: base64 text (the portal's API is JSON only). */
export const fileBase64Schema = z
  .string()
  .min(1, 'Choose a file or take a photo first.')
  .max(Math.ceil(MAX_PORTAL_FILE_BYTES / 3) * 4, TOO_LARGE)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'This file could not be read. Choose it again.');

export const fileTitleSchema = z
  .string()
  .trim()
  .min(1, 'Say what this document is.')
  .max(120, 'At most 120 characters.');

// ------------------------------------------------------------------ the portal's API

export const portalUploadSchema = z.object({ title: fileTitleSchema, contentBase64: fileBase64Schema });
export const portalFileParamsSchema = z.object({ id: idSchema });

/** One file as the patient sees it (no content). */
export const portalFileSchema = z.object({
  id: idSchema,
  purpose: z.enum(portalFilePurposes),
  sender: z.enum(portalFileSenders),
  title: z.string(),
  contentType: z.enum(portalFileTypes),
  sizeBytes: z.number().int(),
  uploadedAt: z.string(),
  /** The clinic looked at it. */
  reviewed: z.boolean(),
});
export type PortalFile = z.infer<typeof portalFileSchema>;
export const portalUploadListSchema = z.object({ files: z.array(portalFileSchema) });

/** A download: the bytes as base64; the name holds no patient data (`upload-2026-12-05.jpg`). */
export const portalFileContentSchema = z.object({
  fileName: z.string(),
  contentType: z.enum(portalFileTypes),
  contentBase64: z.string(),
});
export type PortalFileContent = z.infer<typeof portalFileContentSchema>;

/** An attachment on a message (either side). */
export const attachmentInputSchema = z.object({ contentBase64: fileBase64Schema });
export const attachmentsInputSchema = z
  .array(attachmentInputSchema)
  .max(MAX_MESSAGE_ATTACHMENTS, `At most ${MAX_MESSAGE_ATTACHMENTS} files on one message.`)
  .default([]);

// ------------------------------------------------------------------ staff (central's staff entries)

export const portalStaffFileParamsSchema = z.object({ id: idSchema });
export const portalStaffFileQuerySchema = z.object({ patientId: idSchema });

/**
 * Workstation → central: one file of a reply the workstation is about to write (its message id); one call
 * per file keeps each body under central's large-body limit (16 MiB).
 */
export const portalStaffAttachSchema = z.object({
  patientId: idSchema,
  messageId: idSchema,
  senderName: z.string().trim().min(1).max(120),
  /** 1-based place on the message ("Attachment 2"). */
  position: z.number().int().min(1).max(MAX_MESSAGE_ATTACHMENTS),
  contentBase64: fileBase64Schema,
});
export const portalStaffAttachResultSchema = portalFileSchema;

// ------------------------------------------------------------------ the workstation's record

/** A file on the record (from the workstation's replica; content fetched from central on opening). */
export const recordFileSchema = z.object({
  id: idSchema,
  purpose: z.enum(portalFilePurposes),
  sender: z.enum(portalFileSenders),
  senderName: z.string(),
  title: z.string(),
  contentType: z.enum(portalFileTypes),
  sizeBytes: z.number().int(),
  messageId: z.string().nullable(),
  uploadedAt: z.string(),
  reviewedAt: z.string().nullable(),
  reviewedByName: z.string().nullable(),
});
export type RecordFile = z.infer<typeof recordFileSchema>;
export const recordFileListSchema = z.object({ files: z.array(recordFileSchema) });
export const recordFileParamsSchema = z.object({ patientId: idSchema, fileId: idSchema });
