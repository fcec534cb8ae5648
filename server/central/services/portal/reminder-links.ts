import type {
  ReminderChannel,
  ReminderLink,
  ReminderLinkAction,
  ReminderOptOut,
  ReminderSend,
} from '../../../contracts/portal/reminders';
import { AppError } from '../../../platform/errors';
import { sha256 } from '../../../platform/secrets';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb, Tx } from '../../db/pool';
import { cancelWindowHours, writeAppointmentChange, writePatientCancel } from './appointments';
import { e164 } from './sms-port';
import { readPortalToken } from './tokens';

/**
 * The links in a reminder (docs/portal.md, "Reminders"), used without signing in: whoever holds the
 * message may confirm or cancel that one appointment, or stop e-mail reminders, once. A link shows only
 * the clinic's name and the time. Confirm marks the appointment "confirmed by the patient"; cancel applies
 * the clinic's window like the portal does; both are central's replicated changes of the appointment row,
 * so the workstations' boards show them after their next pull. Each link works once (`used_at`, taken
 * under a row lock), and a confirm or cancel link only until the appointment starts or moves.
 */

export interface ReminderLinkDeps {
  db: CentralDb;
  cipher: ColumnCipher;
  now?: () => Date;
}

const invalid = () =>
  new AppError(
    404,
    'link_invalid',
    'This link does not work any more: it was for an appointment that has passed, or it is not complete. Call the clinic, or sign in to the patient portal, to see your appointments.',
  );

