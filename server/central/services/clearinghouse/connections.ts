/**
 * Clearinghouse connections per clinic (docs/claims-inbound.md, "Connections per clinic"). A central
 * administrator sets a clinic's connection (SFTP or HTTPS); it is stored in `clearinghouse_connections`
 * with its secret (private key / password, or client secret) encrypted under the central secret and bound to
 * the clinic's row, and is never returned: administrators see kind, host, user, folders and the last test.
 * Central's environment connection (TESSERA_CLEARINGHOUSE_*, config.ts) stays as the bootstrap for one
 * clinic; a stored connection for that clinic takes its place.
 */
import type { ClearinghouseAdminView, ClearinghouseInput } from '../../../contracts/central/claims-endpoints';
import { AppError } from '../../../platform/errors';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb, Tx } from '../../db/pool';
import type { AdminIdentity } from '../admins';
import { inClinic } from '../clinics';
import { openClearinghouse, type ClearinghouseJobSettings, type ClearinghouseSettings } from './config';
import type { ClearinghousePort } from './port';
import { failureSentence } from './transmit';

export type ClinicConnection = {
  clinicId: string;
  connection: ClearinghouseSettings;
  source: 'central' | 'environment';
};

type StoredRow = {
  clinic_id: string;
  transport: 'sftp' | 'https';
  settings: Record<string, unknown>;
  secret: string;
  last_test_at: Date | null;
  last_test_ok: boolean | null;
  last_test_message: string | null;
  updated_at: Date;
};

type SftpPublic = {
  host: string;
  port: number;
  username: string;
  hostKeySha256: string;
  uploadDir: string;
  inbound999: string;
  inbound277ca: string;
  inbound835: string;
  inbound271: string;
  archiveDir: string;
};
type HttpsPublic = { baseUrl: string; clientId: string };
type Secret = { privateKey?: string; password?: string; clientSecret?: string };

const secretPlace = (clinicId: string) => `clearinghouse_connections/${clinicId}/secret`;

function toSettings(row: StoredRow, cipher: ColumnCipher): ClearinghouseSettings {
  const secret = JSON.parse(cipher.decrypt(row.secret, secretPlace(row.clinic_id))) as Secret;
  if (row.transport === 'sftp') {
    const s = row.settings as SftpPublic;
    return {
      transport: 'sftp',
      sftp: {
        host: s.host,
        port: s.port,
        username: s.username,
        privateKey: secret.privateKey,
        password: secret.privateKey ? undefined : secret.password,
        hostKeySha256: s.hostKeySha256,
        uploadDir: s.uploadDir,
        inboundDirs: { '999': s.inbound999, '277CA': s.inbound277ca, '835': s.inbound835, '271': s.inbound271 },
        archiveDir: s.archiveDir,
      },
    };
  }
  const s = row.settings as HttpsPublic;
  return { transport: 'https', https: { baseUrl: s.baseUrl, clientId: s.clientId, clientSecret: secret.clientSecret ?? '' } };
}

const SELECT = `SELECT clinic_id, transport, settings, secret, last_test_at, last_test_ok, last_test_message, updated_at
                  FROM clearinghouse_connections`;

/**
 * Every clinic's connection for the job: the stored ones, and the environment's clinic unless a stored one
 * replaces it. A stored row that cannot be decrypted is left out (and named by clinic id in `unreadable`).
 */
export async function clinicConnections(
  db: CentralDb,
  cipher: ColumnCipher,
  env: ClearinghouseJobSettings | null | undefined,
): Promise<{ connections: ClinicConnection[]; unreadable: string[] }> {
  const rows = await db.tx({ operator: true }, (tx) => tx.query<StoredRow>(`${SELECT} ORDER BY clinic_id`), { readOnly: true });
  const connections: ClinicConnection[] = [];
  const unreadable: string[] = [];
  for (const r of rows.rows) {
    try {
      connections.push({ clinicId: r.clinic_id, connection: toSettings(r, cipher), source: 'central' });
    } catch {
      unreadable.push(r.clinic_id);
    }
  }
  if (env && !rows.rows.some((r) => r.clinic_id === env.clinicId))
    connections.push({ clinicId: env.clinicId, connection: env.connection, source: 'environment' });
  return { connections, unreadable };
}

