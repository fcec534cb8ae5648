import fs from 'node:fs';
import { loadTelehealthConfig, type TelehealthSettings } from './services/telehealth/config';
import { loadPortalConfig, type PortalSettings } from './services/portal/config';
import { loadClearinghouseJob, type ClearinghouseJobSettings } from './services/clearinghouse/config';

/**
 * Central's configuration, from the environment only (12-factor), validated before anything starts. In
 * production a missing or weak secret, or plain HTTP without a TLS-terminating proxy, stops the server
 * with a message that says what to set.
 */
export interface CentralConfig {
  production: boolean;
  /** The API's connection: a role that owns nothing and cannot bypass row-level security. */
  databaseUrl: string;
  /**
   * A direct connection (same role) for the live channel's LISTEN, which needs a session of its own: set it
   * when `databaseUrl` goes through a transaction-pooling PgBouncer. Null: `databaseUrl`.
   */
  listenDatabaseUrl?: string | null;
  /** The schema owner's connection: migrations, role grants, backups. Optional for `serve`. */
  ownerDatabaseUrl: string | null;
  /** `serve` runs migrations first (needs ownerDatabaseUrl). Convenient on a single server. */
  migrateOnStart: boolean;
  host: string;
  port: number;
  tls: { cert: string; key: string } | null;
  /** express "trust proxy": set when a reverse proxy terminates TLS in front of central. */
  trustProxy: string | number | boolean;
  /** 32+ bytes: derives the column-encryption key (password hashes, MFA secrets at rest). */
  secret: Buffer;
  /** The bearer token Prometheus presents; unset = /metrics answers 404. */
  metricsToken: string | null;
  /** Workstations below this schema version are told to update. */
  minWorkstationSchema: number;
  rateLimits: { enrollPerMinute: number; signInPerMinute: number; authFailuresPerMinute: number };
  poolSize: number;
  logLevel: string;
  /**
   * How long a client may take to send a request's headers, and the whole request (body included), in ms;
   * answers (long pulls, the live channel) are not limited. Defaults in start.ts; tests shorten them.
   */
  requestTimeouts?: { headersMs: number; requestMs: number };
  /** Video visits (docs/telehealth.md); null or absent: telehealth is off. */
  telehealth?: TelehealthSettings | null;
  /** Card payments through Stripe; null (unset) = card payments answer that they are not set up. */
  stripe?: StripeSettings | null;
  /** The console's built pages (dist/console); absent: found next to the code (docs/console.md). */
  consoleDir?: string | null;
  /** The patient portal: SMTP for invitations, session limits (docs/portal.md); absent: defaults, no e-mail. */
  portal?: PortalSettings | null;
  /** The clearinghouse connection central sends batches over and polls (docs/claims-inbound.md); null: none. */
  clearinghouse?: ClearinghouseJobSettings | null;
}

/**
 * Stripe's secret key lives here, on central only, never on a workstation. `apiUrl` points the official
 * SDK elsewhere than api.stripe.com (the recorded-contract double in tests, stripe-mock in development).
 */
export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** null: https://api.stripe.com. */
  apiUrl: string | null;
  currency: string;
  /** Where Checkout sends the patient after paying a payment link (null: Stripe's own confirmation). */
  returnUrl: string | null;
  /**
   * The publishable key `pk_…` the portal's page gives Stripe.js (Payment Element); null/absent: patients
   * cannot pay by card in the portal (the desk still can).
   */
  publishableKey?: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A development-only secret: encrypted columns written with it are readable by anyone with the source. */
const DEV_SECRET = Buffer.from('tessera-central-development-secret-not-for-production', 'utf8');

const PLACEHOLDERS = [
  'changeme',
  'change-me',
  'secret',
  'password',
  'example',
  'development',
  'test',
  'default',
];

/** Reads hex (64+ chars), base64/base64url, or takes the raw text. */
export function decodeSecret(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64,}$/.test(t) && t.length % 2 === 0) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43,}={0,2}$/.test(t))
    return Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return Buffer.from(t, 'utf8');
}

/** Why a secret is not good enough, or null. */
export function secretProblem(text: string | undefined): string | null {
  if (!text || !text.trim()) return 'TESSERA_CENTRAL_SECRET is not set.';
  const bytes = decodeSecret(text);
  if (bytes.length < 32)
    return `TESSERA_CENTRAL_SECRET is too short (${bytes.length} bytes; at least 32 are needed).`;
  if (new Set(bytes).size < 16) return 'TESSERA_CENTRAL_SECRET repeats too few distinct values to be random.';
  const lower = text.toLowerCase();
  if (PLACEHOLDERS.some((p) => lower.includes(p)))
    return 'TESSERA_CENTRAL_SECRET looks like a placeholder, not a random value.';
  return null;
}

