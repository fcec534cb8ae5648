import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import { type telehealthCentralEndpoints } from '../../contracts/telehealth/central-endpoints';
import { AppError } from '../../platform/errors';
import { sha256 } from '../../platform/secrets';
import { bearer, type CentralHandlers, type TelehealthCallers } from './register';
import type { TelehealthHub } from '../services/telehealth/hub';
import type { TelehealthService } from '../services/telehealth/service';
import type { TelehealthSettings } from '../services/telehealth/config';
import { parseRoomStatus, verifyTwilioSignature } from '../services/telehealth/twilio-status';
import { resolveStaffCaller } from '../services/staff-caller';
import type { CentralDb } from '../db/pool';

type Names = keyof typeof telehealthCentralEndpoints;

const notConfigured = () =>
  new AppError(
    503,
    'telehealth_not_configured',
    'Telehealth is not configured on the central server. Ask your administrator to set it up (docs/telehealth.md).',
  );

/** How the caller reached central: links made for them point there unless a public URL is configured. */
export const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** The telehealth callers for register.ts, or refusals when telehealth is off. */
export function telehealthCallers(service: TelehealthService | null, db: CentralDb): TelehealthCallers {
  return {
    // Staff are resolved the same way whether or not video visits are configured (portal access needs them too).
    staff: (device, userId, permission) => resolveStaffCaller(db, device, userId, permission),
    participant: (credential) =>
      service ? service.participant(credential) : Promise.reject(notConfigured()),
  };
}

/** Telehealth's entries of central's catalogue (contracts/telehealth/central-endpoints.ts). */
export function telehealthCentralHandlers(
  service: TelehealthService | null,
  hub: TelehealthHub | null,
  readRaw: (req: Request, res: Response) => Promise<Buffer>,
): Pick<CentralHandlers, Names> {
  const on = () => {
    if (!service || !hub) throw notConfigured();
    return { service, hub };
  };
  const host = async (clinicId: string, sessionId: string) => on().service.hostId(clinicId, sessionId);
  return {
    telehealthCheckLink: ({ body }) => on().service.checkLink(body.token),
    telehealthJoin: ({ body }) => on().service.join(body.token, body.displayName),
    telehealthLinkPreflight: ({ body }) => on().service.linkPreflight(body.token),
    telehealthParticipantMode: ({ participant, body }) =>
      on().service.changeMode(
        participant.clinicId,
        participant.sessionId,
        { participantId: participant.participantId },
        body.mode,
        body.reason,
      ),
    telehealthTwilioStatus: async ({ params, req, res }) => {
      const { service } = on();
      const authToken = service.deps.settings.twilio?.authToken;
      const fields = Object.fromEntries(new URLSearchParams((await readRaw(req, res)).toString('utf8')));
      // The URL Twilio called is the one central gave it (public URL + path), not what a proxy forwarded.
      const url = `${service.deps.settings.publicUrl ?? originOf(req)}${req.originalUrl}`;
      if (
        !authToken ||
        !verifyTwilioSignature(authToken, String(req.headers['x-twilio-signature']), url, fields)
      )
        throw new AppError(401, 'not_authenticated', 'The Twilio signature of this request is not valid.');
      if (fields.AccountSid !== service.deps.settings.twilio?.accountSid) return { received: true, duplicate: false };
      return service.providerEvent(params.clinicId, parseRoomStatus(fields));
    },
    telehealthParticipantState: ({ participant }) =>
      on().service.snapshot(participant.clinicId, participant.sessionId, participant.participantId),
    telehealthParticipantEvents: ({ participant, req, res }) => {
      const credential = bearer(req)!;
      on().hub.open(req, res, {
        clinicId: participant.clinicId,
        sessionId: participant.sessionId,
        participantId: participant.participantId,
        role: 'patient',
        credentialHash: sha256(credential),
      });
    },
    telehealthParticipantRoomAccess: ({ participant }) =>
      on().service.roomAccess(participant.clinicId, participant.sessionId, participant.participantId),
    telehealthParticipantPreflight: ({ participant }) => on().service.preflight(participant.participantId),
    telehealthParticipantChat: ({ participant, body }) =>
      on().service.chat(participant.clinicId, participant.sessionId, participant.participantId, body.text),
    telehealthParticipantSignal: async ({ participant, body }) => {
      await on().service.signal(participant.clinicId, participant.sessionId, participant.participantId, body);
      return { ok: true as const };
    },
    telehealthParticipantConnection: ({ participant, body }) =>
      on().service.connection(
        participant.clinicId,
        participant.sessionId,
        participant.participantId,
        body.state,
      ),

    telehealthCentralConfig: ({ req }) => on().service.config(originOf(req)),
    telehealthCentralOpenSessions: async ({ staff }) => ({
      sessions: await on().service.openSessions(staff.clinicId),
    }),
    telehealthCentralStart: ({ staff, body }) => on().service.start(staff, body.appointmentId),
    telehealthCentralByAppointment: async ({ staff, params }) => ({
      snapshot: await on().service.byAppointment(staff, params.appointmentId),
    }),
    telehealthCentralSession: ({ staff, params }) => on().service.staffSnapshot(staff, params.sessionId),
    telehealthCentralEvents: async ({ staff, params, req, res }) => {
      const participantId = await host(staff.clinicId, params.sessionId);
      on().hub.open(req, res, {
        clinicId: staff.clinicId,
        sessionId: params.sessionId,
        participantId,
        role: 'host',
        credentialHash: null,
      });
    },
    telehealthCentralLink: ({ staff, params, body, req }) =>
      on().service.createLink(staff, params.sessionId, body, originOf(req)),
    telehealthCentralAdmit: ({ staff, params }) =>
      on().service.decide(staff, params.sessionId, params.participantId, 'admit'),
    telehealthCentralAdmitAll: ({ staff, params }) => on().service.admitAll(staff, params.sessionId),
    telehealthCentralDeny: ({ staff, params, body }) =>
      on().service.decide(staff, params.sessionId, params.participantId, 'deny', body.message),
    telehealthCentralRemove: ({ staff, params }) =>
      on().service.decide(staff, params.sessionId, params.participantId, 'remove'),
    telehealthCentralRoomAccess: async ({ staff, params }) =>
      on().service.roomAccess(staff.clinicId, params.sessionId, await host(staff.clinicId, params.sessionId)),
    telehealthCentralPreflight: ({ staff }) => on().service.preflight(`staff-${staff.userId}`),
    telehealthCentralChat: async ({ staff, params, body }) =>
      on().service.chat(
        staff.clinicId,
        params.sessionId,
        await host(staff.clinicId, params.sessionId),
        body.text,
      ),
    telehealthCentralSignal: async ({ staff, params, body }) => {
      await on().service.signal(
        staff.clinicId,
        params.sessionId,
        await host(staff.clinicId, params.sessionId),
        body,
      );
      return { ok: true as const };
    },
    telehealthCentralConnection: async ({ staff, params, body }) =>
      on().service.connection(
        staff.clinicId,
        params.sessionId,
        await host(staff.clinicId, params.sessionId),
        body.state,
        body.reason,
      ),
    telehealthCentralLocation: ({ staff, params, body }) =>
      on().service.confirmLocation(staff, params.sessionId, body.location, body.atHome),
    telehealthCentralMode: ({ staff, params, body }) =>
      on().service.changeMode(staff.clinicId, params.sessionId, { userId: staff.userId }, body.mode, body.reason),
    telehealthCentralAudioOnly: ({ staff, params, body }) =>
      on().service.audioOnly(staff, params.sessionId, body.reason),
    telehealthCentralEnd: ({ staff, params }) => on().service.end(staff, params.sessionId),
  };
}

