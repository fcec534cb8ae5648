import { v7 as uuidv7 } from 'uuid';
import {
  readReminderPolicy,
  REMINDER_POLICY_KEY,
  type ReminderChannel,
  type ReminderLinkAction,
  type ReminderPolicy,
} from '../../../contracts/portal/reminders';
import type { Logger } from '../../../platform/logging';
import { sha256 } from '../../../platform/secrets';
import type { CentralDb, Tx } from '../../db/pool';
import type { MailPort } from './mailer';
import { languageOf, reminderMail, reminderSms, whenText, type ReminderLanguage } from './reminder-messages';
import { e164, SmsUnavailable, type SmsPort } from './sms-port';
import { emailHash, newPortalToken } from './tokens';

/**
 * Central's reminder job (docs/portal.md, "Reminders"). Every run, for each clinic whose policy (the
 * replicated clinic setting `portal.reminders`) names times and channels: the clinic's scheduled
 * appointments starting within the longest time, each at its latest due stage (with [48, 2]: the 48-hour
 * reminder from 48 h before, the 2-hour one from 2 h before; a stage missed while central was down is not
 * sent late once a closer one is due), each channel the patient agreed to (e-mail / texts allowed on the
 * record, an address or mobile number, no opt-out).
 *
 * Sent once, also with several central nodes and restarts: each reminder is sent inside the transaction
 * that inserts its `reminder_sends` row, whose unique key (appointment, start, stage, channel) makes a
 * second node's insert wait for the first and then insert nothing. A transient failure (Twilio 429/5xx,
 * the mail relay unreachable) rolls the row back and the next run tries again; a permanent refusal is kept
 * as failed with a sentence (shown on the record) and never retried. A node that dies after the provider
 * accepted but before its commit may send one reminder twice: neither SMTP nor Twilio's Messages API takes
 * an idempotency key, so that window (one message) is the limit of "once".
 */

export interface ReminderDeps {
  db: CentralDb;
  mail: MailPort | null;
  sms: SmsPort | null;
  /** The origin in the links (TESSERA_PORTAL_PUBLIC_URL); null: no reminders (links need it). */
  publicUrl: string | null;
  batch: number;
  logger?: Logger | null;
  now?: () => Date;
}

export interface ReminderRun {
  sent: number;
  failed: number;
  /** Left for the next run: the batch was full, or a provider could not be reached. */
  deferred: number;
}

interface Due {
  appointmentId: string;
  patientId: string;
  startsAt: string;
  timeZone: string;
  hoursBefore: number;
}

/** Links work until the appointment starts; the e-mail's unsubscribe link for 60 days. */
const UNSUBSCRIBE_DAYS = 60;

export async function reminderPolicyOf(tx: Tx, clinicId: string): Promise<ReminderPolicy> {
  const r = await tx.query<{ value: string | null }>(
    `SELECT data->>'value' AS value FROM replica_rows
      WHERE clinic_id = $1 AND table_name = 'clinic_settings' AND row_id = $2
        AND coalesce(data->>'deletedAt', '') = ''`,
    [clinicId, `${clinicId}:${REMINDER_POLICY_KEY}`],
  );
  try {
    return readReminderPolicy(r.rows[0]?.value ? JSON.parse(r.rows[0].value) : null);
  } catch {
    return readReminderPolicy(null);
  }
}

/** The latest stage due now for an appointment starting at `startsMs` (hours sorted latest first). */
export function dueStage(hoursBefore: readonly number[], startsMs: number, nowMs: number): number | null {
  if (startsMs <= nowMs) return null;
  let stage: number | null = null;
  for (const h of hoursBefore)
    if (startsMs - h * 3_600_000 <= nowMs && (stage === null || h < stage)) stage = h;
  return stage;
}

async function dueAppointments(tx: Tx, clinicId: string, policy: ReminderPolicy, now: Date): Promise<Due[]> {
  const longest = Math.max(...policy.hoursBefore);
  const r = await tx.query<{
    row_id: string;
    patient_id: string;
    starts_at: string;
    time_zone: string | null;
  }>(
    `SELECT row_id, data->>'patientId' AS patient_id, data->>'startsAt' AS starts_at, data->>'timeZone' AS time_zone
       FROM replica_rows
      WHERE clinic_id = $1 AND table_name = 'appointments'
        AND data->>'status' = 'scheduled' AND coalesce(data->>'deletedAt', '') = ''
        AND data->>'startsAt' > $2 AND data->>'startsAt' <= $3
      ORDER BY data->>'startsAt'`,
    [clinicId, now.toISOString(), new Date(now.getTime() + longest * 3_600_000).toISOString()],
  );
  const out: Due[] = [];
  for (const a of r.rows) {
    const stage = dueStage(policy.hoursBefore, Date.parse(a.starts_at), now.getTime());
    if (stage !== null && a.patient_id)
      out.push({
        appointmentId: a.row_id,
        patientId: a.patient_id,
        startsAt: a.starts_at,
        timeZone: a.time_zone || 'UTC',
        hoursBefore: stage,
      });
  }
  return out;
}

