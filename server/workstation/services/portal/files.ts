import type { RecordFile } from '../../../contracts/portal/files';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { patientForRead, patientForWrite } from '../patients/patient-core';

/**
 * Files patients sent through the portal, on the record (docs/portal.md "Files"): the list comes from this
 * workstation's replica (so it works offline); the bytes stay at central and are fetched when a staff member
 * opens one (the route audits it). Reviewing a file only records who looked at it and when; what it says
 * goes into the record by the usual screens.
 */

type StaffActor = Actor & { userId: string };

const FILE_SELECT = `
  SELECT f.id, f.patient_id AS patientId, f.purpose, f.sender, f.sender_name AS senderName, f.title,
         f.content_type AS contentType, f.size_bytes AS sizeBytes, f.message_id AS messageId,
         f.uploaded_at AS uploadedAt, f.reviewed_at AS reviewedAt, u.full_name AS reviewedByName
    FROM portal_files f LEFT JOIN users u ON u.id = f.reviewed_by
   WHERE f.deleted_at IS NULL`;

type FileRecord = RecordFile & { patientId: string };
const view = ({ patientId: _p, ...f }: FileRecord): RecordFile => f;

export class PortalFileService {
  constructor(private readonly store: Store) {}

  /** The patient's files, newest first (the caller audits the look). */
  list(actor: StaffActor, patientId: string): RecordFile[] {
    const { row } = patientForRead(this.store, actor, patientId);
    return (
      this.store.db
        .prepare(`${FILE_SELECT} AND f.patient_id = ? ORDER BY f.uploaded_at DESC, f.id DESC`)
        .all(row.id) as FileRecord[]
    ).map(view);
  }

  /** One file of this record (checked before central is asked for its bytes). */
  get(actor: StaffActor, patientId: string, fileId: string): RecordFile {
    const { row } = patientForRead(this.store, actor, patientId);
    const file = this.store.db.prepare(`${FILE_SELECT} AND f.id = ?`).get(fileId) as FileRecord | undefined;
    if (!file || file.patientId !== row.id)
      throw new AppError(404, 'not_found', 'That file was not found on this record.');
    return view(file);
  }

  /** Files of messages (the inbox's conversation view). */
  forMessages(messageIds: string[]): Map<string, RecordFile[]> {
    const out = new Map<string, RecordFile[]>();
    if (messageIds.length === 0) return out;
    const rows = this.store.db
      .prepare(
        `${FILE_SELECT} AND f.message_id IN (SELECT value FROM json_each(?)) ORDER BY f.uploaded_at, f.id`,
      )
      .all(JSON.stringify(messageIds)) as FileRecord[];
    for (const r of rows) {
      const list = out.get(r.messageId!) ?? [];
      list.push(view(r));
      out.set(r.messageId!, list);
    }
    return out;
  }

  /** Marks a patient's file reviewed (once; replicated, so every workstation shows who did it). */
  review(actor: StaffActor, patientId: string, fileId: string): RecordFile {
    const patient = patientForWrite(this.store, actor, patientId);
    const file = this.get(actor, patient.id, fileId);
    if (file.sender !== 'patient')
      throw new AppError(409, 'not_reviewable', 'Only files the patient sent are reviewed.');
    if (file.reviewedAt)
      throw new AppError(
        409,
        'already_reviewed',
        `This file was already reviewed by ${file.reviewedByName ?? 'another staff member'}.`,
      );
    const at = this.store.nowIso();
    this.store.write(actor, (w) => {
      w.update('portal_files', fileId, { reviewedAt: at, reviewedBy: actor.userId, updatedAt: at });
      w.audit({
        action: 'portal.file_review',
        patientId: patient.id,
        detail: { fileId, purpose: file.purpose },
      });
    });
    return this.get(actor, patient.id, fileId);
  }
}
