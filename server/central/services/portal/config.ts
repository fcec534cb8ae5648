import path from 'node:path';
import { ConfigError } from '../../config';

/**
 * Portal settings (environment; docs/portal.md). The portal is always served; invitations need SMTP, and
 * without it an invitation is refused with a sentence saying what to set.
 */
export interface SmtpSettings {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: STARTTLS when offered (required unless allowPlain). */
  secure: boolean;
  /** Refuse to send without TLS (the default in production). */
  requireTls: boolean;
  user: string | null;
  password: string | null;
  from: string;
  /** Extra CA for a private mail relay (PEM file contents); null: the system's. */
  ca: string | null;
}

/** Text messages through Twilio Messaging (reminders). Null: no reminder goes by text. */
export interface SmsSettings {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** The Auth Token: verifies Twilio's inbound webhook (STOP / START replies). */
  authToken: string;
  /** The sender: a number in E.164 (+15551234567) or a Messaging Service SID (MG…). */
  from: string;
  /** Where REST calls go instead of https://api.twilio.com (the recorded-contract double in tests). */
  apiBase: string | null;
}

/** The reminder job on this node (docs/portal.md, "Reminders"). */
export interface ReminderJobSettings {
  /** Seconds between runs; 0: this node sends no reminders (another node does). */
  everySeconds: number;
  /** Reminders sent at most per clinic and run (a run stays bounded; the rest go next run). */
  batch: number;
}

export interface PortalSettings {
  /** The origin patients reach central at (links in e-mails); null: how the staff request reached central. */
  publicUrl: string | null;
  smtp: SmtpSettings | null;
  /** The built portal (Vite entry renderer/portal). */
  pageDir: string;
  /** Minutes without a request before a session ends. */
  idleMinutes: number;
  /** Hours a session lasts at most. */
  maxSessionHours: number;
  sms: SmsSettings | null;
  reminders: ReminderJobSettings;
}

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}.`);
  return n;
}

export function loadPortalConfig(
  env: NodeJS.ProcessEnv,
  production: boolean,
  warnings: string[],
  readFile: (file: string) => string,
): PortalSettings {
  const publicUrl = env.TESSERA_PORTAL_PUBLIC_URL?.replace(/\/+$/, '') || null;
  if (publicUrl && !/^https?:\/\/[^/]+$/.test(publicUrl))
    throw new ConfigError('TESSERA_PORTAL_PUBLIC_URL must be an origin such as https://portal.example.org.');
  if (production && publicUrl?.startsWith('http:'))
    throw new ConfigError('TESSERA_PORTAL_PUBLIC_URL must use https in production.');
  let smtp: SmtpSettings | null = null;
  const host = env.TESSERA_SMTP_HOST;
  if (host) {
    const from = env.TESSERA_SMTP_FROM;
    if (!from)
      throw new ConfigError(
        'TESSERA_SMTP_FROM is required with TESSERA_SMTP_HOST (e.g. "Clinic <no-reply@example.org>").',
      );
    const secure = env.TESSERA_SMTP_SECURE === '1' || env.TESSERA_SMTP_SECURE === 'true';
    const port = wholeNumber(env, 'TESSERA_SMTP_PORT', secure ? 465 : 587, 1, 65535);
    const allowPlain = env.TESSERA_SMTP_ALLOW_PLAIN === '1';
    if (allowPlain && production)
      throw new ConfigError(
        'TESSERA_SMTP_ALLOW_PLAIN is refused in production: invitations must travel over TLS.',
      );
    const user = env.TESSERA_SMTP_USER || null;
    const password = env.TESSERA_SMTP_PASSWORD || null;
    if (Boolean(user) !== Boolean(password))
      throw new ConfigError('Set both TESSERA_SMTP_USER and TESSERA_SMTP_PASSWORD, or neither.');
    const caFile = env.TESSERA_SMTP_CA_FILE;
    smtp = {
      host,
      port,
      secure,
      requireTls: !allowPlain,
      user,
      password,
      from,
      ca: caFile ? readFile(caFile) : null,
    };
  } else {
    warnings.push('TESSERA_SMTP_HOST is not set: portal invitations cannot be e-mailed until it is.');
  }
  return {
    publicUrl,
    smtp,
    sms: loadSmsConfig(env, production, warnings),
    reminders: {
      everySeconds: wholeNumber(env, 'TESSERA_REMINDERS_EVERY_SECONDS', 300, 0, 3600),
      batch: wholeNumber(env, 'TESSERA_REMINDERS_BATCH', 200, 1, 5000),
    },
    pageDir: env.TESSERA_PORTAL_PAGE_DIR || path.join(repoRoot, 'dist', 'portal'),
    idleMinutes: wholeNumber(env, 'TESSERA_PORTAL_IDLE_MINUTES', 15, 2, 120),
    maxSessionHours: wholeNumber(env, 'TESSERA_PORTAL_MAX_SESSION_HOURS', 12, 1, 24),
  };
}

function loadSmsConfig(env: NodeJS.ProcessEnv, production: boolean, warnings: string[]): SmsSettings | null {
  const provider = env.TESSERA_SMS_PROVIDER;
  if (!provider) {
    warnings.push('TESSERA_SMS_PROVIDER is not set: appointment reminders go by e-mail only.');
    return null;
  }
  if (provider !== 'twilio') throw new ConfigError('TESSERA_SMS_PROVIDER must be twilio (or unset).');
  const accountSid = env.TWILIO_ACCOUNT_SID ?? '';
  const apiKeySid = env.TWILIO_API_KEY_SID ?? '';
  const apiKeySecret = env.TWILIO_API_KEY_SECRET ?? '';
  const authToken = env.TWILIO_AUTH_TOKEN ?? '';
  const from = env.TESSERA_SMS_FROM ?? '';
  if (!/^AC[0-9a-f]{32}$/.test(accountSid))
    throw new ConfigError(
      'TWILIO_ACCOUNT_SID must be your Twilio account SID (AC followed by 32 hex digits).',
    );
  if (!/^SK[0-9a-f]{32}$/.test(apiKeySid))
    throw new ConfigError('TWILIO_API_KEY_SID must be a Twilio API key SID (SK followed by 32 hex digits).');
  if (apiKeySecret.length < 16)
    throw new ConfigError('TWILIO_API_KEY_SECRET must be set to the API key’s secret.');
  // Without it a STOP could not be verified, and an opt-out must be honoured: text messages need it.
  if (!/^[0-9a-f]{32}$/.test(authToken))
    throw new ConfigError(
      'TWILIO_AUTH_TOKEN must be the account’s Auth Token (32 hex digits): it verifies the STOP replies Twilio forwards.',
    );
  if (!/^\+[1-9]\d{6,14}$/.test(from) && !/^MG[0-9a-f]{32}$/.test(from))
    throw new ConfigError(
      'TESSERA_SMS_FROM must be the sending number in E.164 (+15551234567) or a Messaging Service SID (MG…).',
    );
  const apiBase = env.TESSERA_TWILIO_API_BASE || null;
  if (apiBase && production)
    throw new ConfigError('TESSERA_TWILIO_API_BASE is for tests only; unset it in production.');
  if (!env.TESSERA_PORTAL_PUBLIC_URL)
    warnings.push(
      'TESSERA_PORTAL_PUBLIC_URL is not set: reminders cannot carry links, and none are sent until it is.',
    );
  return { accountSid, apiKeySid, apiKeySecret, authToken, from, apiBase };
}