interface Recipient {
  channel: ReminderChannel;
  address: string;
  hash: string;
  lang: ReminderLanguage;
}

/** Where this patient takes reminders: what the record allows, minus the patient's opt-outs. */
async function recipientsOf(
  tx: Tx,
  clinicId: string,
  patientId: string,
  channels: ReminderChannel[],
): Promise<Recipient[]> {
  const p = await tx.query<{ data: Record<string, unknown> }>(
    `SELECT data FROM replica_rows WHERE clinic_id = $1 AND table_name = 'patients' AND row_id = $2
        AND coalesce(data->>'deletedAt', '') = '' AND coalesce(data->>'mergedIntoId', '') = ''`,
    [clinicId, patientId],
  );
  const d = p.rows[0]?.data;
  if (!d || d.deceasedAt) return [];
  const opted = await tx.query<{ channel: ReminderChannel }>(
    'SELECT channel FROM reminder_opt_outs WHERE clinic_id = $1 AND patient_id = $2',
    [clinicId, patientId],
  );
  const off = new Set(opted.rows.map((o) => o.channel));
  const lang = languageOf(d.preferredLanguage);
  const out: Recipient[] = [];
  if (
    channels.includes('email') &&
    !off.has('email') &&
    d.emailOk === true &&
    typeof d.email === 'string' &&
    d.email.includes('@')
  )
    out.push({ channel: 'email', address: d.email.trim(), hash: emailHash(d.email), lang });
  const mobile = e164(typeof d.phoneMobile === 'string' ? d.phoneMobile : null);
  if (channels.includes('sms') && !off.has('sms') && d.textOk === true && mobile)
    out.push({ channel: 'sms', address: mobile, hash: sha256(mobile), lang });
  return out;
}