interface LinkRow {
  clinic_id: string;
  appointment_id: string;
  patient_id: string;
  channel: ReminderChannel;
  action: ReminderLinkAction;
  starts_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

async function resolve(
  deps: ReminderLinkDeps,
  token: string,
  forUpdate: boolean,
  fn: (tx: Tx, link: LinkRow, now: Date) => Promise<ReminderLink>,
): Promise<ReminderLink> {
  const parsed = readPortalToken(token);
  if (!parsed) throw invalid();
  const now = (deps.now ?? (() => new Date()))();
  return deps.db.tx({ clinicId: parsed.clinicId }, async (tx) => {
    const r = await tx.query<LinkRow>(
      `SELECT clinic_id, appointment_id, patient_id, channel, action, starts_at, expires_at, used_at
         FROM reminder_links WHERE clinic_id = $1 AND token_hash = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [parsed.clinicId, parsed.hash],
    );
    const link = r.rows[0];
    // An unused link past its time answers like one that never existed: nothing to tell.
    if (!link || (!link.used_at && link.expires_at.getTime() <= now.getTime())) throw invalid();
    return fn(tx, link, now);
  });
}

interface Appointment {
  row_id: string;
  data: Record<string, unknown>;
}

async function appointmentOf(tx: Tx, link: LinkRow): Promise<Appointment | null> {
  const r = await tx.query<Appointment>(
    `SELECT row_id, data FROM replica_rows
      WHERE clinic_id = $1 AND table_name = 'appointments' AND row_id = $2 AND data->>'patientId' = $3`,
    [link.clinic_id, link.appointment_id, link.patient_id],
  );
  return r.rows[0] ?? null;
}

async function view(tx: Tx, link: LinkRow, appt: Appointment | null, now: Date): Promise<ReminderLink> {
  const c = await tx.query<{ name: string }>('SELECT name FROM clinics WHERE id = $1', [link.clinic_id]);
  const windowHours = await cancelWindowHours(tx, link.clinic_id);
  const d = appt?.data ?? {};
  const startsAt = String(d.startsAt ?? link.starts_at.toISOString());
  const starts = Date.parse(startsAt);
  let state: ReminderLink['state'] = 'ready';
  if (link.used_at) state = 'done';
  else if (link.action !== 'unsubscribe') {
    const open =
      appt &&
      !d.deletedAt &&
      d.status === 'scheduled' &&
      starts === link.starts_at.getTime() &&
      starts > now.getTime();
    if (!open) state = 'closed';
    else if (link.action === 'cancel' && starts - windowHours * 3_600_000 <= now.getTime())
      state = 'too_late';
  }
  return {
    action: link.action,
    channel: link.channel,
    state,
    clinicName: c.rows[0]?.name ?? '',
    // A moved appointment's link names the time it was sent for, not the new one.
    startsAt: link.starts_at.toISOString(),
    timeZone: String(d.timeZone ?? 'UTC'),
    cancelWindowHours: windowHours,
  };
}

export function openReminderLink(deps: ReminderLinkDeps, token: string): Promise<ReminderLink> {
  return resolve(deps, token, false, async (tx, link, now) => {
    await tx.query(
      'UPDATE reminder_links SET opened_at = coalesce(opened_at, $3) WHERE clinic_id = $1 AND token_hash = $2',
      [link.clinic_id, sha256(token), now],
    );
    return view(tx, link, await appointmentOf(tx, link), now);
  });
}

export function useReminderLink(deps: ReminderLinkDeps, token: string): Promise<ReminderLink> {
  return resolve(deps, token, true, async (tx, link, now) => {
    const appt = await appointmentOf(tx, link);
    const before = await view(tx, link, appt, now);
    // Used already, too late or closed: say so (the page explains), change nothing.
    if (before.state !== 'ready') return before;
    const at = now.toISOString();
    if (link.action === 'confirm')
      await writeAppointmentChange(
        tx,
        deps.cipher,
        link.clinic_id,
        appt!,
        { patientConfirmedAt: at, updatedAt: at },
        now,
      );
    else if (link.action === 'cancel')
      await writePatientCancel(
        tx,
        deps.cipher,
        link.clinic_id,
        appt!,
        `Cancelled by the patient from the ${link.channel === 'sms' ? 'text message' : 'e-mail'} reminder`,
        now,
      );
    else
      await tx.query(
        `INSERT INTO reminder_opt_outs (clinic_id, patient_id, channel, source, at)
         VALUES ($1, $2, 'email', 'email_link', $3) ON CONFLICT DO NOTHING`,
        [link.clinic_id, link.patient_id, now],
      );
    await tx.query('UPDATE reminder_links SET used_at = $3 WHERE clinic_id = $1 AND token_hash = $2', [
      link.clinic_id,
      sha256(token),
      now,
    ]);
    return { ...before, state: 'done' };
  });
}

// ------------------------------------------------------------------ STOP / START by text

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const START_WORDS = new Set(['START', 'UNSTOP', 'YES']);

/**
 * What a reply means: Twilio's Advanced Opt-Out names it (`OptOutType` STOP / START / HELP); without that
 * feature, the first word as Twilio's default keywords read it. Anything else is ignored (replies are not
 * read by anyone: the messages say so).
 */
export function replyKind(fields: Record<string, string>): 'stop' | 'start' | null {
  const type = (fields.OptOutType ?? '').toUpperCase();
  if (type === 'STOP') return 'stop';
  if (type === 'START') return 'start';
  const word =
    (fields.Body ?? '')
      .trim()
      .split(/\s+/)[0]
      ?.toUpperCase()
      .replace(/[^A-Z]/g, '') ?? '';
  if (STOP_WORDS.has(word)) return 'stop';
  if (START_WORDS.has(word)) return 'start';
  return null;
}

/**
 * A STOP turns text reminders off for every patient this number received them for (in any clinic of
 * this central); START turns them on again. Returns how many patients it concerned.
 */
export async function smsReply(deps: ReminderLinkDeps, fields: Record<string, string>): Promise<number> {
  const kind = replyKind(fields);
  const from = e164(fields.From);
  if (!kind || !from) return 0;
  const now = (deps.now ?? (() => new Date()))();
  const who = await deps.db.pool.query<{ clinic_id: string; patient_id: string }>(
    'SELECT clinic_id, patient_id FROM tessera.reminder_sms_recipients($1)',
    [sha256(from)],
  );
  for (const p of who.rows)
    await deps.db.tx({ clinicId: p.clinic_id }, async (tx) => {
      if (kind === 'stop')
        await tx.query(
          `INSERT INTO reminder_opt_outs (clinic_id, patient_id, channel, source, at)
           VALUES ($1, $2, 'sms', 'sms_stop', $3)
           ON CONFLICT (clinic_id, patient_id, channel) DO UPDATE SET source = 'sms_stop', at = $3`,
          [p.clinic_id, p.patient_id, now],
        );
      else
        await tx.query(
          `DELETE FROM reminder_opt_outs WHERE clinic_id = $1 AND patient_id = $2 AND channel = 'sms'`,
          [p.clinic_id, p.patient_id],
        );
    });
  return who.rows.length;
}

// ------------------------------------------------------------------ on the patient record

/** The patient's opt-outs and latest reminders, for the record's portal panel. */
export async function reminderRecord(
  db: CentralDb,
  clinicId: string,
  patientId: string,
): Promise<{ reminderOptOuts: ReminderOptOut[]; reminders: ReminderSend[] }> {
  return db.tx({ clinicId }, async (tx) => {
    const o = await tx.query<{ channel: ReminderChannel; source: ReminderOptOut['source']; at: Date }>(
      'SELECT channel, source, at FROM reminder_opt_outs WHERE clinic_id = $1 AND patient_id = $2 ORDER BY channel',
      [clinicId, patientId],
    );
    const s = await tx.query<{
      channel: ReminderChannel;
      hours_before: number;
      status: 'sent' | 'failed';
      error: string | null;
      created_at: Date;
      starts_at: Date;
    }>(
      `SELECT channel, hours_before, status, error, created_at, starts_at FROM reminder_sends
        WHERE clinic_id = $1 AND patient_id = $2 ORDER BY created_at DESC, id DESC LIMIT 20`,
      [clinicId, patientId],
    );
    return {
      reminderOptOuts: o.rows.map((r) => ({ channel: r.channel, source: r.source, at: r.at.toISOString() })),
      reminders: s.rows.map((r) => ({
        channel: r.channel,
        hoursBefore: r.hours_before,
        status: r.status,
        error: r.error,
        at: r.created_at.toISOString(),
        appointmentStartsAt: r.starts_at.toISOString(),
      })),
    };
  });
}