/** One clinic's connection (stored, else the environment's when it names this clinic), in a clinic transaction. */
export async function connectionOf(
  tx: Tx,
  cipher: ColumnCipher,
  clinicId: string,
  env: ClearinghouseJobSettings | null | undefined,
): Promise<{ conn: ClinicConnection | null; row: StoredRow | null }> {
  const r = await tx.query<StoredRow>(`${SELECT} WHERE clinic_id = $1`, [clinicId]);
  const row = r.rows[0] ?? null;
  if (row) return { conn: { clinicId, connection: toSettings(row, cipher), source: 'central' }, row };
  if (env && env.clinicId === clinicId) return { conn: { clinicId, connection: env.connection, source: 'environment' }, row: null };
  return { conn: null, row: null };
}

/** The last completed poll of a clinic's inbound folders, by any node (also the last attempt, which succeeded). */
export async function recordPoll(db: CentralDb, clinicId: string, at: Date, files: number): Promise<void> {
  await db.tx({ clinicId }, (tx) =>
    tx.query(
      `INSERT INTO clearinghouse_polls (clinic_id, last_poll_at, files, last_attempt_at, last_error) VALUES ($1, $2, $3, $2, NULL)
       ON CONFLICT (clinic_id) DO UPDATE SET last_poll_at = greatest(clearinghouse_polls.last_poll_at, excluded.last_poll_at),
                                             files = excluded.files,
                                             last_attempt_at = greatest(clearinghouse_polls.last_attempt_at, excluded.last_attempt_at),
                                             last_error = CASE WHEN excluded.last_attempt_at >= clearinghouse_polls.last_attempt_at
                                                                 OR clearinghouse_polls.last_attempt_at IS NULL
                                                               THEN NULL ELSE clearinghouse_polls.last_error END`,
      [clinicId, at, files],
    ),
  );
}

/** A poll that could not complete: when, and why as a sentence; the last completed poll stays as it was. */
export async function recordPollFailure(db: CentralDb, clinicId: string, at: Date, error: string): Promise<void> {
  await db.tx({ clinicId }, (tx) =>
    tx.query(
      `INSERT INTO clearinghouse_polls (clinic_id, last_poll_at, files, last_attempt_at, last_error) VALUES ($1, NULL, 0, $2, $3)
       ON CONFLICT (clinic_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error
        WHERE clearinghouse_polls.last_attempt_at IS NULL OR clearinghouse_polls.last_attempt_at <= excluded.last_attempt_at`,
      [clinicId, at, error],
    ),
  );
}

type PollRow = { last_poll_at: Date | null; files: number; last_attempt_at: Date | null; last_error: string | null };

async function pollOf(tx: Tx, clinicId: string): Promise<ClearinghouseAdminView['lastPoll']> {
  const r = await tx.query<PollRow>('SELECT last_poll_at, files, last_attempt_at, last_error FROM clearinghouse_polls WHERE clinic_id = $1', [clinicId]);
  const p = r.rows[0];
  if (!p) return null;
  return {
    at: p.last_poll_at?.toISOString() ?? null,
    files: p.files,
    attemptAt: p.last_attempt_at?.toISOString() ?? null,
    error: p.last_error,
  };
}

export async function lastPollOf(tx: Tx, clinicId: string): Promise<string | null> {
  return (await pollOf(tx, clinicId))?.at ?? null;
}

/** The clinic's latest transmissions with the clearinghouse API's answer where the sent log holds one. */
async function transmissionsOf(tx: Tx, clinicId: string): Promise<ClearinghouseAdminView['transmissions']> {
  const r = await tx.query<{
    file_name: string;
    status: ClearinghouseAdminView['transmissions'][number]['status'];
    attempts: number;
    sent_at: Date | null;
    next_attempt_at: Date | null;
    last_error: string | null;
    upload_result: string | null;
    answer: string | null;
  }>(
    `SELECT t.file_name, t.status, t.attempts, t.sent_at, t.next_attempt_at, t.last_error, t.upload_result, s.answer
       FROM claim_transmissions t
       LEFT JOIN clearinghouse_sent s ON s.clinic_id = t.clinic_id AND s.file_name = t.file_name
      WHERE t.clinic_id = $1
      ORDER BY t.updated_at DESC, t.file_name LIMIT ${TRANSMISSIONS_SHOWN}`,
    [clinicId],
  );
  return r.rows.map((t) => ({
    fileName: t.file_name,
    status: t.status,
    attempts: t.attempts,
    sentAt: t.sent_at?.toISOString() ?? null,
    nextAttemptAt: t.status === 'queued' || t.status === 'failed' ? (t.next_attempt_at?.toISOString() ?? null) : null,
    error: t.status === 'failed' ? t.last_error : null,
    answer: t.answer ?? (t.upload_result === 'already_uploaded' ? 'Already at the clearinghouse; not sent again.' : null),
  }));
}

