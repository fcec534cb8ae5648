import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CentralConfig } from './config';
import { columnCipherFor, WrongSecretError, type ColumnCipher } from './crypto';
import { apiRoleProblem, migrateCentral, schemaProblem } from './db/migrate';
import { CentralDb } from './db/pool';
import { createCentralApp } from './http/app';
import { CentralMetrics } from './http/metrics';
import { createLogger, type Logger } from '../platform/logging';
import { LiveHub } from './services/live';
import { startReconciliationJob } from './services/payments/reconcile-job';
import { startClearinghouseJob, type ClearinghouseJob } from './services/clearinghouse/job';
import { createStripeAdapter } from './services/payments/stripe-adapter';
import { smtpMailer } from './services/portal/mailer';
import { startReminderJob, type ReminderRun } from './services/portal/reminders';
import { TwilioSms } from './services/portal/sms-port';

export const CENTRAL_VERSION = '0.1.0';

/** A 16 MB push over a slow clinic line fits in two minutes; headers take a well-behaved client well under 1 s. */
const DEFAULT_REQUEST_TIMEOUTS = { headersMs: 15_000, requestMs: 120_000 };

export interface RunningCentral {
  url: string;
  port: number;
  db: CentralDb;
  /** Sending batches and polling the clearinghouse for every clinic with a connection (stored or environment). */
  clearinghouse: ClearinghouseJob;
  /** Appointment reminders (docs/portal.md, "Reminders"): one run now (tests; the timer runs it otherwise). */
  reminders: { runNow(): Promise<ReminderRun> };
  close(): Promise<void>;
}

export class CentralStartError extends Error {
  override name = 'CentralStartError';
}

/**
 * Start central: (optionally migrate,) check that the API's database role cannot see across tenants and
 * that the schema is current, then serve. A node holds no state of its own beyond its connections, so any
 * number of them can run behind a load balancer.
 */
export async function startCentral(
  config: CentralConfig,
  opts: { logger?: Logger } = {},
): Promise<RunningCentral> {
  const logger = opts.logger ?? createLogger('tessera-central', undefined, config.logLevel);
  if (config.migrateOnStart && config.ownerDatabaseUrl) {
    const m = await migrateCentral(config.ownerDatabaseUrl, config.databaseUrl);
    if (m.to !== m.from) logger.info({ from: m.from, to: m.to }, 'central database migrated');
  }
  const db = new CentralDb(config.databaseUrl, config.poolSize);
  let epoch = '';
  let cipher: ColumnCipher;
  try {
    const client = await db.pool.connect();
    try {
      const problem = (await apiRoleProblem(client)) ?? (await schemaProblem(client));
      if (problem) throw new CentralStartError(problem);
      epoch = (
        await client.query<{ value: string }>(`SELECT value FROM tessera.central_meta WHERE key = 'epoch'`)
      ).rows[0]!.value;
      const wrapRoot = await client.query<{ value: string }>(
        `SELECT value FROM tessera.central_meta WHERE key = 'wrap_root'`,
      );
      try {
        cipher = columnCipherFor(config.secret, wrapRoot.rows[0]?.value ?? null);
      } catch (err) {
        if (err instanceof WrongSecretError) throw new CentralStartError(err.message);
        throw err;
      }
    } finally {
      client.release();
    }
  } catch (err) {
    await db.close();
    if (err instanceof CentralStartError) throw err;
    throw new CentralStartError(`Central cannot use its database: ${(err as Error).message}`);
  }

  const live = new LiveHub(config.listenDatabaseUrl ?? config.databaseUrl, logger);
  await live.start();
  const metrics = new CentralMetrics();
  const app = createCentralApp({
    config,
    db,
    cipher: cipher!,
    live,
    metrics,
    logger,
    version: CENTRAL_VERSION,
    epoch: () => epoch,
  });
  // Expired requests are looked for this often (Node's default is 30 s, longer than the header limit).
  const checking = { connectionsCheckingInterval: 1_000 };
  const server = config.tls
    ? https.createServer({ cert: config.tls.cert, key: config.tls.key, ...checking }, app)
    : http.createServer(checking, app);
  // Receiving a request is limited (a client that trickles its headers or body, with or without a
  // credential, is cut off); sending the answer is not: long pulls of a large clinic and the live channel
  // run as long as they need. Idle keep-alive sockets close after 65 s.
  const timeouts = config.requestTimeouts ?? DEFAULT_REQUEST_TIMEOUTS;
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  }).catch(async (err) => {
    await live.stop();
    await db.close();
    throw new CentralStartError(
      `Central cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`,
    );
  });
  // Stripe's balance against the ledger, daily (docs/billing.md, "Reconciliation").
  const reconciliation = config.stripe
    ? startReconciliationJob({
        db,
        port: createStripeAdapter(config.stripe, { version: CENTRAL_VERSION }),
        logger,
      })
    : null;
  // Queued claim batches out, clearinghouse files in (docs/claims-inbound.md, "Transport").
  // Always running: administrators may set a clinic's connection at any time (connections.ts); the
  // environment's connection, when set, serves its one clinic.
  const clearinghouse = startClearinghouseJob({
    db,
    cipher: cipher!,
    settings: config.clearinghouse ?? null,
    logger,
  });
  // Appointment reminders by e-mail and text (docs/portal.md, "Reminders"); TESSERA_REMINDERS_EVERY_SECONDS=0
  // leaves them to other nodes. Several nodes running it send each reminder once (see reminders.ts).
  const portal = config.portal;
  const reminders = startReminderJob(
    {
      db,
      mail: portal?.smtp ? smtpMailer(portal.smtp) : null,
      sms: portal?.sms ? new TwilioSms(portal.sms) : null,
      publicUrl: portal?.publicUrl ?? null,
      batch: portal?.reminders.batch ?? 200,
      logger,
    },
    portal?.reminders.everySeconds ?? 0,
  );
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${config.tls ? 'https' : 'http'}://${host}:${port}`;
  logger.info({ port, epoch, tls: Boolean(config.tls) }, 'central listening');
  return {
    url,
    port,
    db,
    clearinghouse,
    reminders,
    close: async () => {
      reconciliation?.stop();
      await reminders.stop();
      await clearinghouse.stop();
      await live.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.close();
    },
  };
}
