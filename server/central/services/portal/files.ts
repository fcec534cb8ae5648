import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import {
  type PortalFile,
  type PortalFileContent,
  type PortalFilePurpose,
  type PortalFileRow,
} from '../../../contracts/portal/files';
import { CENTRAL_ORIGIN } from '../../../contracts/sync/rows';
import { checkPortalFile, extensionOf } from '../../../domain/portal/file-type';
import { AppError, fieldError } from '../../../platform/errors';
import type { Tx } from '../../db/pool';
import type { StaffContext } from '../../http/register';
import { applyBatch } from '../replication/apply';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { patientRows, requireScope, senderNameOf, writeRows } from './replica';

/**
 * Files in the portal (docs/portal.md "Files"). Every file, whoever sends it, passes `prepareFile`: the
 * size limit, the type read from its first bytes (JPEG, PNG, HEIC, PDF; the name and declared type are never
 * trusted or kept), the bytes encrypted under the column key into `portal_file_contents` bound to the
 * clinic and the file id; its description is a `portal_files` replica row written as central's own change,
 * which the workstations pull. The bytes are read back only through `download` (the patient's own files,
 * second factor required by the route) and `staffContent` (a workstation's staff member, audited there).
 */

type FileRow = PortalFileRow & { id: string };

const NOT_FOUND = () => new AppError(404, 'file_not_found', 'That file was not found.');
const NOT_SAVED = 'Your file could not be saved right now. Please try again, or call the clinic.';
/** Download names say what a file is and when it came, nothing about the patient. */
const FILE_NAMES: Record<PortalFilePurpose, string> = {
  upload: 'document',
  insurance_front: 'insurance-card-front',
  insurance_back: 'insurance-card-back',
  attachment: 'attachment',
};
const place = (clinicId: string, id: string) => `portal_file_contents/${clinicId}/${id}/content`;

export interface NewFile {
  purpose: PortalFilePurpose;
  sender: 'patient' | 'staff';
  senderUserId: string | null;
  senderName: string;
  title: string;
  messageId: string | null;
  submissionId: string | null;
}

/** Checks one file and stores its bytes; answers the replica row the caller writes in the same transaction. */
export async function prepareFile(
  accounts: PortalAccounts,
  tx: Tx,
  where: { clinicId: string; patientId: string },
  file: NewFile,
  contentBase64: string,
  field: string,
): Promise<FileRow> {
  const bytes = Buffer.from(contentBase64, 'base64');
  const checked = checkPortalFile(bytes, file.purpose.startsWith('insurance_'));
  if ('problem' in checked) throw fieldError(field, checked.problem);
  const { contentType } = checked;
  const id = uuidv7();
  await tx.query(
    `INSERT INTO portal_file_contents (clinic_id, id, patient_id, content) VALUES ($1, $2, $3, $4)`,
    [
      where.clinicId,
      id,
      where.patientId,
      accounts.deps.cipher.encrypt(bytes.toString('base64'), place(where.clinicId, id)),
    ],
  );
  const at = accounts.now().toISOString();
  return {
    id,
    clinicId: where.clinicId,
    patientId: where.patientId,
    ...file,
    contentType,
    sizeBytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    uploadedAt: at,
    reviewedAt: null,
    reviewedBy: null,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
}

/** The replicated inserts of prepared files (to pass to writeRows / applyBatch with the rest of a change). */
export const fileInserts = (files: FileRow[]) =>
  files.map((f) => ({
    table: 'portal_files',
    rowId: f.id,
    op: 'insert' as const,
    row: f as unknown as Record<string, unknown>,
    changedFields: null,
  }));

export function toPortalFile(f: FileRow): PortalFile {
  return {
    id: f.id,
    purpose: f.purpose,
    sender: f.sender,
    title: f.title,
    contentType: f.contentType,
    sizeBytes: f.sizeBytes,
    uploadedAt: f.uploadedAt,
    reviewed: f.reviewedAt !== null,
  };
}

async function readContent(accounts: PortalAccounts, tx: Tx, file: FileRow): Promise<PortalFileContent> {
  const c = await tx.query<{ content: string }>(
    'SELECT content FROM portal_file_contents WHERE clinic_id = $1 AND id = $2 AND patient_id = $3',
    [file.clinicId, file.id, file.patientId],
  );
  const content = c.rows[0]?.content;
  if (!content) throw NOT_FOUND();
  return {
    fileName: `${FILE_NAMES[file.purpose]}-${file.uploadedAt.slice(0, 10)}.${extensionOf[file.contentType]}`,
    contentType: file.contentType,
    contentBase64: accounts.deps.cipher.decrypt(content, place(file.clinicId, file.id)),
  };
}

/** The patient sends a document (a photo or a PDF) to the clinic. */
export async function uploadDocument(
  accounts: PortalAccounts,
  caller: PortalCaller,
  input: { title: string; contentBase64: string },
): Promise<PortalFile> {
  requireScope(caller, 'forms');
  return accounts.tx(caller.clinicId, async (tx) => {
    const file = await prepareFile(
      accounts,
      tx,
      caller,
      {
        purpose: 'upload',
        sender: 'patient',
        senderUserId: null,
        senderName: await senderNameOf(tx, caller),
        title: input.title,
        messageId: null,
        submissionId: null,
      },
      input.contentBase64,
      'contentBase64',
    );
    await writeRows(accounts, tx, caller, fileInserts([file]), NOT_SAVED);
    await accounts.record(tx, callerRow(caller), 'files.upload');
    return toPortalFile(file);
  });
}

/** What the patient sent outside conversations (documents, insurance card photos), newest first. */
export async function listUploads(accounts: PortalAccounts, caller: PortalCaller) {
  requireScope(caller, 'forms');
  return accounts.tx(caller.clinicId, async (tx) => {
    const files = await patientRows<FileRow>(accounts, tx, caller, 'portal_files', {
      where: `data->>'purpose' <> 'attachment'`,
      args: [],
    });
    await accounts.record(tx, callerRow(caller), 'files.list');
    return {
      files: files.sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt)).map(toPortalFile),
    };
  });
}

