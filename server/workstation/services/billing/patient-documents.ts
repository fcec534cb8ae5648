import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { patientDocumentSchema, type PatientDocument } from '../../../contracts/billing/documents';
import type { ComposedDocument, Letterhead } from '../../../domain/billing/documents';
import { AppError } from '../../../platform/errors';
import { writePrivateFile } from '../../../platform/private-files';
import type { Store } from '../../db/store';

/**
 * A patient's saved billing documents (statements from the monthly run, estimates, superbills …), kept as
 * files beside the database the way private files are kept (server/platform/private-files.ts: 0600 in a
 * 0700 folder, written atomically) — and, because a document is patient data, sealed: AES-256-GCM under a
 * random key that lives in the encrypted database (`meta`), bound to the clinic, the patient and the
 * document's own description. A copied folder is unreadable without the database; rotating the database key
 * leaves the documents readable. Names on disk are ids only.
 *
 * What is kept is the document as composed — the letterhead, every line and figure, the print date — so it
 * reads the same whenever it is opened: the PDF is drawn from it on opening (the same content gives the same
 * pages). The file starts with the description the list shows (kind, title without patient data, when, by
 * whom), in clear, and covered by the seal's authentication.
 *
 * The files stay on this workstation: they do not replicate and are not in `tessera backup` (any document
 * can be made again from the ledger; docs/billing.md says so).
 */

export interface StoredDocument {
  letterhead: Letterhead;
  composed: ComposedDocument;
  /** The date printed in the footer, e.g. "1 Dec 2026". */
  printedOn: string;
}

const MAGIC = Buffer.from('TSD2');
const KEY_META = 'billing_documents_key';

export class PatientDocuments {
  #key: Buffer | null = null;
  readonly root: string;

  constructor(
    private readonly store: Store,
    root?: string,
  ) {
    this.root = root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-documents-'));
  }

  private key(): Buffer {
    if (this.#key) return this.#key;
    let hex = this.store.getMeta(KEY_META);
    if (!hex) {
      const fresh = crypto.randomBytes(32).toString('hex');
      this.store.write({ userId: null, username: null }, (w) => w.setMeta(KEY_META, fresh));
      hex = fresh;
    }
    this.#key = Buffer.from(hex, 'hex');
    return this.#key;
  }

  private dir(patientId: string): string {
    if (!/^[0-9a-f-]{36}$/i.test(patientId)) throw new Error('A patient id is a UUID.');
    return path.join(this.root, this.store.requireClinicId(), patientId);
  }

  save(
    patientId: string,
    content: StoredDocument,
    meta: Pick<
      PatientDocument,
      'kind' | 'title' | 'createdAt' | 'createdBy' | 'amountCents' | 'runId' | 'coversPatientIds'
    >,
    opts: { flush?: boolean } = {},
  ): PatientDocument {
    const id = uuidv7();
    const plain = Buffer.from(JSON.stringify(content), 'utf8');
    const doc: PatientDocument = {
      id,
      patientId,
      bytes: plain.length,
      sha256: crypto.createHash('sha256').update(plain).digest('hex'),
      ...meta,
    };
    const head = Buffer.from(JSON.stringify(doc), 'utf8');
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key(), iv);
    cipher.setAAD(Buffer.concat([Buffer.from(`${this.store.requireClinicId()}:`), head]));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(head.length);
    writePrivateFile(
      path.join(this.dir(patientId), `${id}.tsd`),
      Buffer.concat([MAGIC, len, head, iv, sealed, cipher.getAuthTag()]),
      opts,
    );
    return doc;
  }

  private header(file: string): { doc: PatientDocument; headEnd: number; head: Buffer } | null {
    const fd = fs.openSync(file, 'r');
    try {
      const pre = Buffer.alloc(8);
      if (fs.readSync(fd, pre, 0, 8, 0) < 8 || !pre.subarray(0, 4).equals(MAGIC)) return null;
      const n = pre.readUInt32BE(4);
      if (n > 64 * 1024) return null;
      const head = Buffer.alloc(n);
      fs.readSync(fd, head, 0, n, 8);
      const parsed = patientDocumentSchema.safeParse(JSON.parse(head.toString('utf8')));
      return parsed.success ? { doc: parsed.data, headEnd: 8 + n, head } : null;
    } catch {
      return null;
    } finally {
      fs.closeSync(fd);
    }
  }

  list(patientId: string): PatientDocument[] {
    const dir = this.dir(patientId);
    if (!fs.existsSync(dir)) return [];
    const docs: PatientDocument[] = [];
    for (const name of fs.readdirSync(dir)) {
      if (!name.endsWith('.tsd')) continue;
      const h = this.header(path.join(dir, name));
      if (h && h.doc.patientId === patientId && `${h.doc.id}.tsd` === name) docs.push(h.doc);
    }
    return docs.sort((a, b) =>
      a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1,
    );
  }

  read(patientId: string, id: string): { doc: PatientDocument; content: StoredDocument } {
    const file = path.join(this.dir(patientId), `${id}.tsd`);
    const h = fs.existsSync(file) ? this.header(file) : null;
    if (!h || h.doc.id !== id || h.doc.patientId !== patientId) {
      throw new AppError(
        404,
        'not_found',
        'That document is not on this workstation. Make it again from the account.',
      );
    }
    try {
      const raw = fs.readFileSync(file);
      const iv = raw.subarray(h.headEnd, h.headEnd + 12);
      const tag = raw.subarray(raw.length - 16);
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key(), iv);
      decipher.setAAD(Buffer.concat([Buffer.from(`${this.store.requireClinicId()}:`), h.head]));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([
        decipher.update(raw.subarray(h.headEnd + 12, raw.length - 16)),
        decipher.final(),
      ]);
      return { doc: h.doc, content: JSON.parse(plain.toString('utf8')) as StoredDocument };
    } catch {
      throw new AppError(
        409,
        'document_unreadable',
        'That document file is damaged or was copied from another workstation. Make it again from the account.',
      );
    }
  }
}
