import { selfBook, selfBookingOptions, selfBookingSlots } from '../services/portal/self-booking';
import { listRequests, requestAppointment } from '../services/portal/requests';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCookies } from 'cookie';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { z } from 'zod';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { portalCentralEndpoints } from '../../contracts/portal/central-endpoints';
import {
  PORTAL_COOKIE,
  portalApi,
  portalOpenPages,
  portalPages,
  type PortalEndpoint,
  type PortalEndpointName,
} from '../../contracts/portal/endpoints';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validation';
import { callerRow, NO_SESSION, type PortalAccounts, type PortalCaller } from '../services/portal/accounts';
import {
  cancelAppointment,
  joinVideo,
  listAppointments,
  type PortalVideo,
} from '../services/portal/appointments';
import {
  listThreads,
  readsMessages,
  readThread,
  reply,
  startThread,
  UNREAD_SQL,
} from '../services/portal/messages';
import { listQuestionnaires, submitQuestionnaire } from '../services/portal/questionnaires';
import { addTracking, listMedications, listTracking } from '../services/portal/tracking';
import { listAdherence, reportAdherence } from '../services/portal/adherence';
import { listForms, readForm, signConsent, submitIntake } from '../services/portal/forms';
import {
  portalBilling,
  portalReceipt,
  removePortalCard,
  startPortalPayment,
  startPortalSaveCard,
} from '../services/portal/billing';
import type { PaymentsContext } from '../services/payments/cards';
import { PortalDocuments } from '../services/portal/documents';
import {
  downloadFile,
  listUploads,
  staffAttach,
  staffContent,
  uploadDocument,
} from '../services/portal/files';
import type { PortalSettings } from '../services/portal/config';
import { relyingParty } from '../services/portal/passkeys';
import {
  openReminderLink,
  reminderRecord,
  smsReply,
  useReminderLink,
} from '../services/portal/reminder-links';
import { verifyTwilioSignature } from '../services/telehealth/twilio-status';
import { PortalSignIn } from '../services/portal/signin';
import type { Logger } from '../../platform/logging';
import type { CentralHandlers } from './register';
import { originOf } from './telehealth';

/**
 * The portal on central: its API (contracts/portal/endpoints.ts) behind the patient's session cookie
 * (httpOnly, SameSite=Strict, Secure over HTTPS), the staff entries the workstation forwards, and the
 * pages (dist/portal, Vite entry renderer/portal) under /portal with a strict CSP. A page visit without a
 * session is redirected to /portal/login?redirect=…&reason=no_session; an API call without one gets 401.
 */

const BODY_LIMIT = 16 * 1024;

type StaffNames = keyof typeof portalCentralEndpoints;

const origin = (settings: PortalSettings, req: Request) => settings.publicUrl ?? originOf(req);