/**
 * One of the patient's files (their own upload, or an attachment in their conversations); another
 * patient's answers exactly like one that does not exist.
 */
export async function downloadFile(
  accounts: PortalAccounts,
  caller: PortalCaller,
  id: string,
): Promise<PortalFileContent> {
  return accounts.tx(caller.clinicId, async (tx) => {
    const [file] = await patientRows<FileRow>(accounts, tx, caller, 'portal_files', {
      where: 'row_id = $4',
      args: [id],
    });
    if (!file) throw NOT_FOUND();
    requireScope(caller, file.purpose === 'attachment' ? 'messages' : 'forms');
    const content = await readContent(accounts, tx, file);
    await accounts.record(tx, callerRow(caller), 'files.download');
    return content;
  });
}

/** A workstation's staff member opens a file of the record (the workstation audits it with the patient). */
export async function staffContent(
  accounts: PortalAccounts,
  staff: StaffContext,
  id: string,
  patientId: string,
): Promise<PortalFileContent> {
  return accounts.tx(staff.clinicId, async (tx) => {
    const r = await tx.query<{ row_id: string; data: FileRow }>(
      `SELECT row_id, data FROM replica_rows WHERE clinic_id = $1 AND table_name = 'portal_files' AND row_id = $2
         AND data->>'patientId' = $3 AND coalesce(data->>'deletedAt', '') = ''`,
      [staff.clinicId, id, patientId],
    );
    const row = r.rows[0];
    if (!row) throw NOT_FOUND();
    return readContent(accounts, tx, { ...row.data, id: row.row_id });
  });
}

/** Staff attach a file to a reply the workstation is about to write (its message id, made there). */
export async function staffAttach(
  accounts: PortalAccounts,
  staff: StaffContext,
  input: {
    patientId: string;
    messageId: string;
    senderName: string;
    position: number;
    contentBase64: string;
  },
): Promise<PortalFile> {
  return accounts.tx(staff.clinicId, async (tx) => {
    const patient = await tx.query(
      `SELECT 1 FROM replica_rows WHERE clinic_id = $1 AND table_name = 'patients' AND row_id = $2
         AND coalesce(data->>'deletedAt', '') = ''`,
      [staff.clinicId, input.patientId],
    );
    if (!patient.rows[0])
      throw new AppError(
        409,
        'patient_unknown',
        'This patient has not reached the central server yet. Wait a moment for this workstation to sync, then try again.',
      );
    const file = await prepareFile(
      accounts,
      tx,
      { clinicId: staff.clinicId, patientId: input.patientId },
      {
        purpose: 'attachment',
        sender: 'staff',
        senderUserId: staff.userId,
        senderName: input.senderName,
        title: `Attachment ${input.position}`,
        messageId: input.messageId,
        submissionId: null,
      },
      input.contentBase64,
      'contentBase64',
    );
    const out = await applyBatch(
      {
        tx,
        cipher: accounts.deps.cipher,
        clinicId: staff.clinicId,
        origin: CENTRAL_ORIGIN,
        now: accounts.now(),
      },
      fileInserts([file]).map((c) => ({ ...c, seenSeq: null })),
    );
    if (out.results.some((r) => r.status === 'rejected'))
      throw new AppError(409, 'not_saved', 'The file could not be stored at the central server.');
    return toPortalFile(file);
  });
}

/** A message's attachments, for the patient's view of a conversation. */
export async function attachmentsOf(
  accounts: PortalAccounts,
  tx: Tx,
  caller: PortalCaller,
  messageIds: string[],
): Promise<Map<string, PortalFile[]>> {
  const byMessage = new Map<string, PortalFile[]>();
  if (messageIds.length === 0) return byMessage;
  const files = await patientRows<FileRow>(accounts, tx, caller, 'portal_files', {
    where: `data->>'messageId' = ANY($4::text[])`,
    args: [messageIds],
  });
  for (const f of files.sort((a, b) => a.uploadedAt.localeCompare(b.uploadedAt))) {
    const list = byMessage.get(f.messageId!) ?? [];
    list.push(toPortalFile(f));
    byMessage.set(f.messageId!, list);
  }
  return byMessage;
}
