import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalApi } from '../../../server/contracts/portal/endpoints';
import { CentralDb } from '../../../server/central/db/pool';
import type { SmsSettings } from '../../../server/central/services/portal/config';
import { smtpMailer } from '../../../server/central/services/portal/mailer';
import { sendDueReminders, type ReminderDeps } from '../../../server/central/services/portal/reminders';
import { TwilioSms } from '../../../server/central/services/portal/sms-port';
import { sha256 } from '../../../server/platform/secrets';
import { PortalBrowser, startPortalStack, tokenOf, type PortalStack } from '../../support/portal';
import { centralQuery, waitFor } from '../../support/sync';
import { fakeTwilioCredentials } from '../../support/twilio-double';
import { TwilioMessagingDouble } from '../../support/twilio-messaging-double';
import type { ReceivedMail } from '../../support/smtp';

/**
 * Appointment reminders end to end on loopback: the policy set on the workstation replicates to central;
 * central's job sends e-mail through a real SMTP server and texts through the official twilio client
 * pointed at a recorded-contract double of the Messages API; each reminder goes once even with two nodes
 * running at once; the links confirm or cancel the appointment (the workstation pulls it) or stop e-mail;
 * STOP by text (signed webhook) and the unsubscribe link are honoured and shown on the record.
 */

let stack: PortalStack;
let twilio: TwilioMessagingDouble;
let sms: SmsSettings;
const dbs: CentralDb[] = [];
const A_MOBILE = '+15555550101';
const B_MOBILE = '+15555550102';
const HOUR = 3_600_000;

const node = (hoursAhead: number): ReminderDeps => {
  const db = new CentralDb(stack.central.config.databaseUrl, 4);
  dbs.push(db);
  return {
    db,
    mail: smtpMailer(stack.smtp.settings()),
    sms: new TwilioSms(sms),
    publicUrl: stack.publicUrl,
    batch: 200,
    now: () => new Date(Date.now() + hoursAhead * HOUR),
  };
};

