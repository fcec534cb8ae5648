import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../config';
import { iceServerSchema, type IceServer, type VideoProvider } from '../../../contracts/telehealth';

/**
 * Telehealth settings (environment). Unset provider: telehealth is off and its endpoints answer
 * "not configured". See docs/telehealth.md.
 */
export interface TelehealthSettings {
  provider: VideoProvider;
  twilio: {
    accountSid: string;
    apiKeySid: string;
    apiKeySecret: string;
    /** TWILIO_AUTH_TOKEN: verifies the room status callbacks' signatures; unset → no callbacks requested. */
    authToken: string | null;
    apiBase: string | null;
  } | null;
  iceServers: IceServer[];
  /** The origin patients reach central at (links are `${publicUrl}/telehealth/join#t=…`); null: central's own. */
  publicUrl: string | null;
  opensMinutesBefore: number;
  closesMinutesAfter: number;
  /** The built patient page (tele-ui's Vite entry). */
  pageDir: string;
}

function minutes(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new ConfigError(`${name} must be a whole number of minutes from 0 to ${max}.`);
  return n;
}

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

export function loadTelehealthConfig(
  env: NodeJS.ProcessEnv,
  production: boolean,
  warnings: string[],
): TelehealthSettings | null {
  const provider = env.TESSERA_TELEHEALTH_PROVIDER;
  if (!provider) return null;
  if (provider !== 'twilio' && provider !== 'direct')
    throw new ConfigError('TESSERA_TELEHEALTH_PROVIDER must be twilio or direct.');

  let iceServers: IceServer[] = [];
  if (env.TESSERA_TELEHEALTH_ICE_SERVERS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.TESSERA_TELEHEALTH_ICE_SERVERS);
    } catch {
      parsed = null;
    }
    const ok = z.array(iceServerSchema).safeParse(parsed);
    if (!ok.success)
      throw new ConfigError(
        'TESSERA_TELEHEALTH_ICE_SERVERS must be a JSON array like [{"urls":"turn:turn.example.org:3478","username":"…","credential":"…"}].',
      );
    iceServers = ok.data;
  } else if (provider === 'direct') {
    warnings.push(
      'TESSERA_TELEHEALTH_ICE_SERVERS is not set: direct video works on one network (LAN, loopback) only. Add a TURN server for visits over the internet.',
    );
  }

  let twilio: TelehealthSettings['twilio'] = null;
  if (provider === 'twilio') {
    const accountSid = env.TWILIO_ACCOUNT_SID ?? '';
    const apiKeySid = env.TWILIO_API_KEY_SID ?? '';
    const apiKeySecret = env.TWILIO_API_KEY_SECRET ?? '';
    if (!/^AC[0-9a-f]{32}$/.test(accountSid))
      throw new ConfigError(
        'TWILIO_ACCOUNT_SID must be your Twilio account SID (AC followed by 32 hex digits).',
      );
    if (!/^SK[0-9a-f]{32}$/.test(apiKeySid))
      throw new ConfigError(
        'TWILIO_API_KEY_SID must be a Twilio API key SID (SK followed by 32 hex digits).',
      );
    if (apiKeySecret.length < 16)
      throw new ConfigError('TWILIO_API_KEY_SECRET must be set to the API key’s secret.');
    const apiBase = env.TESSERA_TWILIO_API_BASE || null;
    if (apiBase && production)
      throw new ConfigError('TESSERA_TWILIO_API_BASE is for tests only; unset it in production.');
    const authToken = env.TWILIO_AUTH_TOKEN || null;
    if (authToken !== null && !/^[0-9a-f]{32}$/.test(authToken))
      throw new ConfigError('TWILIO_AUTH_TOKEN must be the account’s Auth Token (32 hex digits).');
    if (authToken === null)
      warnings.push(
        'TWILIO_AUTH_TOKEN is not set: Twilio’s room status callbacks are not requested, so only the pages report who connected and left.',
      );
    else if (!env.TESSERA_TELEHEALTH_PUBLIC_URL)
      warnings.push(
        'TESSERA_TELEHEALTH_PUBLIC_URL is not set: Twilio has no address to post room status callbacks to.',
      );
    twilio = { accountSid, apiKeySid, apiKeySecret, authToken, apiBase };
  }

  let publicUrl: string | null = null;
  if (env.TESSERA_TELEHEALTH_PUBLIC_URL) {
    try {
      publicUrl = new URL(env.TESSERA_TELEHEALTH_PUBLIC_URL).origin;
    } catch {
      throw new ConfigError('TESSERA_TELEHEALTH_PUBLIC_URL must be a URL such as https://visit.example.org.');
    }
    if (production && !publicUrl.startsWith('https:'))
      throw new ConfigError('TESSERA_TELEHEALTH_PUBLIC_URL must be https:// in production.');
  }

  return {
    provider,
    twilio,
    iceServers,
    publicUrl,
    opensMinutesBefore: minutes(env, 'TESSERA_TELEHEALTH_OPENS_BEFORE_MINUTES', 30, 24 * 60),
    closesMinutesAfter: minutes(env, 'TESSERA_TELEHEALTH_CLOSES_AFTER_MINUTES', 60, 24 * 60),
    pageDir: env.TESSERA_TELEHEALTH_PAGE_DIR || path.join(repoRoot, 'dist', 'telehealth'),
  };
}
