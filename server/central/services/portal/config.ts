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
    pageDir: env.TESSERA_PORTAL_PAGE_DIR || path.join(repoRoot, 'dist', 'portal'),
    idleMinutes: wholeNumber(env, 'TESSERA_PORTAL_IDLE_MINUTES', 15, 2, 120),
    maxSessionHours: wholeNumber(env, 'TESSERA_PORTAL_MAX_SESSION_HOURS', 12, 1, 24),
  };
}
