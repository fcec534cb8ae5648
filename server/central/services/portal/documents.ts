import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type {
  PortalSharedDocument,
  portalDocumentContentSchema,
  portalShareDocumentSchema,
} from '../../../contracts/portal/documents';
import { billingDocumentKinds } from '../../../contracts/billing/documents';
import type { PortalScope } from '../../../contracts/portal';
import { MAX_SHARED_PDF_BYTES, type PortalDocumentKind } from '../../../contracts/portal/documents';
import { AppError, fieldError } from '../../../platform/errors';
import type { StaffContext } from '../../http/register';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { requireScope } from './replica';

/**
 * Documents shared in the portal: staff share a kept billing document, or a clinician a signed note's visit
 * summary, from the workstation (which draws the PDF and sends it here); central keeps the title and the PDF encrypted under the column key, bound to the
 * clinic and the row. The patient lists their own and downloads one (the route needs the second factor);
 * each download is counted and recorded in the patient's activity, which staff see on the record.
 */

interface DocumentRow {
  clinic_id: string;
  id: string;
  patient_id: string;
  source_id: string;
  kind: PortalDocumentKind;
  title: string;
  content: string;
  size_bytes: number;
  sha256: string;
  shared_at: Date;
  downloads: number;
  last_downloaded_at: Date | null;
  withdrawn_at: Date | null;
}

/**
 * What a caller may see: billing documents with the `billing` scope, visit summaries with
 * `visit_summaries` (a patient's own account has both). A proxy with neither is refused in a sentence.
 */
function kindsFor(caller: PortalCaller): PortalDocumentKind[] {
  const has = (scope: PortalScope) => caller.kind === 'self' || caller.scope.includes(scope);
  const kinds: PortalDocumentKind[] = [
    ...(has('billing') ? billingDocumentKinds : []),
    ...(has('visit_summaries') ? (['visit_summary'] as const) : []),
  ];
  if (!kinds.length) requireScope(caller, 'billing');
  return kinds;
}

const NOT_FOUND = () => new AppError(404, 'document_not_found', 'That document was not found.');
const place = (r: { clinic_id: string; id: string }, field: 'title' | 'content') =>
  `portal_documents/${r.clinic_id}/${r.id}/${field}`;
const PDF_MAGIC = Buffer.from('%PDF-');

export class PortalDocuments {
  constructor(private readonly accounts: PortalAccounts) {}

