import { v7 as uuidv7 } from 'uuid';
import type { Inbox, InboxMessage, InboxThread, InboxThreadSummary } from '../../../contracts/inbox';
import { hasPermission } from '../../../domain/admin/permission-matrix';
import { displayName } from '../../../domain/patients/demographics';
import type { Role } from '../../../contracts/admin/permissions';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { patientForWrite } from '../patients/patient-core';
import { PortalFileService } from '../portal/files';

/**
 * The clinic inbox: patients' portal conversations (pulled from central) with unread counts and
 * assignment, staff replies (written here through the one write path; pushed to central, where the portal
 * reads them), read receipts both ways, and urgent questionnaire flags (PHQ-9 item 9) not yet reviewed.
 * Opening a conversation is audited with the patient; a restricted record needs emergency access first.
 * Attachments are `portal_files` rows (pulled from central, whichever side sent them); a staff reply's
 * files are stored at central first (routes/inbox.ts) under the message id `prepareReply` hands out.
 */

type StaffActor = Actor & { userId: string };

interface ThreadRecord {
  id: string;
  patientId: string;
  subject: string;
  assignedUserId: string | null;
  lastMessageAt: string;
  legalFirstName: string;
  legalLastName: string;
  firstNameToUse: string | null;
  lastNameToUse: string | null;
  assignedName: string | null;
  unread: number;
}

const THREAD_SELECT = `
  SELECT t.id, t.patient_id AS patientId, t.subject, t.assigned_user_id AS assignedUserId,
         t.last_message_at AS lastMessageAt,
         p.legal_first_name AS legalFirstName, p.legal_last_name AS legalLastName,
         p.first_name_to_use AS firstNameToUse, p.last_name_to_use AS lastNameToUse,
         u.full_name AS assignedName,
         (SELECT count(*) FROM portal_messages m
           WHERE m.thread_id = t.id AND m.sender = 'patient' AND m.read_by_staff_at IS NULL
             AND m.deleted_at IS NULL) AS unread
    FROM portal_threads t
    JOIN patients p ON p.id = t.patient_id
    LEFT JOIN users u ON u.id = t.assigned_user_id
   WHERE t.deleted_at IS NULL`;

const summary = (r: ThreadRecord): InboxThreadSummary => ({
  id: r.id,
  patientId: r.patientId,
  patientName: displayName(r),
  subject: r.subject,
  assignedUserId: r.assignedUserId,
  assignedName: r.assignedName,
  lastMessageAt: r.lastMessageAt,
  unread: Number(r.unread),
});

const notFound = () => new AppError(404, 'not_found', 'That conversation was not found.');

export interface PreparedReply {
  messageId: string;
  patientId: string;
  senderName: string;
}

export class InboxService {
  readonly #files: PortalFileService;
  constructor(private readonly store: Store) {
    this.#files = new PortalFileService(store);
  }

  list(actor: StaffActor, filter: 'all' | 'mine' | 'unassigned' | 'unread', background = false): Inbox {
    const rows = this.store.db
      .prepare(`${THREAD_SELECT} ORDER BY t.last_message_at DESC, t.id DESC LIMIT 500`)
      .all() as ThreadRecord[];
    const threads = rows.map(summary).filter((t) => {
      if (filter === 'mine') return t.assignedUserId === actor.userId;
      if (filter === 'unassigned') return t.assignedUserId === null;
      if (filter === 'unread') return t.unread > 0;
      return true;
    });
    const flags = this.store.db
      .prepare(
        `SELECT r.id, r.patient_id AS patientId, r.instrument, r.total_score AS totalScore, r.severity,
                r.submitted_at AS submittedAt,
                p.legal_first_name AS legalFirstName, p.legal_last_name AS legalLastName,
                p.first_name_to_use AS firstNameToUse, p.last_name_to_use AS lastNameToUse
           FROM questionnaire_responses r JOIN patients p ON p.id = r.patient_id
          WHERE r.urgent = 1 AND r.reviewed_at IS NULL AND r.deleted_at IS NULL
          ORDER BY r.submitted_at DESC`,
      )
      .all() as (Inbox['flags'][number] & ThreadRecord)[];
    const users = this.store.db
      .prepare(
        `SELECT id, full_name AS name, roles FROM users WHERE active = 1 AND deleted_at IS NULL ORDER BY full_name`,
      )
      .all() as { id: string; name: string; roles: string }[];
    // The list holds patient names and subjects: one audit entry per look at it (no patient: many of them);
    // a live refresh is not a new look.
    if (!background)
      this.store.audit(actor, {
        action: 'inbox.read',
        detail: { filter, threads: threads.length, flags: flags.length },
      });
    return {
      threads,
      flags: flags.map((f) => ({
        id: f.id,
        patientId: f.patientId,
        patientName: displayName(f),
        instrument: f.instrument,
        totalScore: f.totalScore,
        severity: f.severity,
        submittedAt: f.submittedAt,
      })),
      unreadTotal: rows.reduce((n, r) => n + Number(r.unread), 0),
      assignees: users
        .filter((u) => hasPermission(JSON.parse(u.roles) as Role[], 'chart.write'))
        .map((u) => ({ id: u.id, name: u.name })),
    };
  }