/** Twilio's inbound webhook wants TwiML back; an empty Response sends no reply. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export function portalStaffHandlers(
  accounts: PortalAccounts,
  readRaw: (req: Request, res: Response) => Promise<Buffer>,
): Pick<CentralHandlers, StaffNames> {
  const documents = new PortalDocuments(accounts);
  const { db, cipher, settings } = accounts.deps;
  return {
    portalSmsInbound: async ({ req, res }) => {
      const fields = Object.fromEntries(new URLSearchParams((await readRaw(req, res)).toString('utf8')));
      // The URL Twilio called is the one configured on the number: the public URL + path.
      const url = `${settings.publicUrl ?? originOf(req)}${req.originalUrl}`;
      const sms = settings.sms;
      if (
        !sms ||
        !verifyTwilioSignature(sms.authToken, String(req.headers['x-twilio-signature']), url, fields)
      )
        throw new AppError(401, 'not_authenticated', 'The Twilio signature of this request is not valid.');
      if (fields.AccountSid === sms.accountSid)
        await smsReply({ db, cipher, now: () => accounts.now() }, fields);
      res.status(200).type('text/xml').send(EMPTY_TWIML);
      return { ok: true as const };
    },
    portalCentralShareDocument: ({ staff, body }) => documents.share(staff, body),
    portalCentralDocuments: ({ staff, query }) => documents.sharedWith(staff, query.patientId),
    portalCentralWithdrawDocument: ({ staff, params, body }) =>
      documents.withdraw(staff, params.id, body.patientId),
    portalCentralFileContent: ({ staff, params, query }) =>
      staffContent(accounts, staff, params.id, query.patientId),
    portalCentralAttach: ({ staff, body }) => staffAttach(accounts, staff, body),
    portalCentralInvite: ({ staff, body, req }) =>
      accounts.invite(staff, body, origin(accounts.deps.settings, req)),
    portalCentralAccess: async ({ staff, query }) => ({
      ...(await accounts.access(staff, query.patientId)),
      ...(await reminderRecord(db, staff.clinicId, query.patientId)),
    }),
    portalCentralRevoke: ({ staff, params }) => accounts.revoke(staff, params.accountId),
  };
}

export const sessionToken = (req: Request): string | null => {
  const header = req.headers.cookie;
  if (!header) return null;
  const v = parseCookies(header)[PORTAL_COOKIE];
  return v && v.length <= 200 ? v : null;
};

function setSession(req: Request, res: Response, token: string, expiresAt: Date) {
  res.cookie(PORTAL_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    expires: expiresAt,
  });
}
const clearSession = (req: Request, res: Response) =>
  res.clearCookie(PORTAL_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });

type Api = typeof portalApi;
type Out<T> = T extends z.ZodType ? z.output<T> : undefined;
type Handlers = {
  [N in PortalEndpointName]: (ctx: {
    body: Api[N] extends { body: infer B } ? Out<B> : undefined;
    params: Api[N] extends { params: infer P } ? Out<P> : undefined;
    caller: PortalCaller | null;
    req: Request;
    res: Response;
  }) => Promise<z.input<Api[N]['response']>>;
};

/** WebAuthn's relying party: the portal's public origin, else the one the browser used (it signs that one). */
const rpOf = (settings: PortalSettings, req: Request) =>
  relyingParty(origin(settings, req), 'Patient portal');

const STEP_UP_REQUIRED = () =>
  new AppError(
    403,
    'step_up_required',
    'For your safety, confirm it is you with the code from your authenticator app or your passkey first.',
  );