async function newLink(
  tx: Tx,
  clinicId: string,
  due: Due,
  channel: ReminderChannel,
  action: ReminderLinkAction,
  expiresAt: Date,
  publicUrl: string,
): Promise<string> {
  const { token, hash } = newPortalToken(clinicId);
  await tx.query(
    `INSERT INTO reminder_links (clinic_id, token_hash, appointment_id, patient_id, channel, action, starts_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [clinicId, hash, due.appointmentId, due.patientId, channel, action, due.startsAt, expiresAt],
  );
  // The token rides in the fragment: never in a server log, a proxy's log or a Referer.
  return `${publicUrl}/portal/reminder#t=${token}`;
}

/** Nodemailer's 5xx answers are permanent (no such mailbox); anything else is worth another run. */
const mailRefusal = (err: unknown): string | null => {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600
    ? `The mail server refused the address (${code}).`
    : null;
};

type SendResult = 'sent' | 'failed' | 'skipped' | 'deferred';

/** The mail relay could not take it now (not a refusal of the address): the next run tries again. */
class MailUnavailable extends Error {}

async function sendOne(
  deps: ReminderDeps & { publicUrl: string },
  clinicId: string,
  clinicName: string,
  due: Due,
  to: Recipient,
  now: Date,
): Promise<SendResult> {
  const { db } = deps;
  try {
    return await db.tx({ clinicId }, async (tx) => {
      const id = uuidv7();
      const ins = await tx.query(
        `INSERT INTO reminder_sends (clinic_id, id, appointment_id, patient_id, starts_at, hours_before, channel, status, recipient_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'sent', $8, $9)
         ON CONFLICT (clinic_id, appointment_id, starts_at, hours_before, channel) DO NOTHING`,
        [
          clinicId,
          id,
          due.appointmentId,
          due.patientId,
          due.startsAt,
          due.hoursBefore,
          to.channel,
          to.hash,
          now,
        ],
      );
      if (!ins.rowCount) return 'skipped' as const;
      const starts = new Date(due.startsAt);
      const links = {
        confirm: await newLink(tx, clinicId, due, to.channel, 'confirm', starts, deps.publicUrl),
        cancel: await newLink(tx, clinicId, due, to.channel, 'cancel', starts, deps.publicUrl),
      };
      const when = whenText(due.startsAt, due.timeZone, to.lang);
      let refused: string | null = null;
      let providerRef: string | null = null;
      if (to.channel === 'email') {
        const unsubscribe = await newLink(
          tx,
          clinicId,
          due,
          'email',
          'unsubscribe',
          new Date(now.getTime() + UNSUBSCRIBE_DAYS * 86_400_000),
          deps.publicUrl,
        );
        try {
          await deps.mail!.send(
            reminderMail(to.address, clinicName, when, { ...links, unsubscribe }, to.lang),
          );
        } catch (err) {
          refused = mailRefusal(err);
          if (!refused)
            throw new MailUnavailable(
              `The mail relay did not take the reminder: ${(err as Error).message.slice(0, 120)}`,
            );
        }
      } else {
        const out = await deps.sms!.send({
          to: to.address,
          body: reminderSms(clinicName, when, links, to.lang),
        });
        if (out.status === 'sent') providerRef = out.sid;
        else {
          refused = out.message;
          // Twilio already blocks this number (the patient texted STOP): record it on the patient too.
          if (out.reason === 'unsubscribed')
            await tx.query(
              `INSERT INTO reminder_opt_outs (clinic_id, patient_id, channel, source, at)
               VALUES ($1, $2, 'sms', 'sms_refused', $3) ON CONFLICT DO NOTHING`,
              [clinicId, due.patientId, now],
            );
        }
      }
      await tx.query(
        `UPDATE reminder_sends SET status = $3, provider_ref = $4, error = $5 WHERE clinic_id = $1 AND id = $2`,
        [clinicId, id, refused ? 'failed' : 'sent', providerRef, refused],
      );
      return refused ? ('failed' as const) : ('sent' as const);
    });
  } catch (err) {
    if (!(err instanceof SmsUnavailable) && !(err instanceof MailUnavailable)) throw err;
    // Rolled back (row and links): the next run sends it.
    deps.logger?.warn({ clinicId, channel: to.channel }, `reminders: deferred: ${err.message}`);
    return 'deferred';
  }
}

/** One clinic's due reminders, at most `deps.batch` of them. */
export async function sendClinicReminders(deps: ReminderDeps, clinicId: string): Promise<ReminderRun> {
  const now = (deps.now ?? (() => new Date()))();
  const run: ReminderRun = { sent: 0, failed: 0, deferred: 0 };
  const publicUrl = deps.publicUrl;
  if (!publicUrl) return run;
  const plan = await deps.db.tx(
    { clinicId },
    async (tx) => {
      const policy = await reminderPolicyOf(tx, clinicId);
      const channels = (['email', 'sms'] as const).filter(
        (c) => policy[c] && (c === 'email' ? deps.mail : deps.sms),
      );
      if (!policy.hoursBefore.length || !channels.length) return null;
      const c = await tx.query<{ name: string }>('SELECT name FROM clinics WHERE id = $1', [clinicId]);
      const due = await dueAppointments(tx, clinicId, policy, now);
      // What was already sent is skipped here without taking a lock (the insert decides in the end).
      const done = await tx.query<{
        appointment_id: string;
        starts_at: Date;
        hours_before: number;
        channel: string;
      }>(
        `SELECT appointment_id, starts_at, hours_before, channel FROM reminder_sends
          WHERE clinic_id = $1 AND appointment_id = ANY($2::uuid[])`,
        [clinicId, due.map((d) => d.appointmentId)],
      );
      const sent = new Set(
        done.rows.map(
          (d) => `${d.appointment_id}|${d.starts_at.toISOString()}|${d.hours_before}|${d.channel}`,
        ),
      );
      const work: { due: Due; to: Recipient }[] = [];
      for (const d of due)
        for (const to of await recipientsOf(tx, clinicId, d.patientId, channels))
          if (
            !sent.has(
              `${d.appointmentId}|${new Date(d.startsAt).toISOString()}|${d.hoursBefore}|${to.channel}`,
            )
          )
            work.push({ due: d, to });
      return { clinicName: c.rows[0]?.name ?? '', work };
    },
    { readOnly: true },
  );
  if (!plan) return run;
  for (const [i, w] of plan.work.entries()) {
    if (i >= deps.batch) {
      run.deferred += plan.work.length - i;
      break;
    }
    const r = await sendOne({ ...deps, publicUrl }, clinicId, plan.clinicName, w.due, w.to, now);
    if (r === 'sent') run.sent++;
    else if (r === 'failed') run.failed++;
    else if (r === 'deferred') run.deferred++;
  }
  return run;
}

/** Every clinic's due reminders (one run). */
export async function sendDueReminders(deps: ReminderDeps): Promise<ReminderRun> {
  const clinics = await deps.db.tx(
    { operator: true },
    async (tx) =>
      (await tx.query<{ id: string }>('SELECT id FROM clinics ORDER BY id')).rows.map((r) => r.id),
    { readOnly: true },
  );
  const total: ReminderRun = { sent: 0, failed: 0, deferred: 0 };
  for (const clinicId of clinics) {
    try {
      const r = await sendClinicReminders(deps, clinicId);
      total.sent += r.sent;
      total.failed += r.failed;
      total.deferred += r.deferred;
    } catch (err) {
      // One clinic's trouble does not hold the others' reminders.
      deps.logger?.warn({ clinicId, err: (err as Error).message }, 'reminders: clinic skipped this run');
    }
  }
  return total;
}

/** On a timer; a run never overlaps itself on a node (nodes may overlap each other: see above). */
export function startReminderJob(deps: ReminderDeps, everySeconds: number) {
  let running: Promise<ReminderRun> | null = null;
  const run = () =>
    (running ??= sendDueReminders(deps)
      .then((r) => {
        if (r.sent || r.failed || r.deferred) deps.logger?.info({ ...r }, 'reminders: run');
        return r;
      })
      .catch((err: unknown) => {
        deps.logger?.warn({ err: (err as Error).message }, 'reminders: run could not complete');
        return { sent: 0, failed: 0, deferred: 0 };
      })
      .finally(() => {
        running = null;
      }));
  const timer = everySeconds > 0 ? setInterval(() => void run(), everySeconds * 1000) : null;
  timer?.unref();
  return {
    runNow: run,
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