/**
 * The patient's join page: static files built by the telehealth Vite entry into dist/telehealth/ (base
 * `/telehealth/`), index.html for `/telehealth/join`. Its own strict CSP: scripts, styles and fonts from
 * central only, no inline code, camera and microphone streams as blob:/mediastream:, connections to central
 * (and to Twilio's signaling and media services when Twilio is the provider), never framed.
 */
export function mountJoinPage(router: Router, settings: TelehealthSettings | null | undefined): void {
  const connect = ["'self'"];
  if (settings?.provider === 'twilio') connect.push('https://*.twilio.com', 'wss://*.twilio.com');
  const csp = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:', 'mediastream:'],
        fontSrc: ["'self'"],
        connectSrc: connect,
        workerSrc: ["'self'", 'blob:'],
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
  const dir = settings?.pageDir ?? null;
  const index = dir ? path.join(dir, 'index.html') : null;
  const page = express.Router();
  page.use(csp);
  page.use((_req, res, next) => {
    res.setHeader(
      'Permissions-Policy',
      'camera=(self), microphone=(self), display-capture=(), geolocation=()',
    );
    next();
  });
  // Middleware, not a route: the page is not an API endpoint (the catalogue's route walk stays exact).
  page.use((req, res, next) => {
    if (req.method !== 'GET' || (req.path !== '/join' && req.path !== '/join/')) return next();
    if (!settings) {
      res.status(404).type('text/plain').send('Video visits are not offered by this clinic’s server.');
      return;
    }
    if (!index || !fs.existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send(
          'The video visit page is not installed on this server yet (run the build). Please contact the clinic.',
        );
      return;
    }
    res.sendFile(index);
  });
  if (dir) page.use(express.static(dir, { index: false, fallthrough: true, maxAge: 0 }));
  router.use('/telehealth', page);
}