const linksIn = (text: string) =>
  [...text.matchAll(/https?:\/\/\S+\/portal\/reminder#t=[A-Za-z0-9_.-]+/g)].map((m) => m[0]);
const mailsTo = (to: string): ReceivedMail[] => stack.smtp.messages.filter((m) => m.to.includes(to));
const anon = () => new PortalBrowser(stack.central.url);

beforeAll(async () => {
  const creds = fakeTwilioCredentials();
  twilio = await new TwilioMessagingDouble(creds).start();
  sms = { ...creds, from: '+15555550199', apiBase: twilio.url };
  stack = await startPortalStack({ publicUrl: true, portal: { sms } });
  const policy = await stack.client.call('updateReminderSettings', {
    body: { hoursBefore: [3, 48], email: true, sms: true },
  });
  expect(policy.status, policy.text).toBe(200);
  const a = await stack.client.call('updatePatient', {
    params: { id: stack.patients.a },
    body: { email: 'jordan@example.org', emailOk: true, phoneMobile: '555-555-0101', textOk: true },
  });
  expect(a.status, a.text).toBe(200);
  const b = await stack.client.call('updatePatient', {
    params: { id: stack.patients.b },
    body: {
      email: 'okafor.family@example.org',
      emailOk: true,
      phoneMobile: '(555) 555-0102',
      textOk: true,
      preferredLanguage: 'es',
    },
  });
  expect(b.status, b.text).toBe(200);
  await stack.workstation.sync.syncNow();
}, 180_000);
afterAll(async () => {
  for (const db of dbs) await db.close().catch(() => {});
  await stack?.stop();
  await twilio?.stop();
});

describe('policy', () => {
  it('is a clinic setting on the workstation: latest first, audited, checked field by field', async () => {
    const got = await stack.client.call('reminderSettings');
    expect(got.body.policy).toEqual({ hoursBefore: [48, 3], email: true, sms: true });
    const bad = await stack.client.call('updateReminderSettings', {
      body: { hoursBefore: [0, 500], email: false, sms: false },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toMatch(/at least 1 hour/);
    const audit = await stack.client.call('auditReport', { query: { action: 'settings.reminders_update' } });
    expect(audit.status, audit.text).toBe(200);
    expect(JSON.stringify(audit.body)).toContain('settings.reminders_update');
  });
});

describe('the reminder job', () => {
  it('sends each due reminder once, even with two central nodes at the same time', async () => {
    // 30 hours from now the 48-hour reminders of A's and B's visits in three days are due.
    const [one, two] = await Promise.all([sendDueReminders(node(30)), sendDueReminders(node(30))]);
    expect(one.sent + two.sent).toBe(4);
    expect(one.failed + two.failed + one.deferred + two.deferred).toBe(0);
    expect(mailsTo('jordan@example.org')).toHaveLength(1);
    expect(mailsTo('okafor.family@example.org')).toHaveLength(1);
    expect(twilio.to(A_MOBILE)).toHaveLength(1);
    expect(twilio.to(B_MOBILE)).toHaveLength(1);
    // Run again (a restart, the next tick): nothing new.
    const again = await sendDueReminders(node(30));
    expect(again).toEqual({ sent: 0, failed: 0, deferred: 0 });
    expect(stack.smtp.messages.filter((m) => /reminder|recordatorio/i.test(m.subject))).toHaveLength(2);
    expect(twilio.sent).toHaveLength(2);
  });

  it('sends the due stage on central’s own timer job too (A’s visit in two hours)', async () => {
    const r = await stack.central.running.reminders.runNow();
    expect(r.sent).toBe(2);
    expect(mailsTo('jordan@example.org')).toHaveLength(2);
    expect(twilio.to(A_MOBILE)).toHaveLength(2);
  });

  it('carries the clinic, the time and links only — nothing clinical, nothing about the patient', async () => {
    const mail = mailsTo('jordan@example.org')[0]!;
    expect(mail.subject).toBe('Riverside Family Practice: appointment reminder');
    expect(mail.text).toMatch(/reminder of your appointment at Riverside Family Practice on \w+day, /);
    expect(linksIn(mail.text)).toHaveLength(3);
    const text = twilio.to(A_MOBILE)[0]!;
    expect(text.body).toMatch(
      /^Riverside Family Practice: reminder of your appointment on .+ Reply STOP to opt out\.$/,
    );
    expect(text.from).toBe('+15555550199');
    expect(text.path).toBe(`/2010-04-01/Accounts/${sms.accountSid}/Messages.json`);
    expect(twilio.requests.every((r) => r.authenticated)).toBe(true);
    const spanish = mailsTo('okafor.family@example.org')[0]!;
    expect(spanish.subject).toBe('Riverside Family Practice: recordatorio de su cita');
    for (const body of [mail.raw, text.body, spanish.raw, twilio.to(B_MOBILE)[0]!.body])
      for (const phi of [
        'Jordan',
        'Rivera',
        'Okafor',
        'Follow-up',
        'Main clinic',
        stack.patients.a,
        stack.patients.b,
        stack.appointments.aLater,
        stack.appointments.bLater,
      ])
        expect(body).not.toContain(phi);
    for (const link of linksIn(mail.text)) {
      const url = new URL(link);
      expect(url.origin).toBe(stack.publicUrl);
      expect(url.pathname).toBe('/portal/reminder');
      expect(url.search).toBe('');
    }
  });
});

describe('links', () => {
  it('confirm: shows the clinic and time only, works once, and the workstation shows it', async () => {
    const [confirm] = linksIn(mailsTo('jordan@example.org')[0]!.text);
    const opened = await anon().call('POST', '/v1/portal/reminder-links/open', { token: tokenOf(confirm!) });
    expect(opened.status, opened.text).toBe(200);
    expect(Object.keys(opened.body).sort()).toEqual(
      ['action', 'cancelWindowHours', 'channel', 'clinicName', 'startsAt', 'state', 'timeZone'].sort(),
    );
    expect(opened.body).toMatchObject({
      action: 'confirm',
      state: 'ready',
      clinicName: 'Riverside Family Practice',
    });
    const used = await anon().call('POST', '/v1/portal/reminder-links/use', { token: tokenOf(confirm!) });
    expect(used.body.state).toBe('done');
    const twice = await anon().call('POST', '/v1/portal/reminder-links/use', { token: tokenOf(confirm!) });
    expect(twice.body.state).toBe('done');
    await stack.workstation.sync.syncNow();
    const appt = await waitFor('confirmation on the workstation', async () => {
      const got = await stack.client.call('getAppointment', { params: { id: stack.appointments.aLater } });
      return got.body?.appointment?.patientConfirmedAt ? got.body.appointment : null;
    });
    expect(appt.status).toBe('scheduled');
  });

  it('cancel: frees the slot when outside the clinic’s window; inside it says to call', async () => {
    const [, cancel] = linksIn(mailsTo('okafor.family@example.org')[0]!.text);
    const used = await anon().call('POST', '/v1/portal/reminder-links/use', { token: tokenOf(cancel!) });
    expect(used.status, used.text).toBe(200);
    expect(used.body).toMatchObject({ action: 'cancel', state: 'done' });
    await stack.workstation.sync.syncNow();
    const appt = await waitFor('cancellation on the workstation', async () => {
      const got = await stack.client.call('getAppointment', { params: { id: stack.appointments.bLater } });
      return got.body?.appointment?.status === 'cancelled' ? got.body.appointment : null;
    });
    expect(appt.cancelReason).toBe('Cancelled by the patient from the e-mail reminder');
    // A's visit in two hours: inside the default 24-hour window.
    const [, soonCancel] = linksIn(mailsTo('jordan@example.org')[1]!.text);
    const late = await anon().call('POST', '/v1/portal/reminder-links/use', { token: tokenOf(soonCancel!) });
    expect(late.body).toMatchObject({ state: 'too_late', cancelWindowHours: 24 });
    const still = await stack.client.call('getAppointment', { params: { id: stack.appointments.aSoon } });
    expect(still.body.appointment.status).toBe('scheduled');
  });

  it('a bad, unknown or expired link gets a sentence, never a detail', async () => {
    const short = await anon().call('POST', '/v1/portal/reminder-links/open', { token: 'abc' });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toMatch(/This link is incomplete/);
    const unknown = await anon().call('POST', '/v1/portal/reminder-links/use', {
      token: `${stack.clinic.clinicId}.${'A'.repeat(43)}`,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/This link does not work any more/);
    const [confirm] = linksIn(mailsTo('jordan@example.org')[1]!.text);
    await centralQuery(
      stack.central,
      `UPDATE tessera.reminder_links SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`,
      [sha256(tokenOf(confirm!))],
    );
    const expired = await anon().call('POST', '/v1/portal/reminder-links/open', { token: tokenOf(confirm!) });
    expect(expired.status).toBe(404);
    expect(expired.body.error.message).toBe(unknown.body.error.message);
  });

  it('every reminder entry answers without a session, refusing empty input; the page needs no sign-in', async () => {
    for (const [name, e] of Object.entries(portalApi)) {
      if (!name.startsWith('portalReminder')) continue;
      const r = await anon().call(e.method, e.path, {});
      expect(r.status, name).toBe(400);
      expect(r.text, name).not.toMatch(/Riverside|Jordan/);
    }
    const page = await anon().call('GET', '/portal/reminder');
    expect([200, 503]).toContain(page.status);
  });
});

describe('opt-out', () => {
  const inbound = `/v1/portal-sms/inbound`;
  const post = async (fields: Record<string, string>, signature?: string) => {
    const url = `${stack.publicUrl}${inbound}`;
    return fetch(`${stack.central.url}${inbound}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilio.sign(url, fields),
      },
      body: new URLSearchParams(fields).toString(),
    });
  };
  const inboundSms = (body: string) => ({
    MessageSid: 'SM' + 'b'.repeat(32),
    AccountSid: sms.accountSid,
    From: A_MOBILE,
    To: '+15555550199',
    Body: body,
  });
  const record = async () =>
    (await stack.staff.call('portalCentralAccess', { query: { patientId: stack.patients.a } })).body;

  it('STOP by text (signed by Twilio) turns text reminders off; a forged one is refused', async () => {
    const forged = await post(inboundSms('STOP'), 'bm90IGEgc2lnbmF0dXJl');
    expect(forged.status).toBe(401);
    expect((await record()).reminderOptOuts).toEqual([]);
    const r = await post(inboundSms('STOP'));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/xml/);
    expect(await r.text()).toContain('<Response></Response>');
    expect((await record()).reminderOptOuts).toEqual([
      expect.objectContaining({ channel: 'sms', source: 'sms_stop' }),
    ]);
  });

  it('the e-mail’s unsubscribe link turns e-mail reminders off', async () => {
    const [, , unsubscribe] = linksIn(mailsTo('jordan@example.org')[0]!.text);
    const used = await anon().call('POST', '/v1/portal/reminder-links/use', { token: tokenOf(unsubscribe!) });
    expect(used.body).toMatchObject({ action: 'unsubscribe', state: 'done' });
    const out = (await record()).reminderOptOuts.map((o: { channel: string }) => o.channel);
    expect(out.sort()).toEqual(['email', 'sms']);
  });

  it('nothing goes to a patient who opted out; START by text, 429 and a 21610 refusal are handled', async () => {
    const mails = mailsTo('jordan@example.org').length;
    // 70 hours on, the 3-hour reminder of A's (confirmed) visit is due: both channels are off.
    expect(await sendDueReminders(node(70))).toEqual({ sent: 0, failed: 0, deferred: 0 });
    expect(mailsTo('jordan@example.org')).toHaveLength(mails);
    expect(twilio.to(A_MOBILE)).toHaveLength(2);
    // START: texts again. Twilio first answers 429 (left for the next run), then takes it.
    expect((await post(inboundSms('START'))).status).toBe(200);
    twilio.throttleNext = 1;
    expect(await sendDueReminders(node(70))).toEqual({ sent: 0, failed: 0, deferred: 1 });
    expect(await sendDueReminders(node(70))).toEqual({ sent: 1, failed: 0, deferred: 0 });
    expect(twilio.to(A_MOBILE)).toHaveLength(3);
    // Twilio refuses a number that replied STOP to it directly (21610): recorded once, and on the record.
    const later = await stack.book(stack.patients.a, 40 * 60);
    await stack.workstation.sync.syncNow();
    twilio.unsubscribed.add(A_MOBILE);
    expect(await sendDueReminders(node(0))).toMatchObject({ sent: 0, failed: 1 });
    expect(await sendDueReminders(node(0))).toEqual({ sent: 0, failed: 0, deferred: 0 });
    const rec = await record();
    expect(rec.reminderOptOuts).toEqual(
      expect.arrayContaining([expect.objectContaining({ channel: 'sms', source: 'sms_refused' })]),
    );
    const failed = rec.reminders.filter((x: { status: string }) => x.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ channel: 'sms', hoursBefore: 48 });
    expect(failed[0].error).toMatch(/replied STOP/);
    expect(later).toBeTruthy();
  });

  it('the workstation’s patient record shows the opt-outs and the reminders sent', async () => {
    const got = await stack.client.call('portalAccess', { params: { patientId: stack.patients.a } });
    expect(got.status, got.text).toBe(200);
    expect(got.body.reminderOptOuts.length).toBeGreaterThan(0);
    expect(got.body.reminders.length).toBeGreaterThan(0);
  });
});
