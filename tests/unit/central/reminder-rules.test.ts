import { describe, expect, it } from 'vitest';
import { readReminderPolicy, reminderPolicySchema } from '../../../server/contracts/portal/reminders';
import { replyKind } from '../../../server/central/services/portal/reminder-links';
import { reminderSms, whenText } from '../../../server/central/services/portal/reminder-messages';
import { dueStage } from '../../../server/central/services/portal/reminders';
import { e164, smsOutcomeOf, SmsUnavailable } from '../../../server/central/services/portal/sms-port';

const H = 3_600_000;

describe('reminder stages', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  it('sends the latest due stage only, and nothing once the appointment started', () => {
    expect(dueStage([48, 2], now + 72 * H, now)).toBeNull();
    expect(dueStage([48, 2], now + 48 * H, now)).toBe(48);
    expect(dueStage([48, 2], now + 30 * H, now)).toBe(48);
    expect(dueStage([48, 2], now + 2 * H, now)).toBe(2);
    expect(dueStage([48, 2], now + 1 * H, now)).toBe(2);
    expect(dueStage([48, 2], now, now)).toBeNull();
    expect(dueStage([], now + H, now)).toBeNull();
  });
});

describe('policy', () => {
  it('refuses times out of range, repeats, and times without a channel; reads junk as "no reminders"', () => {
    expect(reminderPolicySchema.safeParse({ hoursBefore: [0], email: true, sms: false }).success).toBe(false);
    expect(reminderPolicySchema.safeParse({ hoursBefore: [337], email: true, sms: false }).success).toBe(
      false,
    );
    expect(reminderPolicySchema.safeParse({ hoursBefore: [2, 2], email: true, sms: false }).success).toBe(
      false,
    );
    expect(reminderPolicySchema.safeParse({ hoursBefore: [2], email: false, sms: false }).success).toBe(
      false,
    );
    expect(reminderPolicySchema.safeParse({ hoursBefore: [], email: false, sms: false }).success).toBe(true);
    expect(readReminderPolicy({ hoursBefore: [2, 48], email: true, sms: true }).hoursBefore).toEqual([48, 2]);
    expect(readReminderPolicy('nonsense').hoursBefore).toEqual([]);
  });
});

describe('texts', () => {
  it('reads record numbers as E.164', () => {
    expect(e164('5555550101')).toBe('+15555550101');
    expect(e164('1 (555) 555-0101')).toBe('+15555550101');
    expect(e164('+44 20 7946 0958')).toBe('+442079460958');
    expect(e164('555-0101')).toBeNull();
    expect(e164(null)).toBeNull();
  });

  it('sorts Twilio answers: refusals kept, 429/5xx/no answer retried', () => {
    expect(smsOutcomeOf({ status: 400, code: 21610 })).toMatchObject({
      status: 'refused',
      reason: 'unsubscribed',
    });
    expect(smsOutcomeOf({ status: 400, code: 21211 })).toMatchObject({
      status: 'refused',
      reason: 'invalid_number',
    });
    expect(smsOutcomeOf({ status: 400, code: 30007 })).toMatchObject({ status: 'refused', reason: 'other' });
    expect(() => smsOutcomeOf({ status: 429, code: 20429 })).toThrow(SmsUnavailable);
    expect(() => smsOutcomeOf({ status: 503 })).toThrow(SmsUnavailable);
    expect(() => smsOutcomeOf(new Error('ECONNREFUSED'))).toThrow(SmsUnavailable);
  });

  it('reads STOP and START as Twilio does, and nothing else', () => {
    expect(replyKind({ Body: 'stop' })).toBe('stop');
    expect(replyKind({ Body: ' Unsubscribe please' })).toBe('stop');
    expect(replyKind({ Body: 'START' })).toBe('start');
    expect(replyKind({ Body: 'anything', OptOutType: 'STOP' })).toBe('stop');
    expect(replyKind({ Body: 'Can I come at 10 instead?' })).toBeNull();
  });

  it('say the clinic, the time in its zone and the links, in Spanish when asked', () => {
    const when = whenText('2026-12-08T15:00:00.000Z', 'America/Chicago', 'en');
    expect(when).toBe('Tuesday, December 8 at 9:00 AM');
    const es = whenText('2026-12-08T15:00:00.000Z', 'America/Chicago', 'es');
    expect(es).toMatch(/^martes, 8 de diciembre/);
    expect(reminderSms('Riverside', when, { confirm: 'C', cancel: 'X' }, 'en')).toBe(
      'Riverside: reminder of your appointment on Tuesday, December 8 at 9:00 AM. Confirm: C Cancel: X Reply STOP to opt out.',
    );
  });
});
