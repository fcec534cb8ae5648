import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { centralApi } from '../../contracts/central/endpoints';
import { syncHeaders } from '../../contracts/sync';
import type { CentralConfig } from '../config';
import type { ColumnCipher } from '../crypto';
import type { CentralDb } from '../db/pool';
import { latestCentralSchema } from '../db/migrations';
import { errorHandler } from '../../platform/error-handler';
import { AppError } from '../../platform/errors';
import type { Logger } from '../../platform/logging';
import { SignInThrottle, signInAdmin, signOutAdmin } from '../services/admins';
import {
  adminTenant,
  createClinic,
  createOrg,
  listClinics,
  listDevices,
  listOrgs,
  revokeDevice,
} from '../services/clinics';
import { createEnrollmentCode, DeviceAuthenticator, redeemEnrollmentCode } from '../services/enrollment';
import type { LiveHub } from '../services/live';
import { DeviceTurns } from '../services/replication/device-turns';
import { pushMutations } from '../services/replication/push';
import { CENTRALLY_MANAGED, STAFF_UNAPPROVED } from '../services/replication/staff-guard';
import { hello, pullChangesJson } from '../services/replication/pull';
import { portalAuditPage } from '../services/portal/audit-chain';
import { PullShare } from '../services/replication/pull-share';
import { codeSetContent, currentCodeSet, publishCodeSet } from '../services/code-sets';
import { grantImport } from '../services/clearinghouse/inbound';
import { clearinghouseConnection } from '../services/clearinghouse/status';
import { clearinghouseAdminHandlers } from './clearinghouse-admin';
import { createStaff, listStaff, updateStaff } from '../services/staff';
import { observeOperations, type CentralMetrics } from './metrics';
import * as cards from '../services/payments/cards';
import { clinicFindings } from '../services/payments/reconcile-findings';
import type { PaymentsPort } from '../services/payments/port';
import { createStripeAdapter } from '../services/payments/stripe-adapter';
import { handleStripeWebhook } from '../services/payments/webhooks';
import { declaredLengthLimit, DeviceConcurrency, StreamCap } from './limits';
import { RefusalCounter } from './refusal-limit';
import { registerCentralEndpoints, type CentralHandlers } from './register';
import { updateFeedHandlers } from './update-feed';
import { mountJoinPage, telehealthCallers, telehealthCentralHandlers } from './telehealth';
import { consoleHandlers, mountConsole } from './console';
import { appendAdminAudit } from '../services/console/audit';
import { RecentRequests } from '../services/console/recent-requests';
import { DeviceStatusRecorder, parseDeviceStatus } from '../services/console/workstations';
import fs from 'node:fs';
import path from 'node:path';
import { TelehealthHub } from '../services/telehealth/hub';
import { TelehealthService } from '../services/telehealth/service';
import { DirectVideo, TwilioVideo, type VideoPort } from '../services/telehealth/video-port';
import { PortalAccounts } from '../services/portal/accounts';
import { smtpMailer, type MailPort } from '../services/portal/mailer';
import { loadPortalConfig } from '../services/portal/config';
import { mountPortal, portalStaffHandlers } from './portal';

export interface CentralAppDeps {
  config: CentralConfig;
  db: CentralDb;
  cipher: ColumnCipher;
  live: LiveHub;
  metrics: CentralMetrics;
  logger: Logger;
  version: string;
  /** Read once at start and on each hello; a restore rotates it while central is stopped. */
  epoch: () => string;
  /** Card payments; default: the Stripe adapter when config.stripe is set, else none (refused politely). */
  payments?: PaymentsPort | null;
  /** The video provider's port (default: from config.telehealth). */
  video?: VideoPort;
  /** The portal's e-mail port (default: SMTP from config.portal, or none). */
  mail?: MailPort | null;
}

const startedAt = Date.now();
/** A push of PUSH_BATCH_MAX mutations fits; every other request is small. */
const PUSH_BODY_LIMIT = 16 * 1024 * 1024;
const BODY_LIMIT = 64 * 1024;
/** A workstation keeps one live stream; a second covers a reconnect while the old one is not yet closed. */
const LIVE_STREAMS_PER_DEVICE = 2;
/** Stripe's events are small; the raw body is kept for the signature check. */
const WEBHOOK_BODY_LIMIT = 512 * 1024;

