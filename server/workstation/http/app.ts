import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { latestSchemaVersion } from '../db/migrations';
import type { Store } from '../db/store';
import { errorHandler } from '../../platform/error-handler';
import { AppError } from '../../platform/errors';
import type { Logger } from '../../platform/logging';
import { UserAdmin } from '../services/admin/users';
import { Sessions } from '../services/auth/sessions';
import { SignIn } from '../services/auth/sign-in';
import { FirstRun } from '../services/setup/first-run';
import type { Handlers } from './context';
import { hostGuard, originGuard } from './middleware/guards';
import { type LaunchGate } from './middleware/launch';
import { openApiDocument } from './openapi';
import { registerEndpoints } from './register';
import { adminHandlers } from './routes/admin';
import { auditHandlers } from './routes/audit';
import { billingLedgerHandlers } from './routes/billing';
import { billingCardHandlers } from './routes/billing-cards';
import { billingGuarantorHandlers } from './routes/billing-guarantor';
import { authHandlers } from './routes/auth';
import { billingFeesHandlers } from './routes/billing-fees';
import { claimsHandlers } from './routes/claims';
import { claimsReportHandlers } from './routes/claims-reports';
import { billingDocumentHandlers } from './routes/billing-documents';
import { PatientDocuments } from '../services/billing/patient-documents';
import { clinicalHandlers } from './routes/clinical';
import { patientHandlers } from './routes/patients';
import { eventsHandlers } from './routes/events';
import { schedulingHandlers } from './routes/scheduling';
import { syncHandlers } from './routes/sync';
import { maintenanceHandlers, type MaintenanceDeps } from './routes/maintenance';
import { telehealthHandlers } from './routes/telehealth';
import { portalHandlers } from './routes/portal';
import { inboxHandlers } from './routes/inbox';
import { inboxEndpoints } from '../../contracts/inbox/endpoints';
import { ATTACHMENTS_BODY_LIMIT } from '../../contracts/portal/endpoints';
import { trackingHandlers } from './routes/tracking';
import { formHandlers } from './routes/forms';
import { SyncEngine } from '../sync/engine';

export interface AppOptions {
  store: Store;
  logger: Logger;
  launch: LaunchGate;
  /** The listening port, known only after listen(); the guards compare Host and Origin with it. */
  port: () => number;
  rendererDir?: string;
  appVersion: string;
  /** The replication loop (start.ts owns and starts it); absent: an idle one, for tests of the app alone. */
  sync?: SyncEngine;
  /** Backups and the key (start.ts has the data folder); absent: maintenance answers 503. */
  maintenance?: MaintenanceDeps;
  /** Where patients' billing documents are kept (DATA_DIR/documents); absent: a temporary folder. */
  documentsDir?: string;
}

const startedAt = Date.now();

export function createApp(opts: AppOptions) {
  const { store, logger, launch } = opts;
  const sessions = new Sessions(store);
  const signIn = new SignIn(store, sessions);
  const firstRun = new FirstRun(store);
  const users = new UserAdmin(store, sessions);
  const sync = opts.sync ?? new SyncEngine(store, { logger });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(logger));
  app.use(hostGuard(opts.port));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          // Video visits over Twilio: twilio-video's signaling and media services (docs/telehealth.md).
          connectSrc: ["'self'", 'https://*.twilio.com', 'wss://*.twilio.com'],
          fontSrc: ["'self'"],
          mediaSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Loopback HTTP: HSTS would be meaningless and upgrade-insecure-requests would break the app.
      strictTransportSecurity: false,
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.get('/launch', (req, res) => {
    if (!launch.redeem(req.query.token)) {
      res
        .status(403)
        .type('text/plain')
        .send('This launch link was already used or has expired. Start Tessera again to get a new one.');
      return;
    }
    launch.grant(res);
    res.redirect(303, '/');
  });

  app.use('/api', originGuard(opts.port));
  // A reply in the inbox may carry up to three photos or PDFs (base64): its own, larger limit. Mounted as
  // middleware, not as a route, so the catalogue's one route for the path stays the only one registered.
  app.use(inboxEndpoints.inboxReply.path, express.json({ limit: ATTACHMENTS_BODY_LIMIT }));
  app.use('/api', express.json({ limit: '256kb' }));
  const authLimiter = rateLimit({
    windowMs: 60_000,
    limit: 60,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new AppError(429, 'too_many_requests', 'Too many sign-in attempts. Wait a minute and try again.')),
  });
  app.use(['/api/auth/login', '/api/auth/mfa', '/api/setup'], authLimiter);

  const documents = new PatientDocuments(store, opts.documentsDir);
  const handlers: Handlers = {
    health: () => ({
      status: 'ok' as const,
      version: opts.appVersion,
      schemaVersion: latestSchemaVersion,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    }),
    ...authHandlers({ store, sessions, signIn, firstRun }),
    ...adminHandlers({ store, users }),
    ...auditHandlers({ store }),
    ...patientHandlers({ store }),
    ...schedulingHandlers({ store }),
    ...eventsHandlers({ store, sessions }),
    ...clinicalHandlers({ store }),
    ...syncHandlers({ store, sync }),
    ...maintenanceHandlers({ store, maintenance: opts.maintenance }),
    ...billingLedgerHandlers({ store }),
    ...billingFeesHandlers({ store }),
    ...claimsHandlers({ store }),
    ...claimsReportHandlers({ store }),
    ...billingDocumentHandlers({ store, documents }),
    ...billingCardHandlers({ store, sync }),
    ...billingGuarantorHandlers({ store }),
    ...telehealthHandlers({ store, sync, sessions }),
    ...portalHandlers({ store, sync, documents }),
    ...inboxHandlers({ store, sync }),
    ...trackingHandlers({ store }),
    ...formHandlers({ store }),
  };
  const router = express.Router();
  registerEndpoints(router, handlers, { store, sessions, launch });
  router.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument(opts.appVersion));
  });
  app.use(router);
  app.use('/api', (_req, _res, next) =>
    next(new AppError(404, 'not_found', 'There is no such API endpoint.')),
  );

  serveRenderer(app, opts.rendererDir);
  app.use(
    errorHandler({
      logger,
      tooLargeMessage: 'That request is too large.',
      internalMessage: (ref) =>
        `Something went wrong on this workstation (reference ${ref}). Nothing was saved.`,
    }),
  );
  return app;
}

function serveRenderer(app: express.Express, rendererDir: string | undefined) {
  const index = rendererDir ? path.join(rendererDir, 'index.html') : null;
  if (rendererDir) app.use(express.static(rendererDir, { index: false, maxAge: 0 }));
  // Client-side routes all load the same page; the API decides what the user may see.
  app.get('/{*path}', (_req, res) => {
    if (index && fs.existsSync(index)) res.sendFile(index);
    else res.status(503).type('text/plain').send('The Tessera screens are not built. Run `npm run build`.');
  });
}

function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // The route pattern, never the URL: paths and query strings can carry identifiers or search text.
      const route = req.route?.path ?? (req.path.startsWith('/api') ? 'unmatched' : 'static');
      logger.info(
        {
          method: req.method,
          route: typeof route === 'string' ? route : 'static',
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - start) / 1e6,
        },
        'request',
      );
    });
    next();
  };
}
