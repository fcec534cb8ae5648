/**
 * The clearinghouse port: what central needs from a clearinghouse, in Tessera's terms — send a batch file
 * (837P, 270), find the files that came back (999, 277CA, 835, 271), fetch one, and archive it once
 * handled. Two adapters implement it: SFTP (sftp.ts; Office Ally and most clearinghouses) and an HTTPS file
 * API (https.ts). Credentials live in central's configuration only (config.ts); workstations queue claims
 * offline and central sends them.
 *
 * Idempotency is part of the contract: uploading a file that is already there with the same bytes is a
 * success, not a second submission; archiving a file that is already archived is a success; and the poll
 * loop (poll.ts) skips the handler for a file whose digest was already processed, so a crash between
 * "handled" and "archived" never posts an ERA twice.
 */
import crypto from 'node:crypto';

export type InboundKind = '999' | '277CA' | '835' | '271';
export const INBOUND_KINDS: readonly InboundKind[] = ['999', '277CA', '835', '271'];

export type InboundFile = {
  /** The adapter's handle for the file (a remote path, or the API's file id). */
  ref: string;
  /** The file name as the clearinghouse named it (never chosen by us, never shown with patient data). */
  name: string;
  /** The kind the clearinghouse filed it under (folder or API type). */
  kind: InboundKind;
  size: number;
  receivedAt: string | null;
};

export type UploadResult = { name: string; status: 'uploaded' | 'already_uploaded' };

export interface ClearinghousePort {
  /** Sends one batch file. Same name and same bytes already there: `already_uploaded`. */
  upload(name: string, content: Buffer): Promise<UploadResult>;
  /** Files waiting in the inbound folders, oldest first. */
  listInbound(): Promise<InboundFile[]>;
  download(file: InboundFile): Promise<Buffer>;
  /** Moves a handled file out of the inbound folder; archiving twice is harmless. */
  archive(file: InboundFile): Promise<void>;
  close(): Promise<void>;
}

export class ClearinghouseError extends Error {
  override name = 'ClearinghouseError';
}

export const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/**
 * What an inbound file really is, from its first ST segment (ST01, and ST03 to tell a 277CA from other
 * 277s): a 999 put in the 835 folder is still handled as a 999. Null when the file is not X12.
 */
export function kindOfContent(content: Buffer): InboundKind | null {
  const text = content.subarray(0, 4096).toString('latin1');
  const isa = text.indexOf('ISA');
  const sep = isa >= 0 ? text[isa + 3] : text[text.indexOf('ST') + 2];
  if (!sep) return null;
  const m = new RegExp(
    `(?:^|[^A-Z0-9])ST\\${sep}(\\d{3})\\${sep}[^\\${sep}~\\n]*(?:\\${sep}([0-9A-Z]+))?`,
  ).exec(text);
  if (!m) return null;
  if (m[1] === '999' || m[1] === '835' || m[1] === '271') return m[1];
  if (m[1] === '277') return '277CA';
  return null;
}