export function createCentralApp(deps: CentralAppDeps) {
  const { config, db, cipher, metrics, logger } = deps;
  const devices = new DeviceAuthenticator(db, () => deps.live.listening);
  deps.live.onRevoked((id) => devices.evict(id));
  // A clinic's workstations pull the same page together after a change: one read answers them.
  const pullShare = new PullShare(() => deps.live.listeningSince);
  // Heads from every node's commits (NOTIFY), and this node's own the moment they commit: a pull answered
  // before the NOTIFY comes back must not be served a page from before a change this node just made.
  deps.live.onHead((clinicId, head) => pullShare.heard(clinicId, head));
  db.onCommittedHead((clinicId, head) => pullShare.heard(clinicId, head));
  const signIns = new SignInThrottle();
  const tele = config.telehealth ?? null;
  const video: VideoPort | null =
    deps.video ??
    (tele?.provider === 'twilio' && tele.twilio
      ? new TwilioVideo(tele.twilio)
      : tele
        ? new DirectVideo(tele.iceServers)
        : null);
  const telehealth =
    tele && video
      ? new TelehealthService({ db, cipher, settings: tele, video, secret: config.secret })
      : null;
  const telehealthHub = telehealth ? new TelehealthHub(deps.live, db, telehealth, logger) : null;
  const recent = new RecentRequests();
  const deviceStatus = new DeviceStatusRecorder(db, (err) =>
    logger.warn({ err: (err as Error).message }, 'could not store a workstation status'),
  );
  const portalSettings = config.portal ?? loadPortalConfig({}, false, [], () => '');
  const portal = new PortalAccounts({
    db,
    cipher,
    settings: portalSettings,
    mail: deps.mail !== undefined ? deps.mail : portalSettings.smtp ? smtpMailer(portalSettings.smtp) : null,
  });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      },
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader(syncHeaders.serverTime, String(Date.now()));
    next();
  });
  app.use(observe(metrics, logger, recent));

  const limiter = (limit: number, message: string) =>
    rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError(429, 'too_many_requests', message)),
    });
  const onlyPost = (mw: ReturnType<typeof limiter>) => (req: Request, res: Response, next: NextFunction) =>
    req.method === 'POST' && req.path === '/' ? mw(req, res, next) : next();
  app.use(
    '/v1/enroll',
    onlyPost(
      limiter(
        config.rateLimits.enrollPerMinute,
        'Too many enrollment attempts from this address. Wait a minute and try again.',
      ),
    ),
  );
  app.use(
    ['/v1/admin/sessions', '/v1/console/session'],
    onlyPost(
      limiter(config.rateLimits.signInPerMinute, 'Too many sign-in attempts. Wait a minute and try again.'),
    ),
  );
  // A join link is a bearer secret: guessing is rate limited per address like sign-ins.
  app.use(
    ['/v1/telehealth/join', '/v1/telehealth/links/check'],
    onlyPost(
      limiter(
        config.rateLimits.signInPerMinute * 3,
        'Too many attempts to open a visit from this address. Wait a minute and try again.',
      ),
    ),
  );
  // Refused credentials only: working workstations sync as often as they need to.
  const refusals = new RefusalCounter(config.rateLimits.authFailuresPerMinute);
  app.use(['/v1/sync', '/v1/admin', '/v1/telehealth'], refusals.middleware);
  // Bodies are read by the route once its credential is accepted (register.ts), refused by their declared
  // length before a byte is read: a push may be large, nothing else needs to be.
  // A push, an organisation's code-set release (CDC's file, ~6 MB) and a PDF shared to the portal (≤ 8 MB)
  // are the large bodies.
  const pushPath = centralApi.syncPush.path;
  const codeSetPath = /^\/v1\/admin\/orgs\/[^/]+\/code-sets\/icd10cm$/;
  // And files staff attach to a reply (up to three of ≤ 10 MB).
  const sharePath = centralApi.portalCentralShareDocument.path;
  const attachPath = centralApi.portalCentralAttach.path;
  const isLarge = (req: Request) =>
    req.path === pushPath ||
    (req.method === 'POST' &&
      (codeSetPath.test(req.path) || req.path === sharePath || req.path === attachPath));
  const limitFor = (req: Request) => (isLarge(req) ? PUSH_BODY_LIMIT : BODY_LIMIT);
  const lengthGuard = declaredLengthLimit(limitFor);
  const pushJson = express.json({ limit: PUSH_BODY_LIMIT });
  const smallJson = express.json({ limit: BODY_LIMIT });
  const readBody = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => {
      lengthGuard(req, res, (err?: unknown) => {
        if (err) return reject(err);
        (isLarge(req) ? pushJson : smallJson)(req, res, (e?: unknown) => (e ? reject(e) : resolve()));
      });
    });
  const streams = new StreamCap(LIVE_STREAMS_PER_DEVICE);
  // A device's pushes in flight on this node, stored in the order their mutation ids continue each other.
  const pushTurns = new DeviceTurns();
  const payments: cards.PaymentsContext = {
    db,
    cipher,
    logger,
    port:
      deps.payments !== undefined
        ? deps.payments
        : config.stripe
          ? createStripeAdapter(config.stripe, { version: deps.version })
          : null,
  };
  const rawBody = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  const readRaw = (req: Request, res: Response) =>
    new Promise<Buffer>((resolve, reject) =>
      rawBody(req, res, (err?: unknown) =>
        err ? reject(err) : resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)),
      ),
    );

  const handlers: CentralHandlers = {
    centralHealth: () => ({
      status: 'ok' as const,
      version: deps.version,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    }),
    centralReady: async () => {
      const r = await db.pool
        .query<{ v: number }>('SELECT max(version) AS v FROM tessera.schema_versions')
        .catch(() => null);
      if (!r || r.rows[0]?.v !== latestCentralSchema || !deps.live.listening) {
        throw new AppError(
          503,
          'not_ready',
          'Central is not ready: the database is unreachable or not migrated.',
        );
      }
      return { status: 'ready' as const, schemaVersion: latestCentralSchema, epoch: deps.epoch() };
    },
    centralMetrics: async ({ res }) => {
      metrics.liveConnections.set(deps.live.connections);
      await observeOperations(db, config, metrics);
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
    enroll: ({ body }) =>
      redeemEnrollmentCode(db, cipher, body, (reason) => {
        metrics.refusals.inc({ kind: 'enrollment' });
        // Which check refused it stays here (the answer is the same for all): a claim refusal may be a probe.
        logger.warn({ reason }, 'enrollment refused');
      }),
    syncHello: ({ device }) => hello(db, device, config.minWorkstationSchema),
    syncPush: async ({ device, body }) => {
      const out = await pushMutations(
        { db, cipher, now: () => new Date(), minSchema: config.minWorkstationSchema, turns: pushTurns },
        device,
        body,
        body.mutations,
      );
      const received = Date.now();
      for (const r of out.results) metrics.mutations.inc({ status: r.duplicate ? 'duplicate' : r.status });
      const staffRefusals: [string, string][] = [
        [CENTRALLY_MANAGED, 'device change to a centrally managed staff account refused'],
        [STAFF_UNAPPROVED, 'device change to a staff account without an administrator approval refused'],
      ];
      for (const [reason, text] of staffRefusals) {
        const refused = out.results.filter((r) => r.reason === reason);
        if (!refused.length) continue;
        // A device trying to change what only central or an administrator may (a stolen credential, or an
        // out-of-date screen): counted for alerting and logged with ids only, never values.
        metrics.refusals.inc({ kind: 'staff_write' }, refused.length);
        const byId = new Map(body.mutations.map((m) => [m.mutationId, m]));
        logger.warn(
          {
            deviceId: device.deviceId,
            clinicId: device.clinicId,
            rows: refused.map((r) => byId.get(r.mutationId)?.rowId),
          },
          text,
        );
      }
      for (const m of out.fresh) {
        const made = Date.parse(m.createdAt);
        if (!Number.isNaN(made))
          metrics.lag.observe(Math.max(0, received - (made + (device.clockSkewMs ?? 0))) / 1000);
      }
      const { fresh: _fresh, ...response } = out;
      return response;
    },
    syncPull: async ({ device, query, res }) => {
      const page = await pullChangesJson(
        db,
        cipher,
        device,
        config.minWorkstationSchema,
        query.cursor,
        query.limit,
        { pages: pullShare, epoch: deps.epoch() },
      );
      metrics.pulledRows.inc(page.rows);
      // Sent as built (see pullChangesJson); register() validates only answers a handler returns.
      res.status(200).type('application/json').send(page.json);
      return undefined as never;
    },
    syncPortalAudit: ({ device, query }) =>
      portalAuditPage(db, device.clinicId, query.after, query.limit),
    syncEvents: ({ device, req, res }) => {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      const send = (head: number) =>
        res.write(`event: change\ndata: ${JSON.stringify({ head, epoch: deps.epoch() })}\n\n`);
      // The current head at once: the workstation pulls if it is behind, without waiting for a change.
      void db
        .readOnce({ clinicId: device.clinicId }, (literal) => [
          `SELECT change_seq FROM clinics WHERE id = ${literal(device.clinicId)}`,
        ])
        .then(([rows]) => send(Number(rows?.[0]?.change_seq ?? 0)))
        .catch(() => res.end());
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      const unsubscribe = deps.live.subscribe({
        clinicId: device.clinicId,
        deviceId: device.deviceId,
        onChange: send,
        onRevoked: () => res.end(),
      });
      const release = streams.open(
        device.deviceId,
        () => res.end(),
        () => metrics.refusals.inc({ kind: 'live_streams' }),
      );
      metrics.liveConnections.set(deps.live.connections);
      req.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        release();
        metrics.liveConnections.set(deps.live.connections);
      });
    },
    adminSignIn: ({ body, req }) =>
      signInAdmin(db, cipher, body, {
        address: req.ip ?? 'unknown',
        throttle: signIns,
        onRefused: () => metrics.refusals.inc({ kind: 'admin_sign_in' }),
      }),
    adminSignOut: async ({ admin }) => {
      await signOutAdmin(db, admin, admin.token);
      return { ok: true as const };
    },
    listOrgs: async ({ admin }) => ({ orgs: await listOrgs(db, admin) }),
    createOrg: ({ admin, body }) => createOrg(db, admin, body.name),
    listClinics: async ({ admin }) => ({ clinics: await listClinics(db, admin) }),
    createClinic: ({ admin, body }) => createClinic(db, cipher, admin, body),
    createEnrollmentCode: ({ admin, params, body }) =>
      createEnrollmentCode(
        db,
        { adminId: admin.adminId, orgId: admin.orgId, operator: admin.orgId === null },
        admin.adminId,
        params.clinicId,
        body.expiresInHours,
      ),
    listDevices: async ({ admin, params }) => ({ devices: await listDevices(db, admin, params.clinicId) }),
    publishCodeSet: ({ admin, params, body }) => {
      if (admin.orgId !== null && admin.orgId !== params.orgId)
        throw new AppError(403, 'forbidden', 'You may import code sets for your own organization only.');
      return publishCodeSet(db, adminTenant(admin), {
        orgId: params.orgId,
        release: body.release,
        text: body.content,
        createdBy: admin.adminId,
        allowPartial: body.allowPartial,
      });
    },
    currentCodeSet: async ({ device }) => ({ current: await currentCodeSet(db, device.clinicId) }),
    downloadCodeSet: async ({ device, params, res }) => {
      const file = await codeSetContent(db, device.clinicId, params.id);
      res
        .status(200)
        .type('text/plain; charset=utf-8')
        .setHeader('x-tessera-digest', file.digest)
        .send(file.text);
    },
    revokeDevice: async ({ admin, params }) => {
      const device = await revokeDevice(db, admin, params.clinicId, params.deviceId);
      // Refused from the next request on, on this node without waiting for the notification.
      devices.evict(device.id);
      return device;
    },
    listStaff: async ({ admin, params }) => ({ staff: await listStaff(db, admin, params.clinicId) }),
    createStaff: ({ admin, params, body }) => createStaff(db, cipher, admin, params.clinicId, body),
    updateStaff: ({ admin, params, body }) =>
      updateStaff(db, cipher, admin, params.clinicId, params.userId, body),
    ...updateFeedHandlers(db),
    grantInboundImport: ({ device, params }) => grantImport(db, device.clinicId, device.deviceId, params.id),
    clearinghouseConnection: ({ staff }) => clearinghouseConnection(db, cipher, staff.clinicId, config.clearinghouse),
    ...clearinghouseAdminHandlers({ db, cipher, env: config.clearinghouse }),
    stripeWebhook: async ({ req, res }) => {
      try {
        return await handleStripeWebhook(
          payments,
          await readRaw(req, res),
          String(req.headers['stripe-signature']),
        );
      } catch (err) {
        // A forged or stale signature: counted for alerting (a leaked endpoint URL being probed).
        if (err instanceof AppError && err.status === 401) metrics.refusals.inc({ kind: 'stripe_signature' });
        throw err;
      }
    },
    listCardReaders: async () => ({ readers: await cards.listReaders(payments) }),
    startReaderPayment: ({ device, body }) => cards.startReaderPayment(payments, device.clinicId, body),
    createPaymentLink: ({ device, body }) => cards.createPaymentLink(payments, device.clinicId, body),
    chargeSavedCard: ({ device, body }) => cards.chargeSavedCard(payments, device.clinicId, body),
    listCardPayments: ({ device, query }) => cards.listPayments(payments, device.clinicId, query.patientId),
    getCardPayment: ({ device, params }) => cards.getPayment(payments, device.clinicId, params.id),
    cancelCardPayment: ({ device, params }) => cards.cancelPayment(payments, device.clinicId, params.id),
    refundCardPayment: ({ device, body }) => cards.refundPayment(payments, device.clinicId, body),
    startCardAgreement: ({ device, body }) => cards.startAgreement(payments, device.clinicId, body),
    listCardAgreements: async ({ device, query }) => ({
      agreements: await cards.listAgreements(payments, device.clinicId, query.patientId),
    }),
    revokeCardAgreement: ({ device, params, body }) =>
      cards.revokeAgreement(payments, device.clinicId, params.id, body.actorUserId),
    listReconciliationFindings: ({ device }) => clinicFindings(db, device.clinicId),
    ...telehealthCentralHandlers(telehealth, telehealthHub, readRaw),
    ...consoleHandlers({
      db,
      cipher,
      throttle: signIns,
      onRefused: () => metrics.refusals.inc({ kind: 'admin_sign_in' }),
      live: deps.live,
      recent,
    }),
    ...portalStaffHandlers(portal, readRaw),
  };

  const router = express.Router();
  registerCentralEndpoints(router, handlers, {
    db,
    devices,
    metricsToken: config.metricsToken,
    readBody,
    refusals,
    concurrency: new DeviceConcurrency(),
    telehealth: telehealthCallers(telehealth, db),
    // An audit entry that cannot be written is an error to investigate, not a reason to undo the action.
    audit: (entry) =>
      appendAdminAudit(db, entry).catch((err: unknown) =>
        logger.error(
          { err: (err as Error).message, action: entry.action },
          'administration audit not written',
        ),
      ),
    deviceStatus: (device, header) => {
      const status = parseDeviceStatus(header);
      if (status) deviceStatus.record(device, status);
    },
  });
  app.use(router);
  mountPortal(app, portal, {
    entryPerMinute: config.rateLimits.signInPerMinute,
    log: logger,
    payments,
    stripePublishableKey: config.stripe?.publishableKey ?? null,
    video: telehealth,
  });
  const pages = express.Router();
  mountJoinPage(pages, tele);
  mountConsole(pages, config.consoleDir ?? defaultConsoleDir());
  app.use(pages);
  app.use((_req, _res, next) => next(new AppError(404, 'not_found', 'There is no such endpoint.')));
  // A refusal, or an answer before the body was read, ends the connection: an unread body is not read
  // (and waited for) after all, and each refused attempt costs the client a new connection.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    const refusal = err instanceof AppError && [401, 403, 411, 413, 429].includes(err.status);
    if ((!req.complete || refusal) && !res.headersSent) res.setHeader('Connection', 'close');
    next(err);
  });
  app.use(
    errorHandler({
      logger,
      tooLargeMessage: 'That request is too large; send fewer mutations per push.',
      internalMessage: (ref) => `Central had a problem (reference ${ref}). Nothing was stored; try again.`,
      onAnswer: (e) => metrics.errors.inc({ code: e.status >= 500 ? 'internal' : e.code }),
    }),
  );
  return app;
}

/** dist/console of the checkout (running from source) or beside the bundle (dist/cli/../console). */
function defaultConsoleDir(): string | null {
  const here = import.meta.dirname;
  const candidates = [path.resolve(here, '../../../dist/console'), path.resolve(here, '../console')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}

function observe(metrics: CentralMetrics, logger: Logger, recent: RecentRequests) {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // The route pattern, never the URL (ids and cursors stay out of logs and label values).
      const route = typeof req.route?.path === 'string' ? (req.route.path as string) : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.requests.inc({ route, method: req.method, status: String(res.statusCode) });
      metrics.duration.observe({ route }, seconds);
      recent.record(res.statusCode);
      logger.info({ method: req.method, route, status: res.statusCode, ms: seconds * 1000 }, 'request');
    });
    next();
  };
}
