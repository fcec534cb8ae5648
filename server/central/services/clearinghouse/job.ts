/**
 * Central's clearinghouse work, on timers: send the due batches every `sendEveryMs` and poll the inbound
 * folders every `pollEveryMs` (docs/claims-inbound.md, "Transport"), for every clinic with a connection
 * (connections.ts: stored by an administrator, or the environment's bootstrap clinic), each clinic with its
 * own connection and in its own tenant. A connection is opened per clinic and run and closed after it (runs
 * are minutes apart); one clinic's failure does not hold the others. A run never overlaps itself on a node;
 * several nodes may run it at once: sending takes each batch under a row lock, and inbound files are handed
 * over once per digest. A completed poll is recorded per clinic in the database (`clearinghouse_polls`).
 * Failures are logged by ids and sentences only (no file content, no patient data).
 */
import type { Logger } from '../../../platform/logging';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb } from '../../db/pool';
import { openClearinghouse, type ClearinghouseJobSettings } from './config';
import { clinicConnections, recordPoll, recordPollFailure, type ClinicConnection } from './connections';
import { receiveInbound } from './inbound';
import type { ClearinghousePort } from './port';
import { databaseSentLog } from './sent-log';
import { failureSentence, sendDue, type SendOutcome, type TransportContext } from './transmit';

export interface ClearinghouseJob {
  stop(): Promise<void>;
  /** One send run and one poll run now, over every clinic's connection (tests, and after a restart). */
  runNow(): Promise<{ sent: SendOutcome[]; received: number }>;
}

export type ClearinghouseRhythm = { sendEveryMs: number; pollEveryMs: number; backoffMs?: readonly number[] };

export const DEFAULT_RHYTHM: ClearinghouseRhythm = { sendEveryMs: 60_000, pollEveryMs: 300_000 };

export function startClearinghouseJob(deps: {
  db: CentralDb;
  cipher: ColumnCipher;
  /** The environment's connection for one clinic (bootstrap); null: only stored connections. */
  settings: ClearinghouseJobSettings | null;
  /** Default: the environment settings' rhythm, else every minute / every five minutes. */
  rhythm?: ClearinghouseRhythm;
  logger: Logger;
  /** Default: the connection's SFTP or HTTPS adapter (the HTTPS one with the clinic's sent log in the database). */
  openPort?: (c: ClinicConnection) => ClearinghousePort;
  now?: () => Date;
  /** Told after each clinic's poll that completed (the connection answered). */
  onPolled?: (clinicId: string, at: Date) => void;
}): ClearinghouseJob {
  const { settings, logger, db, cipher } = deps;
  const rhythm = deps.rhythm ?? settings ?? DEFAULT_RHYTHM;
  const now = deps.now ?? (() => new Date());
  const open = deps.openPort ?? ((c: ClinicConnection) => openClearinghouse(c.connection, databaseSentLog(db, c.clinicId)));
  const ctxFor = (c: ClinicConnection): TransportContext => ({
    db,
    cipher,
    clinicId: c.clinicId,
    transport: c.connection.transport,
    now,
    backoffMs: rhythm.backoffMs,
  });
  let sending: Promise<SendOutcome[]> | null = null;
  let polling: Promise<number> | null = null;

  const withPort = async <T>(c: ClinicConnection, fn: (port: ClearinghousePort) => Promise<T>): Promise<T> => {
    const port = open(c);
    try {
      return await fn(port);
    } finally {
      await port.close().catch(() => {});
    }
  };
  const connections = async (): Promise<ClinicConnection[]> => {
    const { connections: list, unreadable } = await clinicConnections(db, cipher, settings);
    for (const clinicId of unreadable)
      logger.error({ clinicId }, 'clearinghouse: the stored connection cannot be decrypted with this central secret');
    return list;
  };

  const sendClinic = (c: ClinicConnection) =>
    withPort(c, (port) => sendDue(ctxFor(c), port))
      .then((out) => {
        for (const o of out)
          if (o.status === 'failed')
            logger.warn({ clinicId: c.clinicId, batchId: o.batchId, nextAttemptAt: o.nextAttemptAt }, `clearinghouse: batch not sent: ${o.error}`);
          else logger.info({ clinicId: c.clinicId, batchId: o.batchId, status: o.status }, 'clearinghouse: batch sent');
        return out;
      })
      .catch((err) => {
        logger.warn({ clinicId: c.clinicId, err: (err as Error).message }, 'clearinghouse: sending could not run');
        return [] as SendOutcome[];
      });
  const pollClinic = (c: ClinicConnection) =>
    withPort(c, (port) => receiveInbound(ctxFor(c), port))
      .then(async (out) => {
        const at = now();
        await recordPoll(db, c.clinicId, at, out.handled.length);
        deps.onPolled?.(c.clinicId, at);
        for (const f of out.failed) logger.warn({ clinicId: c.clinicId, name: f.name }, `clearinghouse: inbound file left in place: ${f.error}`);
        if (out.handled.length)
          logger.info({ clinicId: c.clinicId, files: out.handled.length }, 'clearinghouse: inbound files handed to workstations');
        return out.handled.length;
      })
      .catch(async (err) => {
        logger.warn({ clinicId: c.clinicId, err: (err as Error).message }, 'clearinghouse: polling could not run');
        // Kept for the console (the last attempt's result); a database that is down cannot take it either.
        await recordPollFailure(db, c.clinicId, now(), failureSentence(err, 'poll')).catch(() => {});
        return 0;
      });

  const send = () =>
    (sending ??= connections()
      .then(async (list) => {
        const out: SendOutcome[] = [];
        for (const c of list) out.push(...(await sendClinic(c)));
        return out;
      })
      .catch((err) => {
        logger.warn({ err: (err as Error).message }, 'clearinghouse: sending could not run');
        return [];
      })
      .finally(() => {
        sending = null;
      }));
  const poll = () =>
    (polling ??= connections()
      .then(async (list) => {
        let n = 0;
        for (const c of list) n += await pollClinic(c);
        return n;
      })
      .catch((err) => {
        logger.warn({ err: (err as Error).message }, 'clearinghouse: polling could not run');
        return 0;
      })
      .finally(() => {
        polling = null;
      }));

  const sendTimer = setInterval(() => void send(), rhythm.sendEveryMs);
  const pollTimer = setInterval(() => void poll(), rhythm.pollEveryMs);
  sendTimer.unref();
  pollTimer.unref();
  return {
    async stop() {
      clearInterval(sendTimer);
      clearInterval(pollTimer);
      await Promise.allSettled([sending, polling]);
    },
    async runNow() {
      const sent = await send();
      const received = await poll();
      return { sent, received };
    },
  };
}
