import { portalFilePurposes, portalFileSenders, portalFileTypes } from '../../../contracts/portal/files';
import { oneOf } from './sql';

/**
 * Files in the portal (issue 11), replicated from central: what a patient uploads (a document, the
 * insurance card's photos with the intake, a message attachment) and what staff attach to a reply. Central
 * writes every row; a workstation only marks a patient's file reviewed. The bytes stay at central
 * (encrypted) and are fetched when staff open a file. Indexes serve the record (a patient's files, newest
 * first) and the conversation (a message's attachments).
 */
// MIME types have a slash, which oneOf() refuses; they are constants of the contract.
const typeNames = portalFileTypes.map((t) => `'${t}'`).join(', ');

export const sql = /* sql */ `
CREATE TABLE portal_files (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN (${oneOf(portalFilePurposes)})),
  sender TEXT NOT NULL CHECK (sender IN (${oneOf(portalFileSenders)})),
  sender_user_id TEXT,
  sender_name TEXT NOT NULL,
  title TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN (${typeNames})),
  size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
  sha256 TEXT NOT NULL,
  message_id TEXT,
  submission_id TEXT,
  uploaded_at TEXT NOT NULL,
  reviewed_at TEXT,
  reviewed_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX portal_files_patient ON portal_files (patient_id, uploaded_at);
CREATE INDEX portal_files_message ON portal_files (message_id) WHERE message_id IS NOT NULL;
`;