  get #cipher() {
    return this.accounts.deps.cipher;
  }

  #toShared(r: DocumentRow): PortalSharedDocument {
    return {
      id: r.id,
      sourceId: r.source_id,
      kind: r.kind,
      title: this.#cipher.decrypt(r.title, place(r, 'title')),
      sharedAt: r.shared_at.toISOString(),
      sizeBytes: r.size_bytes,
      downloads: r.downloads,
      lastDownloadedAt: r.last_downloaded_at ? r.last_downloaded_at.toISOString() : null,
      withdrawnAt: r.withdrawn_at ? r.withdrawn_at.toISOString() : null,
    };
  }

  /** Shares (or shares again, replacing the content) one of the patient's documents. */
  async share(
    staff: StaffContext,
    input: z.output<typeof portalShareDocumentSchema>,
  ): Promise<PortalSharedDocument> {
    const pdf = Buffer.from(input.pdfBase64, 'base64');
    if (pdf.length > MAX_SHARED_PDF_BYTES) throw fieldError('pdfBase64', 'The document is larger than 8 MB.');
    if (!pdf.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC))
      throw fieldError('pdfBase64', 'Only PDF documents can be shared in the portal.');
    const clinicId = staff.clinicId;
    return this.accounts.tx(clinicId, async (tx) => {
      const patient = await tx.query(
        `SELECT 1 FROM replica_rows WHERE clinic_id = $1 AND table_name = 'patients' AND row_id = $2
           AND coalesce(data->>'deletedAt', '') = ''`,
        [clinicId, input.patientId],
      );
      if (!patient.rows[0])
        throw new AppError(
          409,
          'patient_unknown',
          'This patient has not reached the central server yet. Wait a moment for this workstation to sync, then try again.',
        );
      const existing = await tx.query<{ id: string; patient_id: string }>(
        'SELECT id, patient_id FROM portal_documents WHERE clinic_id = $1 AND source_id = $2 FOR UPDATE',
        [clinicId, input.sourceId],
      );
      const prior = existing.rows[0];
      if (prior && prior.patient_id !== input.patientId)
        throw new AppError(409, 'request_conflict', 'That document belongs to another patient.');
      const row = { clinic_id: clinicId, id: prior?.id ?? uuidv7() };
      const values = [
        clinicId,
        row.id,
        input.patientId,
        input.sourceId,
        input.kind,
        this.#cipher.encrypt(input.title, place(row, 'title')),
        this.#cipher.encrypt(pdf.toString('base64'), place(row, 'content')),
        pdf.length,
        crypto.createHash('sha256').update(pdf).digest('hex'),
        staff.userId,
      ];
      const r = await tx.query<DocumentRow>(
        prior
          ? `UPDATE portal_documents SET kind = $5, title = $6, content = $7, size_bytes = $8, sha256 = $9,
               shared_by = $10, shared_at = now(), withdrawn_at = NULL, withdrawn_by = NULL WHERE clinic_id = $1 AND id = $2 AND patient_id = $3 AND source_id = $4
             RETURNING *`
          : `INSERT INTO portal_documents (clinic_id, id, patient_id, source_id, kind, title, content, size_bytes, sha256, shared_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        values,
      );
      return this.#toShared(r.rows[0]!);
    });
  }

  /**
   * Staff withdraw a shared document: from this transaction on it is neither listed nor downloadable in the
   * portal (the same 404 as a document that never existed). The row stays, with who withdrew it and when;
   * sharing the same document again puts it back.
   */
  async withdraw(staff: StaffContext, id: string, patientId: string): Promise<PortalSharedDocument> {
    return this.accounts.tx(staff.clinicId, async (tx) => {
      const r = await tx.query<DocumentRow>(
        `UPDATE portal_documents SET withdrawn_at = coalesce(withdrawn_at, now()), withdrawn_by = coalesce(withdrawn_by, $4)
          WHERE clinic_id = $1 AND id = $2 AND patient_id = $3 RETURNING *`,
        [staff.clinicId, id, patientId, staff.userId],
      );
      const row = r.rows[0];
      if (!row) throw NOT_FOUND();
      return this.#toShared(row);
    });
  }

  /** Staff: what is shared in the patient's portal, with downloads. */
  async sharedWith(staff: StaffContext, patientId: string): Promise<{ documents: PortalSharedDocument[] }> {
    return this.accounts.tx(staff.clinicId, async (tx) => {
      const r = await tx.query<DocumentRow>(
        `SELECT * FROM portal_documents WHERE clinic_id = $1 AND patient_id = $2 ORDER BY shared_at DESC LIMIT 500`,
        [staff.clinicId, patientId],
      );
      return { documents: r.rows.map((x) => this.#toShared(x)) };
    });
  }

  /** The patient's list (no content). */
  async list(caller: PortalCaller) {
    const kinds = kindsFor(caller);
    return this.accounts.tx(caller.clinicId, async (tx) => {
      const r = await tx.query<DocumentRow>(
        `SELECT * FROM portal_documents WHERE clinic_id = $1 AND patient_id = $2 AND withdrawn_at IS NULL
            AND kind = ANY($3::text[])
          ORDER BY shared_at DESC LIMIT 500`,
        [caller.clinicId, caller.patientId, kinds],
      );
      await this.accounts.record(tx, callerRow(caller), 'documents.list');
      return {
        documents: r.rows.map((x) => {
          const { id, kind, title, sharedAt, sizeBytes } = this.#toShared(x);
          return { id, kind, title, sharedAt, sizeBytes };
        }),
      };
    });
  }

  /** One of the patient's documents as a PDF; another patient's answers as one that does not exist. */
  async download(caller: PortalCaller, id: string): Promise<z.input<typeof portalDocumentContentSchema>> {
    const kinds = kindsFor(caller);
    return this.accounts.tx(caller.clinicId, async (tx) => {
      // A kind outside the proxy's scope answers as a document that does not exist.
      const r = await tx.query<DocumentRow>(
        `UPDATE portal_documents SET downloads = downloads + 1, last_downloaded_at = now()
          WHERE clinic_id = $1 AND id = $2 AND patient_id = $3 AND withdrawn_at IS NULL
            AND kind = ANY($4::text[]) RETURNING *`,
        [caller.clinicId, id, caller.patientId, kinds],
      );
      const row = r.rows[0];
      if (!row) throw NOT_FOUND();
      await this.accounts.record(tx, callerRow(caller), 'documents.download');
      return {
        fileName: `${row.kind.replace(/_/g, '-')}-${row.shared_at.toISOString().slice(0, 10)}.pdf`,
        contentType: 'application/pdf' as const,
        contentBase64: this.#cipher.decrypt(row.content, place(row, 'content')),
      };
    });
  }
}