export function mountPortal(
  app: express.Express,
  accounts: PortalAccounts,
  opts: {
    entryPerMinute: number;
    log?: Logger;
    /** Card payments (central's Stripe port) and the publishable key Stripe.js gets on the billing page. */
    payments: PaymentsContext;
    stripePublishableKey: string | null;
    /** Central's video service ("Join video visit"), null when telehealth is not configured. */
    video: PortalVideo;
  },
): void {
  const settings = accounts.deps.settings;
  const billing = { accounts, payments: opts.payments, publishableKey: opts.stripePublishableKey };
  const documents = new PortalDocuments(accounts);
  const signin = new PortalSignIn(accounts, opts.log ?? null);
  const reminderLinks = { db: accounts.deps.db, cipher: accounts.deps.cipher, now: () => accounts.now() };
  const json = express.json({ limit: BODY_LIMIT });
  const entryLimit = rateLimit({
    windowMs: 60_000,
    limit: opts.entryPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(
        new AppError(
          429,
          'too_many_requests',
          'Too many attempts from this device. Wait a minute and try again.',
        ),
      ),
  });

  const handlers: Handlers = {
    portalSetupBegin: ({ body }) => accounts.setupBegin(body.token),
    portalSetupPasskeyOptions: async ({ body, req }) => ({
      options: await accounts.setupPasskeyOptions(body.token, rpOf(settings, req)),
    }),
    portalSetupComplete: async ({ body, req, res }) => {
      const s = await accounts.setupComplete(
        body.token,
        body.password,
        body.passkey ? { passkey: body.passkey, rp: rpOf(settings, req) } : { code: body.code! },
      );
      setSession(req, res, s.token, s.expiresAt);
      return { ok: true as const };
    },
    portalSignIn: async ({ body, req, res }) => {
      const s = await accounts.signIn(body.email, body.password, body.code);
      setSession(req, res, s.token, s.expiresAt);
      return { ok: true as const };
    },
    portalPasskeyChallenge: async ({ req }) => ({
      options: await accounts.ceremonies.authenticationOptions(rpOf(settings, req)),
    }),
    portalPasskeySignIn: async ({ body, req, res }) => {
      const s = await accounts.signInWithPasskey(
        body.email,
        body.password,
        body.passkey,
        rpOf(settings, req),
      );
      setSession(req, res, s.token, s.expiresAt);
      return { ok: true as const };
    },
    portalSignInLinkRequest: ({ body }) => signin.requestLink(body.email),
    portalSignInWithLink: async ({ body, req, res }) => {
      const s = await signin.signInWithLink(body.token);
      setSession(req, res, s.token, s.expiresAt);
      return { ok: true as const };
    },
    portalStepUp: async ({ caller, body, req }) => {
      await accounts.stepUp(
        caller!,
        'code' in body ? { code: body.code } : { passkey: body.passkey, rp: rpOf(settings, req) },
      );
      return { ok: true as const };
    },
    portalSecondFactors: ({ caller }) => signin.factors(caller!),
    portalPasskeyAddOptions: async ({ caller, req }) => ({
      options: await signin.addOptions(caller!, rpOf(settings, req)),
    }),
    portalPasskeyAdd: ({ caller, body, req }) =>
      signin.add(caller!, body.passkey, body.name, rpOf(settings, req)),
    portalPasskeyRemove: async ({ caller, params }) => {
      await signin.remove(caller!, params.id);
      return { ok: true as const };
    },
    portalSignOut: async ({ caller, req, res }) => {
      await accounts.signOut(caller!);
      clearSession(req, res);
      return { ok: true as const };
    },
    portalMe: ({ caller }) => me(accounts, caller!),
    portalAppointments: ({ caller }) => listAppointments(accounts, caller!, opts.video),
    portalCancelAppointment: ({ caller, params, body }) =>
      cancelAppointment(accounts, caller!, params.id, body.reason, opts.video),
    portalJoinVideo: ({ caller, params, req }) =>
      joinVideo(accounts, caller!, params.id, opts.video, originOf(req)),
    portalAppointmentRequests: ({ caller }) => listRequests(accounts, caller!),
    portalRequestAppointment: ({ caller, body }) => requestAppointment(accounts, caller!, body),
    portalSelfBookingOptions: ({ caller }) => selfBookingOptions(accounts, caller!),
    portalSelfBookingSlots: ({ caller, params }) =>
      selfBookingSlots(accounts, caller!, params.typeId, params.providerId),
    portalSelfBook: ({ caller, body }) => selfBook(accounts, caller!, body, opts.video),
    portalActivity: ({ caller }) => activity(accounts, caller!),
    portalThreads: ({ caller }) => listThreads(accounts, caller!),
    portalStartThread: ({ caller, body }) =>
      startThread(accounts, caller!, body.subject, body.body, body.attachments),
    portalThread: ({ caller, params }) => readThread(accounts, caller!, params.threadId),
    portalReply: ({ caller, params, body }) =>
      reply(accounts, caller!, params.threadId, body.body, body.attachments),
    portalQuestionnaires: ({ caller }) => listQuestionnaires(accounts, caller!),
    portalSubmitQuestionnaire: ({ caller, params, body }) =>
      submitQuestionnaire(accounts, caller!, params.id, body.answers),
    portalTracking: ({ caller }) => listTracking(accounts, caller!),
    portalAddTracking: ({ caller, body }) => addTracking(accounts, caller!, body),
    portalMedications: ({ caller }) => listMedications(accounts, caller!),
    portalAdherence: ({ caller }) => listAdherence(accounts, caller!),
    portalReportAdherence: ({ caller, body }) => reportAdherence(accounts, caller!, body),
    portalForms: ({ caller }) => listForms(accounts, caller!),
    portalForm: ({ caller, params }) => readForm(accounts, caller!, params.id),
    portalSubmitIntake: ({ caller, params, body }) => submitIntake(accounts, caller!, params.id, body),
    portalSignConsent: ({ caller, params, body, req }) =>
      signConsent(accounts, caller!, params.id, body, req.ip ?? null),
    portalBilling: ({ caller }) => portalBilling(billing, caller!),
    portalPay: ({ caller, body }) => startPortalPayment(billing, caller!, body),
    portalReceipt: ({ caller, params }) => portalReceipt(billing, caller!, params.id),
    portalSaveCard: ({ caller, body }) => startPortalSaveCard(billing, caller!, body),
    portalDocuments: ({ caller }) => documents.list(caller!),
    portalDocumentDownload: ({ caller, params }) => documents.download(caller!, params.id),
    portalReminderLink: ({ body }) => openReminderLink(reminderLinks, body.token),
    portalReminderLinkUse: ({ body }) => useReminderLink(reminderLinks, body.token),
    portalUploads: ({ caller }) => listUploads(accounts, caller!),
    portalUpload: ({ caller, body }) => uploadDocument(accounts, caller!, body),
    portalFileDownload: ({ caller, params }) => downloadFile(accounts, caller!, params.id),
    portalRemoveCard: async ({ caller, params }) => {
      await removePortalCard(billing, caller!, params.id);
      return { ok: true as const };
    },
  };

  const api = express.Router();
  for (const name of Object.keys(portalApi) as PortalEndpointName[]) {
    const e: PortalEndpoint = portalApi[name];
    const method = e.method.toLowerCase() as 'get' | 'post';
    const chain = e.access === 'entry' ? [entryLimit] : [];
    const parse = e.bodyLimit ? express.json({ limit: e.bodyLimit }) : json;
    api[method](e.path, ...chain, async (req: Request, res: Response, next: NextFunction) => {
      try {
        if (e.method === 'POST') sameOrigin(req);
        const handler = handlers[name] as (ctx: unknown) => Promise<unknown>;
        if (e.access === 'patient' && e.method === 'GET' && JOINED_READS.has(name)) {
          // A page's read: the session and the handler's queries share one transaction.
          let resolved = false;
          const result = await accounts
            .withSession(sessionToken(req), async (caller) => {
              resolved = true;
              if (e.stepUp && !caller.secondFactor) throw STEP_UP_REQUIRED();
              return handler({
                body: undefined,
                params: e.params ? parseInput(e.params, req.params) : undefined,
                caller,
                req,
                res,
              });
            })
            .catch((err: unknown) => {
              if (!resolved && sessionToken(req)) clearSession(req, res);
              throw err;
            });
          res.status(200).json(e.response.parse(result));
          return;
        }
        let caller: PortalCaller | null = null;
        if (e.access === 'patient') {
          try {
            caller = await accounts.resolve(sessionToken(req));
          } catch (err) {
            if (sessionToken(req)) clearSession(req, res);
            throw err;
          }
          if (e.stepUp && !caller.secondFactor) throw STEP_UP_REQUIRED();
        }
        if (e.body)
          await new Promise<void>((ok, fail) => parse(req, res, (err?: unknown) => (err ? fail(err) : ok())));
        const result = await handler({
          body: e.body ? parseInput(e.body, req.body ?? {}) : undefined,
          params: e.params ? parseInput(e.params, req.params) : undefined,
          caller,
          req,
          res,
        });
        res.status(200).json(e.response.parse(result));
      } catch (err) {
        next(err);
      }
    });
  }
  app.use(api);
  mountPortalPages(app, accounts, settings);
}

