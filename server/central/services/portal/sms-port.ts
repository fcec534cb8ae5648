import twilio from 'twilio';
import { RedirectingClient } from '../telehealth/video-port';
import type { SmsSettings } from './config';

/**
 * The text-message port: one message to one number. The adapter is Twilio Messaging through the official
 * client (`messages.create`: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with To, Body and From or
 * MessagingServiceSid), authenticated with an API key whose secret lives only on central. Tests point the
 * client at a recorded-contract double of that API (tests/support/twilio-messaging-double.ts).
 *
 * What comes back is sorted for the reminder job:
 * - sent: Twilio accepted it (its message SID is kept, nothing else);
 * - refused: Twilio will never deliver it as asked (21610 the recipient replied STOP, 21211/21614 not a
 *   number that takes texts, other 4xx) — recorded once, not retried;
 * - a thrown SmsUnavailable: try again on the next run (429 too many requests, 5xx, no connection).
 */
export interface OutgoingSms {
  /** E.164, e.g. +15555550123. */
  to: string;
  body: string;
}

export type SmsOutcome =
  | { status: 'sent'; sid: string }
  | {
      status: 'refused';
      reason: 'unsubscribed' | 'invalid_number' | 'other';
      code: number | null;
      message: string;
    };

export interface SmsPort {
  send(sms: OutgoingSms): Promise<SmsOutcome>;
}

export class SmsUnavailable extends Error {}

/** Twilio error codes that mean "this number does not take texts from us". */
const INVALID_NUMBER = new Set([21211, 21214, 21407, 21408, 21612, 21614]);

export function smsOutcomeOf(err: unknown): SmsOutcome {
  const e = err as { status?: number; code?: number; message?: string };
  const status = typeof e?.status === 'number' ? e.status : null;
  if (status === null || status === 429 || status >= 500)
    throw new SmsUnavailable(
      status === 429
        ? 'Twilio asked central to slow down (429).'
        : status
          ? `Twilio answered ${status}.`
          : `Twilio could not be reached: ${String(e?.message ?? err).slice(0, 120)}`,
    );
  const code = typeof e.code === 'number' ? e.code : null;
  if (code === 21610)
    return {
      status: 'refused',
      reason: 'unsubscribed',
      code,
      message: 'The patient replied STOP to the clinic’s texts.',
    };
  if (code !== null && INVALID_NUMBER.has(code))
    return {
      status: 'refused',
      reason: 'invalid_number',
      code,
      message: 'The mobile number on the record cannot receive texts.',
    };
  return {
    status: 'refused',
    reason: 'other',
    code,
    message: `Twilio refused the text${code ? ` (error ${code})` : ''}.`,
  };
}

export class TwilioSms implements SmsPort {
  readonly #client: twilio.Twilio;

  constructor(private readonly settings: SmsSettings) {
    this.#client = twilio(settings.apiKeySid, settings.apiKeySecret, {
      accountSid: settings.accountSid,
      ...(settings.apiBase && { httpClient: new RedirectingClient(settings.apiBase) }),
    });
  }

  async send(sms: OutgoingSms): Promise<SmsOutcome> {
    const sender = this.settings.from.startsWith('MG')
      ? { messagingServiceSid: this.settings.from }
      : { from: this.settings.from };
    try {
      const m = await this.#client.messages.create({ to: sms.to, body: sms.body, ...sender });
      return { status: 'sent', sid: m.sid };
    } catch (err) {
      return smsOutcomeOf(err);
    }
  }
}

/** A number from the record in E.164: 10 digits are a US/Canada number; `+…` is kept; else null. */
export function e164(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const t = phone.trim();
  const digits = t.replace(/\D/g, '');
  if (t.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return digits.length === 10 ? `+1${digits}` : null;
}
