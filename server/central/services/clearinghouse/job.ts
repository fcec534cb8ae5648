/**
 * Central's clearinghouse work, on timers: send the due batches every `sendEveryMs` and poll the inbound
 * folders every `pollEveryMs` (docs/claims-inbound.md, "Transport"). A connection is opened per run and
 * closed after it (runs are minutes apart). A run never overlaps itself on a node; several nodes may run
 * it at once: sending takes each batch under a row lock, and inbound files are handed over once per
 * digest. Failures are logged by ids and sentences only (no file content, no patient data).
 */
import type { Logger } from '../../../platform/logging';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb } from '../../db/pool';
import { openClearinghouse, type ClearinghouseJobSettings } from './config';
import { receiveInbound } from './inbound';
import type { ClearinghousePort } from './port';
import { sendDue, type SendOutcome, type TransportContext } from './transmit';

export interface ClearinghouseJob {
  stop(): Promise<void>;
  /** One send run and one poll run now (tests, and after a restart). */
  runNow(): Promise<{ sent: SendOutcome[]; received: number }>;
}

export function startClearinghouseJob(deps: {
  db: CentralDb;
  cipher: ColumnCipher;
  settings: ClearinghouseJobSettings;
  logger: Logger;
  /** Default: the configured SFTP or HTTPS adapter. */
  openPort?: () => ClearinghousePort;
  now?: () => Date;
  /** Told after each poll that completed (the connection answered), for the clinic's status. */
  onPolled?: (at: Date) => void;
}): ClearinghouseJob {
  const { settings, logger } = deps;
  const ctx: TransportContext = {
    db: deps.db,
    cipher: deps.cipher,
    clinicId: settings.clinicId,
    transport: settings.connection.transport,
    now: deps.now ?? (() => new Date()),
    backoffMs: settings.backoffMs,
  };
  const open = deps.openPort ?? (() => openClearinghouse(settings.connection));
  let sending: Promise<SendOutcome[]> | null = null;
  let polling: Promise<number> | null = null;

  const withPort = async <T>(fn: (port: ClearinghousePort) => Promise<T>): Promise<T> => {
    const port = open();
    try {
      return await fn(port);
    } finally {
      await port.close().catch(() => {});
    }
  };
  const send = () =>
    (sending ??= withPort((port) => sendDue(ctx, port))
      .then((out) => {
        for (const o of out)
          if (o.status === 'failed')
            logger.warn({ batchId: o.batchId, nextAttemptAt: o.nextAttemptAt }, `clearinghouse: batch not sent: ${o.error}`);
          else logger.info({ batchId: o.batchId, status: o.status }, 'clearinghouse: batch sent');
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
    (polling ??= withPort((port) => receiveInbound(ctx, port))
      .then((out) => {
        deps.onPolled?.(ctx.now());
        for (const f of out.failed) logger.warn({ name: f.name }, `clearinghouse: inbound file left in place: ${f.error}`);
        if (out.handled.length) logger.info({ files: out.handled.length }, 'clearinghouse: inbound files handed to workstations');
        return out.handled.length;
      })
      .catch((err) => {
        logger.warn({ err: (err as Error).message }, 'clearinghouse: polling could not run');
        return 0;
      })
      .finally(() => {
        polling = null;
      }));

  const sendTimer = setInterval(() => void send(), settings.sendEveryMs);
  const pollTimer = setInterval(() => void poll(), settings.pollEveryMs);
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