/**
 * The page reads whose handler runs only in the request's transaction (accounts.tx): for these the session
 * is resolved in that same transaction. Handlers that open transactions of their own (billing, receipts,
 * downloads) are not listed: a request would then hold two pool connections at once.
 */
const JOINED_READS = new Set<PortalEndpointName>([
  'portalMe',
  'portalAppointments',
  'portalActivity',
  'portalSecondFactors',
]);

/** A state-changing call from another site is refused (SameSite=Strict already keeps the cookie off it). */
function sameOrigin(req: Request) {
  const o = req.headers.origin;
  if (o === undefined) return;
  const host = req.get('host');
  let ok = false;
  try {
    ok = new URL(o).host === host;
  } catch {
    ok = false;
  }
  if (!ok) throw new AppError(403, 'forbidden', 'This request must come from the portal’s own pages.');
}

/** Who is signed in, for every page's header: one query (patient, clinic and unread count), not three. */
async function me(accounts: PortalAccounts, caller: PortalCaller) {
  return accounts.tx(caller.clinicId, async (tx) => {
    const r = await tx.query<{
      data: { firstNameToUse?: string | null; legalFirstName?: string } | null;
      clinic: string | null;
      unread: string | null;
    }>(
      `SELECT (SELECT data FROM replica_rows
                WHERE clinic_id = $1 AND table_name = 'patients' AND row_id = $2) AS data,
              (SELECT name FROM clinics WHERE id = $1) AS clinic,
              CASE WHEN $3 THEN (${UNREAD_SQL}) END AS unread`,
      [caller.clinicId, caller.patientId, readsMessages(caller)],
    );
    const row = r.rows[0];
    const d = row?.data;
    return {
      firstName: d?.firstNameToUse || d?.legalFirstName || '',
      clinicName: row?.clinic ?? '',
      kind: caller.kind,
      proxyName: caller.proxyName,
      scope: caller.scope,
      idleMinutes: accounts.deps.settings.idleMinutes,
      secondFactor: caller.secondFactor,
      unreadMessages: Number(row?.unread ?? 0),
    };
  });
}

