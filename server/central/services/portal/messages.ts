import { v7 as uuidv7 } from 'uuid';
import type { PortalFile } from '../../../contracts/portal/files';
import type { PortalMessageRow, PortalThreadRow } from '../../../contracts/portal/messaging';
import { AppError } from '../../../platform/errors';
import type { Tx } from '../../db/pool';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { attachmentsOf, fileInserts, prepareFile, toPortalFile } from './files';
import { patientRows, requireScope, senderNameOf, writeRows } from './replica';

/**
 * Secure messages on the portal's side: the patient's threads with the care team, read from the clinic's
 * replica and written there as central's changes (the workstations pull them into the clinic inbox; staff
 * replies come back the same way). Opening a thread stamps the care team's messages as read by the patient
 * (a read receipt the clinic sees). Every act is in the account's activity. Another patient's thread
 * answers exactly like one that does not exist. A message may carry up to three photos or PDFs: each passes
 * the same checks as an upload (size, type from the first bytes) and is stored with the message in one
 * transaction, so a refused file leaves no message behind.
 */

type Thread = PortalThreadRow & { id: string };
type Message = PortalMessageRow & { id: string };

const notFound = () => new AppError(404, 'thread_not_found', 'That conversation was not found.');
const NOT_SAVED = 'Your message could not be saved right now. Please try again, or call the clinic.';

export async function listThreads(accounts: PortalAccounts, caller: PortalCaller) {
  requireScope(caller, 'messages');
  return accounts.tx(caller.clinicId, async (tx) => {
    const threads = await patientRows<Thread>(accounts, tx, caller, 'portal_threads');
    const messages = await patientRows<Message>(accounts, tx, caller, 'portal_messages');
    await accounts.record(tx, callerRow(caller), 'messages.list');
    const unread = new Map<string, number>();
    for (const m of messages)
      if (m.sender === 'staff' && !m.readByPatientAt)
        unread.set(m.threadId, (unread.get(m.threadId) ?? 0) + 1);
    return {
      threads: threads
        .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt))
        .map((t) => ({
          id: t.id,
          subject: t.subject,
          lastMessageAt: t.lastMessageAt,
          unread: unread.get(t.id) ?? 0,
        })),
    };
  });
}

/** Whether the caller may see the care team's messages (a proxy only with the scope). */
export const readsMessages = (caller: PortalCaller) =>
  caller.kind === 'self' || caller.scope.includes('messages');

/** The count of the care team's unread messages to patient $2 of clinic $1 (a query, or a subquery). */
export const UNREAD_SQL = `SELECT count(*) AS n FROM replica_rows
      WHERE clinic_id = $1 AND table_name = 'portal_messages' AND data->>'patientId' = $2
        AND data->>'sender' = 'staff' AND coalesce(data->>'readByPatientAt', '') = ''
        AND coalesce(data->>'deletedAt', '') = ''`;

/**
 * How many of the care team's messages the patient has not opened, for the portal's navigation badge:
 * counted in SQL on plain fields (sender, receipt), so nothing is decrypted and nothing is recorded as
 * activity (the badge is read on every page; opening a conversation is the act that counts).
 */
export async function unreadCount(tx: Tx, caller: PortalCaller): Promise<number> {
  if (!readsMessages(caller)) return 0;
  const r = await tx.query<{ n: string }>(UNREAD_SQL, [caller.clinicId, caller.patientId]);
  return Number(r.rows[0]?.n ?? 0);
}

export async function readThread(accounts: PortalAccounts, caller: PortalCaller, threadId: string) {
  requireScope(caller, 'messages');
  return accounts.tx(caller.clinicId, async (tx) => {
    const [thread] = await patientRows<Thread>(accounts, tx, caller, 'portal_threads', {
      where: 'row_id = $4',
      args: [threadId],
    });
    if (!thread) throw notFound();
    const messages = (
      await patientRows<Message>(accounts, tx, caller, 'portal_messages', {
        where: `data->>'threadId' = $4`,
        args: [threadId],
      })
    ).sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.id.localeCompare(b.id));
    const at = accounts.now().toISOString();
    const unread = messages.filter((m) => m.sender === 'staff' && !m.readByPatientAt);
    if (unread.length)
      await writeRows(
        accounts,
        tx,
        caller,
        unread.map(({ id, ...row }) => ({
          table: 'portal_messages',
          rowId: id,
          op: 'update' as const,
          row: { ...row, id, readByPatientAt: at, updatedAt: at },
          changedFields: ['readByPatientAt', 'updatedAt'],
        })),
        NOT_SAVED,
      );
    const files = await attachmentsOf(
      accounts,
      tx,
      caller,
      messages.map((m) => m.id),
    );
    await accounts.record(tx, callerRow(caller), 'messages.read');
    return {
      id: thread.id,
      subject: thread.subject,
      messages: messages.map((m) => ({
        id: m.id,
        sender: m.sender,
        senderName: m.senderName,
        body: m.body,
        sentAt: m.sentAt,
        readAt: m.sender === 'patient' ? m.readByStaffAt : (m.readByPatientAt ?? at),
        attachments: files.get(m.id) ?? [],
      })),
    };
  });
}