  #thread(threadId: string): ThreadRecord {
    const row = this.store.db.prepare(`${THREAD_SELECT} AND t.id = ?`).get(threadId) as
      ThreadRecord | undefined;
    if (!row) throw notFound();
    return row;
  }

  read(actor: StaffActor, threadId: string, background = false): InboxThread {
    const thread = this.#thread(threadId);
    patientForWrite(this.store, actor, thread.patientId);
    const at = this.store.nowIso();
    const unread = this.store.db
      .prepare(
        `SELECT id FROM portal_messages WHERE thread_id = ? AND sender = 'patient' AND read_by_staff_at IS NULL AND deleted_at IS NULL`,
      )
      .all(threadId) as { id: string }[];
    // A live refresh of the open conversation marks what arrived (it is on screen) but is not a new look.
    if (!background || unread.length)
      this.store.write(actor, (w) => {
        for (const m of unread)
          w.update('portal_messages', m.id, {
            readByStaffAt: at,
            readByStaffUserId: actor.userId,
            updatedAt: at,
          });
        w.audit({
          action: 'inbox.read',
          patientId: thread.patientId,
          detail: { threadId, marked: unread.length },
        });
      });
    const messages = this.store.db
      .prepare(
        `SELECT id, sender, sender_name AS senderName, body, sent_at AS sentAt,
                read_by_patient_at AS readByPatientAt, read_by_staff_at AS readByStaffAt
           FROM portal_messages WHERE thread_id = ? AND deleted_at IS NULL ORDER BY sent_at, id`,
      )
      .all(threadId) as Omit<InboxMessage, 'attachments'>[];
    const files = this.#files.forMessages(messages.map((m) => m.id));
    return {
      ...summary({ ...thread, unread: 0 }),
      messages: messages.map((m) => ({ ...m, attachments: files.get(m.id) ?? [] })),
    };
  }

  /** Checks the reply may be written and names it (before its files go to central). */
  prepareReply(actor: StaffActor, threadId: string): PreparedReply {
    const thread = this.#thread(threadId);
    patientForWrite(this.store, actor, thread.patientId);
    const me = this.store.db.prepare('SELECT full_name AS name FROM users WHERE id = ?').get(actor.userId) as
      { name: string } | undefined;
    return { messageId: uuidv7(), patientId: thread.patientId, senderName: me?.name ?? 'Care team' };
  }

  /**
   * Writes a staff reply; `prepared` and `attachments` when its files are already stored at central (their
   * rows arrive here with the next pull).
   */
  reply(
    actor: StaffActor,
    threadId: string,
    body: string,
    prepared?: PreparedReply,
    attachments: InboxMessage['attachments'] = [],
  ): InboxMessage {
    const thread = this.#thread(threadId);
    const { messageId: id, senderName } = prepared ?? this.prepareReply(actor, threadId);
    if (prepared) patientForWrite(this.store, actor, thread.patientId);
    const at = this.store.nowIso();
    this.store.write(actor, (w) => {
      w.insert('portal_messages', {
        id,
        clinicId: this.store.requireClinicId(),
        threadId,
        patientId: thread.patientId,
        sender: 'staff',
        senderUserId: actor.userId,
        senderName,
        body,
        sentAt: at,
        readByPatientAt: null,
        readByStaffAt: at,
        readByStaffUserId: actor.userId,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      });
      // Replying takes the conversation when nobody has it yet, so the inbox shows who is on it.
      w.update('portal_threads', threadId, {
        lastMessageAt: at,
        updatedAt: at,
        ...(thread.assignedUserId ? {} : { assignedUserId: actor.userId }),
      });
      w.audit({
        action: 'inbox.reply',
        patientId: thread.patientId,
        detail: { threadId, messageId: id, attachments: attachments.map((f) => f.id) },
      });
    });
    return {
      id,
      sender: 'staff',
      senderName,
      body,
      sentAt: at,
      readByPatientAt: null,
      readByStaffAt: at,
      attachments,
    };
  }

  assign(actor: StaffActor, threadId: string, userId: string | null): InboxThreadSummary {
    const thread = this.#thread(threadId);
    if (userId) {
      const u = this.store.db
        .prepare('SELECT roles FROM users WHERE id = ? AND active = 1 AND deleted_at IS NULL')
        .get(userId) as { roles: string } | undefined;
      if (!u || !hasPermission(JSON.parse(u.roles) as Role[], 'chart.write'))
        throw new AppError(400, 'invalid_input', 'Choose an active staff member who can answer patients.', {
          userId: 'Choose an active staff member who can answer patients.',
        });
    }
    const at = this.store.nowIso();
    this.store.write(actor, (w) => {
      w.update('portal_threads', threadId, { assignedUserId: userId, updatedAt: at });
      w.audit({
        action: 'inbox.assign',
        patientId: thread.patientId,
        detail: { threadId, assignedUserId: userId },
      });
    });
    return summary(this.#thread(threadId));
  }
}