const TRANSMISSIONS_SHOWN = 20;

async function viewOf(tx: Tx, clinicId: string, conn: ClinicConnection | null, row: StoredRow | null): Promise<ClearinghouseAdminView> {
  return view(clinicId, conn, row, await pollOf(tx, clinicId), await transmissionsOf(tx, clinicId));
}

function view(
  clinicId: string,
  conn: ClinicConnection | null,
  row: StoredRow | null,
  lastPoll: ClearinghouseAdminView['lastPoll'],
  transmissions: ClearinghouseAdminView['transmissions'],
): ClearinghouseAdminView {
  const empty: ClearinghouseAdminView = {
    clinicId,
    configured: false,
    source: null,
    transport: null,
    host: null,
    port: null,
    user: null,
    hostKeySha256: null,
    folders: null,
    apiUrl: null,
    lastTest: null,
    lastPollAt: lastPoll?.at ?? null,
    lastPoll,
    transmissions,
    updatedAt: null,
  };
  if (!conn) return empty;
  const lastTest =
    row?.last_test_at && row.last_test_ok !== null
      ? { at: row.last_test_at.toISOString(), ok: row.last_test_ok, message: row.last_test_message ?? '' }
      : null;
  const common = { ...empty, configured: true, source: conn.source, lastTest, updatedAt: row?.updated_at.toISOString() ?? null };
  const c = conn.connection;
  if (c.transport === 'sftp')
    return {
      ...common,
      transport: 'sftp',
      host: c.sftp.host,
      port: c.sftp.port,
      user: c.sftp.username,
      hostKeySha256: c.sftp.hostKeySha256,
      folders: {
        upload: c.sftp.uploadDir,
        x999: c.sftp.inboundDirs['999'],
        x277ca: c.sftp.inboundDirs['277CA'],
        x835: c.sftp.inboundDirs['835'],
        x271: c.sftp.inboundDirs['271'],
        archive: c.sftp.archiveDir,
      },
    };
  const u = new URL(c.https.baseUrl);
  return { ...common, transport: 'https', host: u.hostname, port: u.port ? Number(u.port) : 443, user: c.https.clientId, apiUrl: c.https.baseUrl };
}

export type ConnectionAdminDeps = {
  db: CentralDb;
  cipher: ColumnCipher;
  env: ClearinghouseJobSettings | null | undefined;
  /** Default: the SFTP or HTTPS adapter for the connection. */
  openPort?: (c: ClinicConnection) => ClearinghousePort;
};

export async function getClinicClearinghouse(deps: ConnectionAdminDeps, admin: AdminIdentity, clinicId: string): Promise<ClearinghouseAdminView> {
  return inClinic(deps.db, admin, clinicId, async (tx) => {
    const { conn, row } = await connectionOf(tx, deps.cipher, clinicId, deps.env);
    return viewOf(tx, clinicId, conn, row);
  });
}