interface Attachment {
  contentBase64: string;
}

/** Checks and stores a new message's files (field names `attachments.N` for the page's sentences). */
async function attach(
  accounts: PortalAccounts,
  tx: Tx,
  caller: PortalCaller,
  message: PortalMessageRow,
  attachments: Attachment[],
) {
  const files = [];
  for (const [i, a] of attachments.entries())
    files.push(
      await prepareFile(
        accounts,
        tx,
        caller,
        {
          purpose: 'attachment',
          sender: 'patient',
          senderUserId: null,
          senderName: message.senderName,
          title: `Attachment ${i + 1}`,
          messageId: message.id,
          submissionId: null,
        },
        a.contentBase64,
        `attachments.${i}`,
      ),
    );
  return files;
}

export async function startThread(
  accounts: PortalAccounts,
  caller: PortalCaller,
  subject: string,
  body: string,
  attachments: Attachment[] = [],
) {
  requireScope(caller, 'messages');
  return accounts.tx(caller.clinicId, async (tx) => {
    const at = accounts.now().toISOString();
    const threadId = uuidv7();
    const thread: PortalThreadRow = {
      id: threadId,
      clinicId: caller.clinicId,
      patientId: caller.patientId,
      subject,
      assignedUserId: null,
      openedBy: 'patient',
      lastMessageAt: at,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    };
    const message = await newMessage(tx, caller, threadId, body, at);
    const files = await attach(accounts, tx, caller, message, attachments);
    await writeRows(
      accounts,
      tx,
      caller,
      [
        { table: 'portal_threads', rowId: threadId, op: 'insert', row: thread, changedFields: null },
        { table: 'portal_messages', rowId: message.id, op: 'insert', row: message, changedFields: null },
        ...fileInserts(files),
      ],
      NOT_SAVED,
    );
    await accounts.record(tx, callerRow(caller), 'messages.send');
    return { id: threadId, subject, messages: [shape(message, files.map(toPortalFile))] };
  });
}

export async function reply(
  accounts: PortalAccounts,
  caller: PortalCaller,
  threadId: string,
  body: string,
  attachments: Attachment[] = [],
) {
  requireScope(caller, 'messages');
  return accounts.tx(caller.clinicId, async (tx) => {
    const [thread] = await patientRows<Thread>(accounts, tx, caller, 'portal_threads', {
      where: 'row_id = $4',
      args: [threadId],
    });
    if (!thread) throw notFound();
    const at = accounts.now().toISOString();
    const message = await newMessage(tx, caller, threadId, body, at);
    const files = await attach(accounts, tx, caller, message, attachments);
    const { id, ...threadRow } = thread;
    await writeRows(
      accounts,
      tx,
      caller,
      [
        { table: 'portal_messages', rowId: message.id, op: 'insert', row: message, changedFields: null },
        ...fileInserts(files),
        {
          table: 'portal_threads',
          rowId: id,
          op: 'update',
          row: { ...threadRow, id, lastMessageAt: at, updatedAt: at },
          changedFields: ['lastMessageAt', 'updatedAt'],
        },
      ],
      NOT_SAVED,
    );
    await accounts.record(tx, callerRow(caller), 'messages.send');
    return shape(message, files.map(toPortalFile));
  });
}

async function newMessage(
  tx: Parameters<typeof senderNameOf>[0],
  caller: PortalCaller,
  threadId: string,
  body: string,
  at: string,
): Promise<PortalMessageRow> {
  return {
    id: uuidv7(),
    clinicId: caller.clinicId,
    threadId,
    patientId: caller.patientId,
    sender: 'patient',
    senderUserId: null,
    senderName: await senderNameOf(tx, caller),
    body,
    sentAt: at,
    readByPatientAt: null,
    readByStaffAt: null,
    readByStaffUserId: null,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
}

const shape = (m: PortalMessageRow, attachments: PortalFile[]) => ({
  id: m.id,
  sender: m.sender,
  senderName: m.senderName,
  body: m.body,
  sentAt: m.sentAt,
  readAt: m.readByStaffAt,
  attachments,
});