async function activity(accounts: PortalAccounts, caller: PortalCaller) {
  return accounts.tx(caller.clinicId, async (tx) => {
    const r = await tx.query<{ action: string; outcome: 'ok' | 'refused'; at: Date }>(
      `SELECT action, outcome, at FROM portal_activity WHERE clinic_id = $1 AND account_id = $2
        ORDER BY at DESC, id DESC LIMIT 100`,
      [caller.clinicId, caller.accountId],
    );
    await accounts.record(tx, callerRow(caller), 'activity.read');
    return { entries: r.rows.map((x) => ({ action: x.action, outcome: x.outcome, at: x.at.toISOString() })) };
  });
}

/**
 * The pages: static files from dist/portal (assets, manifest, service worker) and the app shell for each
 * page path. Pages other than sign-in and set-up need a session; without one the visit is redirected to
 * sign-in with where to come back to and why.
 */
function mountPortalPages(app: express.Express, accounts: PortalAccounts, settings: PortalSettings) {
  const csp = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        // Stripe.js and its Payment Element frame (the billing page); card numbers go to Stripe only.
        scriptSrc: ["'self'", 'https://js.stripe.com'],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", 'https://api.stripe.com'],
        frameSrc: ['https://js.stripe.com', 'https://hooks.stripe.com'],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  const dir = settings.pageDir;
  const index = path.join(dir, 'index.html');
  const page = express.Router();
  page.use(csp);
  page.use((_req, res, next) => {
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), display-capture=()');
    next();
  });
  const shell = (res: Response) => {
    if (!fs.existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send(
          'The patient portal is not installed on this server yet (run the build). Please contact the clinic.',
        );
      return;
    }
    res.sendFile(index);
  };
  const open = new Set<string>(portalOpenPages);
  const guarded = new Set<string>(portalPages);
  page.use(async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const full = req.originalUrl.split('?')[0]!;
    if (full === '/portal') return res.redirect(302, '/portal/');
    if (open.has(full)) return shell(res);
    if (!guarded.has(full)) return next();
    try {
      await accounts.resolve(sessionToken(req));
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== NO_SESSION().code) return next(err);
      const back = full + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '');
      return res.redirect(302, `/portal/login?redirect=${encodeURIComponent(back)}&reason=no_session`);
    }
    return shell(res);
  });
  page.use(express.static(dir, { index: false, fallthrough: true, maxAge: 0 }));
  app.use('/portal', page);
}