export async function setClinicClearinghouse(
  deps: ConnectionAdminDeps,
  admin: AdminIdentity,
  clinicId: string,
  input: ClearinghouseInput,
): Promise<ClearinghouseAdminView> {
  return inClinic(deps.db, admin, clinicId, async (tx) => {
    const existing = (await tx.query<StoredRow>(`${SELECT} WHERE clinic_id = $1 FOR UPDATE`, [clinicId])).rows[0];
    const kept: Secret | null =
      existing && existing.transport === input.transport
        ? (JSON.parse(deps.cipher.decrypt(existing.secret, secretPlace(clinicId))) as Secret)
        : null;
    let settings: SftpPublic | HttpsPublic;
    let secret: Secret;
    if (input.transport === 'sftp') {
      if (input.privateKey && input.password)
        throw new AppError(400, 'invalid_input', 'Give a private key or a password, not both.', {
          password: 'Give a private key or a password, not both.',
        });
      secret = input.privateKey ? { privateKey: input.privateKey } : input.password ? { password: input.password } : (kept ?? {});
      if (!secret.privateKey && !secret.password)
        throw new AppError(400, 'invalid_input', 'Give the private key (preferred) or the password for the SFTP user.', {
          privateKey: 'Give the private key (preferred) or the password for the SFTP user.',
        });
      const { transport: _t, privateKey: _k, password: _p, ...rest } = input;
      settings = rest;
    } else {
      secret = input.clientSecret ? { clientSecret: input.clientSecret } : (kept ?? {});
      if (!secret.clientSecret)
        throw new AppError(400, 'invalid_input', 'Give the API client secret.', { clientSecret: 'Give the API client secret.' });
      settings = { baseUrl: input.baseUrl, clientId: input.clientId };
    }
    // A changed connection has not been tested yet: the previous test's outcome no longer applies.
    await tx.query(
      `INSERT INTO clearinghouse_connections (clinic_id, transport, settings, secret, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (clinic_id) DO UPDATE SET transport = excluded.transport, settings = excluded.settings,
         secret = excluded.secret, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
         last_test_at = NULL, last_test_ok = NULL, last_test_message = NULL`,
      [clinicId, input.transport, JSON.stringify(settings), deps.cipher.encrypt(JSON.stringify(secret), secretPlace(clinicId)), admin.adminId],
    );
    const { conn, row } = await connectionOf(tx, deps.cipher, clinicId, deps.env);
    return viewOf(tx, clinicId, conn, row);
  });
}

export async function removeClinicClearinghouse(deps: ConnectionAdminDeps, admin: AdminIdentity, clinicId: string): Promise<ClearinghouseAdminView> {
  return inClinic(deps.db, admin, clinicId, async (tx) => {
    const r = await tx.query('DELETE FROM clearinghouse_connections WHERE clinic_id = $1', [clinicId]);
    if (!r.rowCount) throw new AppError(404, 'not_found', 'This clinic has no clearinghouse connection set on central.');
    const { conn, row } = await connectionOf(tx, deps.cipher, clinicId, deps.env);
    return viewOf(tx, clinicId, conn, row);
  });
}

/**
 * Connects and lists the inbound folders (nothing is downloaded, moved or sent). The outcome is kept on a
 * stored connection; the environment's is reported only.
 */
export async function testClinicClearinghouse(deps: ConnectionAdminDeps, admin: AdminIdentity, clinicId: string): Promise<ClearinghouseAdminView> {
  const { conn } = await inClinic(deps.db, admin, clinicId, (tx) => connectionOf(tx, deps.cipher, clinicId, deps.env));
  if (!conn) throw new AppError(409, 'not_configured', 'This clinic has no clearinghouse connection to test; set one first.');
  let ok = true;
  let message: string;
  const port = (deps.openPort ?? ((c: ClinicConnection) => openClearinghouse(c.connection)))(conn);
  try {
    const waiting = await port.listInbound();
    message = `Connected; ${waiting.length} ${waiting.length === 1 ? 'file is' : 'files are'} waiting in the inbound folders.`;
  } catch (err) {
    ok = false;
    message = failureSentence(err, 'connection');
  } finally {
    await port.close().catch(() => {});
  }
  return inClinic(deps.db, admin, clinicId, async (tx) => {
    await tx.query(
      `UPDATE clearinghouse_connections SET last_test_at = now(), last_test_ok = $2, last_test_message = $3 WHERE clinic_id = $1`,
      [clinicId, ok, message],
    );
    const { conn: now, row } = await connectionOf(tx, deps.cipher, clinicId, deps.env);
    const v = await viewOf(tx, clinicId, now, row);
    return v.lastTest ? v : { ...v, lastTest: { at: new Date().toISOString(), ok, message } };
  });
}
