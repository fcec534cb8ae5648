/**
 * The clearinghouse connection, from central's environment (the secret store) only: workstations never see
 * these credentials; they queue claims and central sends them. Unset TESSERA_CLEARINGHOUSE_TRANSPORT: no
 * clearinghouse (claims stay queued, the claims board says so). See docs/claims-inbound.md.
 *
 *   TESSERA_CLEARINGHOUSE_TRANSPORT      sftp | https
 *   sftp:  …_SFTP_HOST, …_SFTP_PORT (22), …_SFTP_USER, …_SFTP_KEY_FILE or …_SFTP_PASSWORD,
 *          …_SFTP_HOST_KEY (SHA256:… as `ssh-keygen -lf` prints it), …_SFTP_UPLOAD_DIR,
 *          …_SFTP_INBOUND_999, …_SFTP_INBOUND_277CA, …_SFTP_INBOUND_835, …_SFTP_INBOUND_271, …_SFTP_ARCHIVE_DIR
 *   https: …_API_URL, …_CLIENT_ID, …_CLIENT_SECRET
 *   TESSERA_CLEARINGHOUSE_CLINIC_ID      the clinic (uuid) whose batches this connection sends and whose
 *                                        inbound files it hands over (one connection per clinic)
 *   TESSERA_CLEARINGHOUSE_SEND_SECONDS   how often queued batches are looked for and sent (60)
 *   TESSERA_CLEARINGHOUSE_POLL_SECONDS   how often the inbound folders are polled (300)
 */
import fs from 'node:fs';
import { ConfigError } from '../../config';
import { HttpsClearinghouse, type HttpsSettings, type SentLog } from './https';
import type { ClearinghousePort } from './port';
import { SftpClearinghouse, type SftpSettings } from './sftp';

export type ClearinghouseSettings =
  { transport: 'sftp'; sftp: SftpSettings } | { transport: 'https'; https: HttpsSettings };

const P = 'TESSERA_CLEARINGHOUSE_';

function need(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[P + name]?.trim();
  if (!v) throw new ConfigError(`${P}${name} must be set for the clearinghouse connection.`);
  return v;
}

export function loadClearinghouseConfig(env: NodeJS.ProcessEnv): ClearinghouseSettings | null {
  const transport = env[`${P}TRANSPORT`]?.trim();
  if (!transport) return null;
  if (transport === 'sftp') {
    const keyFile = env[`${P}SFTP_KEY_FILE`]?.trim();
    const password = env[`${P}SFTP_PASSWORD`];
    if (!keyFile && !password)
      throw new ConfigError(`Set ${P}SFTP_KEY_FILE (preferred) or ${P}SFTP_PASSWORD.`);
    let privateKey: string | undefined;
    if (keyFile) {
      try {
        privateKey = fs.readFileSync(keyFile, 'utf8');
      } catch {
        throw new ConfigError(`${P}SFTP_KEY_FILE cannot be read.`);
      }
    }
    const port = Number(env[`${P}SFTP_PORT`] || 22);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new ConfigError(`${P}SFTP_PORT must be a port number.`);
    const hostKeySha256 = need(env, 'SFTP_HOST_KEY');
    if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(hostKeySha256))
      throw new ConfigError(
        `${P}SFTP_HOST_KEY must be the server's SHA256:… fingerprint as ssh-keygen -lf prints it.`,
      );
    return {
      transport: 'sftp',
      sftp: {
        host: need(env, 'SFTP_HOST'),
        port,
        username: need(env, 'SFTP_USER'),
        privateKey,
        password: privateKey ? undefined : password,
        hostKeySha256,
        uploadDir: need(env, 'SFTP_UPLOAD_DIR'),
        inboundDirs: {
          '999': need(env, 'SFTP_INBOUND_999'),
          '277CA': need(env, 'SFTP_INBOUND_277CA'),
          '835': need(env, 'SFTP_INBOUND_835'),
          '271': need(env, 'SFTP_INBOUND_271'),
        },
        archiveDir: need(env, 'SFTP_ARCHIVE_DIR'),
      },
    };
  }
  if (transport === 'https') {
    const baseUrl = need(env, 'API_URL');
    let u: URL;
    try {
      u = new URL(baseUrl);
    } catch {
      throw new ConfigError(`${P}API_URL is not an address.`);
    }
    if (u.protocol !== 'https:') throw new ConfigError(`${P}API_URL must start with https://.`);
    return {
      transport: 'https',
      https: { baseUrl, clientId: need(env, 'CLIENT_ID'), clientSecret: need(env, 'CLIENT_SECRET') },
    };
  }
  throw new ConfigError(`${P}TRANSPORT must be sftp or https.`);
}

export function openClearinghouse(settings: ClearinghouseSettings, sentLog?: SentLog): ClearinghousePort {
  return settings.transport === 'sftp'
    ? new SftpClearinghouse(settings.sftp)
    : new HttpsClearinghouse(settings.https, sentLog);
}

/** What central's clearinghouse job needs: the connection, the clinic it serves, and its rhythm. */
export type ClearinghouseJobSettings = {
  clinicId: string;
  connection: ClearinghouseSettings;
  sendEveryMs: number;
  pollEveryMs: number;
  /** After the 1st, 2nd, … failed attempt to send a batch (default transmit.ts SEND_BACKOFF_MS). */
  backoffMs?: readonly number[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[P + name]?.trim();
  if (!raw) return fallback * 1000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 86_400)
    throw new ConfigError(`${P}${name} must be a whole number of seconds between 1 and 86400.`);
  return n * 1000;
}

export function loadClearinghouseJob(env: NodeJS.ProcessEnv): ClearinghouseJobSettings | null {
  const connection = loadClearinghouseConfig(env);
  if (!connection) return null;
  const clinicId = need(env, 'CLINIC_ID');
  if (!UUID.test(clinicId)) throw new ConfigError(`${P}CLINIC_ID must be the clinic's id (a UUID).`);
  return {
    clinicId: clinicId.toLowerCase(),
    connection,
    sendEveryMs: seconds(env, 'SEND_SECONDS', 60),
    pollEveryMs: seconds(env, 'POLL_SECONDS', 300),
  };
}