const HOW_TO_MAKE_SECRET = 'Generate one with `openssl rand -base64 48` and keep it in your secret store.';

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}.`);
  return n;
}

function postgresUrl(env: NodeJS.ProcessEnv, name: string, required: boolean): string | null {
  const raw = env[name];
  if (!raw) {
    if (required)
      throw new ConfigError(
        `${name} is not set. Set it to the PostgreSQL connection URL (postgres://user:password@host:5432/db).`,
      );
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL.`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must start with postgres:// or postgresql://.`);
  }
  return raw;
}

export interface LoadedConfig {
  config: CentralConfig;
  warnings: string[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const warnings: string[] = [];
  const production =
    env.TESSERA_CENTRAL_ENV === 'production' ||
    (env.TESSERA_CENTRAL_ENV === undefined && env.NODE_ENV === 'production');

  const problem = secretProblem(env.TESSERA_CENTRAL_SECRET);
  let secret: Buffer;
  if (problem) {
    if (production)
      throw new ConfigError(
        `${problem} Central will not start in production without a strong secret. ${HOW_TO_MAKE_SECRET}`,
      );
    if (env.TESSERA_CENTRAL_SECRET) {
      warnings.push(`${problem} Accepted only because this is not production mode.`);
      secret = decodeSecret(env.TESSERA_CENTRAL_SECRET);
    } else {
      warnings.push(
        'TESSERA_CENTRAL_SECRET is not set: using the built-in development secret. Never do this in production.',
      );
      secret = DEV_SECRET;
    }
  } else {
    secret = decodeSecret(env.TESSERA_CENTRAL_SECRET!);
  }

  const certFile = env.TESSERA_CENTRAL_TLS_CERT;
  const keyFile = env.TESSERA_CENTRAL_TLS_KEY;
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new ConfigError(
      'Set both TESSERA_CENTRAL_TLS_CERT and TESSERA_CENTRAL_TLS_KEY (certificate and key files), or neither.',
    );
  }
  let tls: CentralConfig['tls'] = null;
  if (certFile && keyFile) {
    try {
      tls = { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
    } catch (err) {
      throw new ConfigError(
        `The TLS certificate or key cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
  }

  const rawProxy = env.TESSERA_CENTRAL_TRUST_PROXY;
  const trustProxy: CentralConfig['trustProxy'] =
    rawProxy === undefined || rawProxy === '' || rawProxy === 'false'
      ? false
      : /^\d+$/.test(rawProxy)
        ? Number(rawProxy)
        : rawProxy === 'true'
          ? true
          : rawProxy;

  const host = env.TESSERA_CENTRAL_HOST || '127.0.0.1';
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  if (production && !tls && trustProxy === false) {
    throw new ConfigError(
      'In production central serves HTTPS: set TESSERA_CENTRAL_TLS_CERT and TESSERA_CENTRAL_TLS_KEY, or run it behind a reverse proxy that terminates TLS and set TESSERA_CENTRAL_TRUST_PROXY (for example 1).',
    );
  }
  if (!production && !tls && !loopback && trustProxy === false) {
    warnings.push(
      `Serving plain HTTP on ${host}: device credentials and patient data would cross the network unencrypted.`,
    );
  }

  const metricsToken = env.TESSERA_CENTRAL_METRICS_TOKEN || null;
  if (metricsToken && metricsToken.length < 24)
    throw new ConfigError('TESSERA_CENTRAL_METRICS_TOKEN must be at least 24 characters.');

  const ownerDatabaseUrl = postgresUrl(env, 'TESSERA_CENTRAL_OWNER_DATABASE_URL', false);
  const migrateOnStart =
    env.TESSERA_CENTRAL_MIGRATE_ON_START === '1' || env.TESSERA_CENTRAL_MIGRATE_ON_START === 'true';
  if (migrateOnStart && !ownerDatabaseUrl) {
    throw new ConfigError(
      'TESSERA_CENTRAL_MIGRATE_ON_START needs TESSERA_CENTRAL_OWNER_DATABASE_URL (the schema owner’s connection).',
    );
  }

  const stripe = stripeSettings(env, production, warnings);

  return {
    config: {
      production,
      databaseUrl: postgresUrl(env, 'DATABASE_URL', true)!,
      listenDatabaseUrl: postgresUrl(env, 'TESSERA_CENTRAL_LISTEN_DATABASE_URL', false),
      ownerDatabaseUrl,
      migrateOnStart,
      host,
      port: int(env, 'TESSERA_CENTRAL_PORT', 8780, 0, 65535),
      tls,
      trustProxy,
      secret,
      metricsToken,
      minWorkstationSchema: int(env, 'TESSERA_CENTRAL_MIN_SCHEMA', 1, 0, 10_000),
      rateLimits: {
        enrollPerMinute: int(env, 'TESSERA_CENTRAL_RATE_ENROLL', 10, 1, 100_000),
        signInPerMinute: int(env, 'TESSERA_CENTRAL_RATE_SIGNIN', 10, 1, 100_000),
        authFailuresPerMinute: int(env, 'TESSERA_CENTRAL_RATE_AUTH_FAILURES', 30, 1, 100_000),
      },
      poolSize: int(env, 'TESSERA_CENTRAL_DB_POOL', 20, 2, 500),
      logLevel: env.TESSERA_LOG_LEVEL || 'info',
      stripe,
      telehealth: loadTelehealthConfig(env, production, warnings),
      consoleDir: env.TESSERA_CENTRAL_CONSOLE_DIR || null,
      portal: loadPortalConfig(env, production, warnings, (f) => fs.readFileSync(f, 'utf8')),
      clearinghouse: loadClearinghouseJob(env),
    },
    warnings,
  };
}

/** Stripe's keys from the environment (the secret store): both or neither, and never a publishable key. */
function stripeSettings(
  env: NodeJS.ProcessEnv,
  production: boolean,
  warnings: string[],
): StripeSettings | null {
  const secretKey = env.TESSERA_CENTRAL_STRIPE_SECRET_KEY?.trim();
  const webhookSecret = env.TESSERA_CENTRAL_STRIPE_WEBHOOK_SECRET?.trim();
  if (!secretKey && !webhookSecret) return null;
  if (!secretKey || !webhookSecret)
    throw new ConfigError(
      'Set both TESSERA_CENTRAL_STRIPE_SECRET_KEY (sk_… or rk_…) and TESSERA_CENTRAL_STRIPE_WEBHOOK_SECRET (whsec_…, from the webhook endpoint in Stripe’s dashboard), or neither.',
    );
  if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/.test(secretKey))
    throw new ConfigError(
      'TESSERA_CENTRAL_STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_live_…, sk_test_…, rk_…), not a publishable key.',
    );
  if (!/^whsec_[A-Za-z0-9+/=_-]+$/.test(webhookSecret))
    throw new ConfigError(
      'TESSERA_CENTRAL_STRIPE_WEBHOOK_SECRET must be the signing secret whsec_… of the endpoint.',
    );
  const test = secretKey.includes('_test_');
  if (production && test) warnings.push('Stripe is in test mode (a test key): no card is really charged.');
  if (!production && !test)
    warnings.push('A live Stripe key outside production mode: cards will really be charged.');
  let apiUrl: string | null = null;
  if (env.TESSERA_CENTRAL_STRIPE_API_URL) {
    let u: URL;
    try {
      u = new URL(env.TESSERA_CENTRAL_STRIPE_API_URL);
    } catch {
      throw new ConfigError('TESSERA_CENTRAL_STRIPE_API_URL is not a valid URL.');
    }
    if (production && u.protocol !== 'https:')
      throw new ConfigError('TESSERA_CENTRAL_STRIPE_API_URL must be https in production.');
    apiUrl = u.origin;
  }
  const currency = (env.TESSERA_CENTRAL_STRIPE_CURRENCY || 'usd').toLowerCase();
  if (!/^[a-z]{3}$/.test(currency))
    throw new ConfigError('TESSERA_CENTRAL_STRIPE_CURRENCY must be a three-letter ISO currency code (usd).');
  const returnUrl = env.TESSERA_CENTRAL_STRIPE_RETURN_URL || null;
  if (returnUrl && !/^https?:\/\//.test(returnUrl))
    throw new ConfigError('TESSERA_CENTRAL_STRIPE_RETURN_URL must be an http(s) address.');
  const publishableKey = env.TESSERA_CENTRAL_STRIPE_PUBLISHABLE_KEY?.trim() || null;
  if (publishableKey && !/^pk_(test|live)_[A-Za-z0-9]+$/.test(publishableKey))
    throw new ConfigError(
      'TESSERA_CENTRAL_STRIPE_PUBLISHABLE_KEY must be the account’s publishable key (pk_live_… or pk_test_…).',
    );
  if (publishableKey && publishableKey.includes('_test_') !== test)
    throw new ConfigError(
      'TESSERA_CENTRAL_STRIPE_PUBLISHABLE_KEY and TESSERA_CENTRAL_STRIPE_SECRET_KEY must both be test keys or both live keys.',
    );
  return { secretKey, webhookSecret, apiUrl, currency, returnUrl, publishableKey };
}
