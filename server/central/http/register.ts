import type { NextFunction, Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { Permission, Role } from '../../contracts/admin/permissions';
import {
  centralApi,
  STAFF_USER_HEADER,
  type CentralApi,
  type CentralEndpoint,
  type CentralEndpointName,
} from '../../contracts/central/endpoints';
import { SYNC_PROTOCOL_VERSION, syncHeaders, workstationSchemaSchema } from '../../contracts/sync';
import type { CentralDb } from '../db/pool';
import { AppError } from '../../platform/errors';
import { sameSecret } from '../../platform/secrets';
import { parseInput } from '../../platform/validation';
import { resolveAdminSession, type AdminIdentity } from '../services/admins';
import type { DeviceAuthenticator } from '../services/enrollment';
import type { AdminAuditEntry } from '../services/console/audit';
import { consoleToken, sameOrigin } from './console';
import type { DeviceConcurrency } from './limits';
import type { RefusalCounter } from './refusal-limit';

/**
 * Mounts every entry of central's catalogue with its access rule and zod validation of params, query and
 * body (and of JSON answers). A catalogue entry without a handler stops central at start.
 */

export interface DeviceContext {
  deviceId: string;
  clinicId: string;
  schemaVersion: number;
  /** Central's clock minus the workstation's, from the request's clock header (null when absent). */
  clockSkewMs: number | null;
}

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;
type Api = CentralApi;

export interface CentralRequestContext<N extends CentralEndpointName> {
  body: Api[N] extends { body: infer B } ? Out<B> : undefined;
  query: Api[N] extends { query: infer Q } ? Out<Q> : undefined;
  params: Api[N] extends { params: infer P } ? Out<P> : undefined;
  req: Request;
  res: Response;
  device: Api[N]['access'] extends 'device' | 'staff' ? DeviceContext : null;
  admin: Api[N]['access'] extends 'admin' | 'operator' ? AdminIdentity & { token: string } : null;
  staff: Api[N]['access'] extends 'staff' ? StaffContext : null;
  participant: Api[N]['access'] extends 'participant' ? ParticipantContext : null;
}

/** A staff member a workstation acts for (`staff` access): active in the device's clinic, with the permission. */
export interface StaffContext {
  userId: string;
  clinicId: string;
  fullName: string;
  roles: Role[];
}

/** A patient or guest who joined a telehealth session (`participant` access). */
export interface ParticipantContext {
  participantId: string;
  sessionId: string;
  clinicId: string;
}

/** Resolves the telehealth callers (services/telehealth); absent, those endpoints refuse everyone. */
export interface TelehealthCallers {
  staff(device: DeviceContext, userId: string, permission: Permission | undefined): Promise<StaffContext>;
  participant(credential: string): Promise<ParticipantContext>;
}

type Result<N extends CentralEndpointName> = Api[N]['response'] extends z.ZodType
  ? z.input<Api[N]['response']>
  : void;
export type CentralHandlers = {
  [N in CentralEndpointName]: (ctx: CentralRequestContext<N>) => Result<N> | Promise<Result<N>>;
};

export interface RegisterDeps {
  db: CentralDb;
  devices: DeviceAuthenticator;
  metricsToken: string | null;
  /** Reads and parses the JSON body; called only once the request's credential has been accepted. */
  readBody?: (req: Request, res: Response) => Promise<void>;
  /** Refused credentials per address: past its limit an address's refusals become 429s. */
  refusals?: RefusalCounter;
  /** Requests of one device in flight (live streams are capped apart). */
  concurrency?: DeviceConcurrency;
  telehealth?: TelehealthCallers;
  /** Appends to central's administration audit (every state-changing administrator request, sign-ins). */
  audit?: (entry: AdminAuditEntry) => Promise<void>;
  /** A workstation's report about itself (syncHeaders.status), stored for the console. */
  deviceStatus?: (device: DeviceContext, header: unknown) => void;
}

/** Administrator requests that change something, and every sign-in attempt, are audited. */
const audited = (name: CentralEndpointName, e: CentralEndpoint) =>
  name === 'adminSignIn' ||
  name === 'consoleSignIn' ||
  ((e.access === 'admin' || e.access === 'operator') && e.method !== 'GET');

/** Ids a request names (never names, values or bodies). */
function targetOf(params: Record<string, string>): string | null {
  const keys = ['orgId', 'clinicId', 'deviceId', 'userId', 'version', 'name'];
  const parts = keys.filter((k) => typeof params[k] === 'string').map((k) => `${k}=${params[k]}`);
  return parts.length ? parts.join(' ') : null;
}

export function bearer(req: Request): string | null {
  const h = req.headers.authorization;
  if (!h || !h.startsWith('Bearer ')) return null;
  const token = h.slice(7).trim();
  return token.length > 0 && token.length <= 200 ? token : null;
}

export function registerCentralEndpoints(
  router: Router,
  handlers: CentralHandlers,
  deps: RegisterDeps,
): void {
  const audit = async (
    name: CentralEndpointName,
    req: Request,
    admin: { adminId: string; orgId: string | null; username: string } | null,
    err: unknown,
  ) => {
    if (!deps.audit) return;
    const params = (req.params ?? {}) as Record<string, string>;
    const body = (req.body ?? {}) as { username?: unknown };
    await deps.audit({
      admin,
      username: !admin && typeof body.username === 'string' ? body.username.slice(0, 64) : null,
      action: name,
      clinicId: /^[0-9a-f-]{36}$/i.test(params.clinicId ?? '') ? params.clinicId! : null,
      orgId: /^[0-9a-f-]{36}$/i.test(params.orgId ?? '') ? params.orgId! : null,
      target: targetOf(params),
      outcome:
        err === null
          ? 'ok'
          : err instanceof AppError
            ? `refused ${err.status} ${err.code}`
            : 'failed',
      address: req.ip ?? null,
    });
  };
  for (const name of Object.keys(centralApi) as CentralEndpointName[]) {
    const endpoint: CentralEndpoint = centralApi[name];
    const handler = handlers[name] as (ctx: unknown) => unknown;
    if (typeof handler !== 'function') throw new Error(`No handler for central endpoint ${name}`);
    const method = endpoint.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    router[method](endpoint.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const auth = await authorize(endpoint, req, deps).catch((err: unknown) => {
          throw deps.refusals && isRefusal(err) && deps.refusals.over(req) ? tooManyRefusals() : err;
        });
        if (auth.device && endpoint.response !== 'sse') deps.concurrency?.enter(auth.device.deviceId, res);
        // Only now is the body read: a request without a valid credential is answered before any of it.
        let result: unknown;
        try {
          if (endpoint.body && deps.readBody) await deps.readBody(req, res);
          const ctx = {
            body: endpoint.body ? parseInput(endpoint.body, req.body ?? {}) : undefined,
            query: endpoint.query ? parseInput(endpoint.query, req.query) : undefined,
            params: endpoint.params ? parseInput(endpoint.params, req.params) : undefined,
            req,
            res,
            device: auth.device,
            admin: auth.admin,
            staff: auth.staff ?? null,
            participant: auth.participant ?? null,
          };
          result = await handler(ctx);
        } catch (err) {
          // Refused input is audited too: an administrator's failed attempt is part of the record.
          if (audited(name, endpoint)) await audit(name, req, auth.admin, err);
          throw err;
        }
        if (audited(name, endpoint)) await audit(name, req, auth.admin ?? signedIn(result), null);
        if (typeof endpoint.response !== 'string' && !res.headersSent) {
          res
            .status(endpoint.method === 'POST' && name.startsWith('create') ? 201 : 200)
            .json(endpoint.response.parse(result));
        }
      } catch (err) {
        next(err);
      }
    });
  }
}

async function authorize(
  endpoint: CentralEndpoint,
  req: Request,
  deps: RegisterDeps,
): Promise<{
  device: DeviceContext | null;
  admin: (AdminIdentity & { token: string }) | null;
  staff?: StaffContext;
  participant?: ParticipantContext;
}> {
  const none = { device: null, admin: null };
  switch (endpoint.access) {
    case 'public':
    case 'enrollment':
    case 'join':
      return none;
    case 'stripe':
      // The signature covers the raw body, so the handler verifies it once the body is read.
      if (typeof req.headers['stripe-signature'] !== 'string' || !req.headers['stripe-signature'])
        throw new AppError(401, 'not_authenticated', 'This endpoint accepts only requests signed by Stripe.');
      return none;
    case 'twilio':
      // Like Stripe: the signature covers the URL and the form fields, checked once the body is read.
      if (typeof req.headers['x-twilio-signature'] !== 'string' || !req.headers['x-twilio-signature'])
        throw new AppError(401, 'not_authenticated', 'This endpoint accepts only requests signed by Twilio.');
      return none;
    case 'participant': {
      const token = bearer(req);
      if (!token || !deps.telehealth)
        throw new AppError(
          401,
          'not_authenticated',
          'Open the visit from your link again to join the waiting room.',
        );
      return { ...none, participant: await deps.telehealth.participant(token) };
    }
    case 'staff': {
      const { device } = await authorize({ ...endpoint, access: 'device' }, req, deps);
      const userId = req.headers[STAFF_USER_HEADER];
      if (typeof userId !== 'string' || !/^[0-9a-f-]{36}$/i.test(userId) || !deps.telehealth)
        throw new AppError(401, 'not_authenticated', 'This request must name the signed-in staff member.');
      return {
        device,
        admin: null,
        staff: await deps.telehealth.staff(device!, userId, endpoint.permission),
      };
    }
    case 'metrics': {
      const token = bearer(req);
      if (!deps.metricsToken)
        throw new AppError(404, 'not_found', 'Metrics are not enabled (set TESSERA_CENTRAL_METRICS_TOKEN).');
      if (!token || !sameSecret(token, deps.metricsToken))
        throw new AppError(401, 'not_authenticated', 'A valid metrics token is required.');
      return none;
    }
    case 'device': {
      const protocol = req.headers[syncHeaders.protocol];
      if (protocol !== String(SYNC_PROTOCOL_VERSION)) {
        throw new AppError(
          400,
          'protocol_mismatch',
          'This workstation speaks another version of the sync protocol. Update Tessera.',
        );
      }
      const schemaVersion = workstationSchema(req.headers[syncHeaders.schema]);
      const token = bearer(req);
      if (!token)
        throw new AppError(401, 'not_authenticated', 'This request needs the workstation’s credential.');
      const device = await deps.devices.authenticate(token);
      const clock = Date.parse(String(req.headers[syncHeaders.clock] ?? ''));
      const context = { ...device, schemaVersion, clockSkewMs: Number.isNaN(clock) ? null : Date.now() - clock };
      deps.deviceStatus?.(context, req.headers[syncHeaders.status]);
      return { device: context, admin: null };
    }
    case 'admin':
    case 'operator': {
      // A bearer token (curl, scripts), else the console's session cookie.
      const bearerToken = bearer(req);
      const token = bearerToken ?? consoleToken(req);
      const admin = token ? await resolveAdminSession(deps.db, token) : null;
      if (!admin || !token)
        throw new AppError(401, 'not_authenticated', 'Sign in as a central administrator.');
      // A cookie rides along on any request the browser makes: a change needs our own page's Origin too.
      if (!bearerToken && !['GET', 'HEAD'].includes(req.method) && !sameOrigin(req))
        throw new AppError(403, 'bad_origin', 'This request did not come from the central console.');
      if (endpoint.access === 'operator' && admin.orgId !== null) {
        throw new AppError(
          403,
          'forbidden',
          'Only an operator (an administrator not bound to an organization) may do this.',
        );
      }
      return { device: null, admin: { ...admin, token } };
    }
  }
}

/** The administrator a successful sign-in answered with (sign-ins have no administrator beforehand). */
function signedIn(result: unknown): { adminId: string; orgId: string | null; username: string } | null {
  const a = (result as { admin?: { id?: unknown; orgId?: unknown; username?: unknown } } | null)?.admin;
  return a && typeof a.id === 'string' && typeof a.username === 'string'
    ? { adminId: a.id, orgId: typeof a.orgId === 'string' ? a.orgId : null, username: a.username }
    : null;
}

const isRefusal = (err: unknown) => err instanceof AppError && (err.status === 401 || err.status === 403);

const tooManyRefusals = () =>
  new AppError(429, 'too_many_requests', 'Too many refused requests from this address. Wait a minute.');

/**
 * The workstation's schema version from its header: digits only, and a version this build knows. A higher
 * one is refused (400) rather than believed, so no device can raise what its clinic requires (see hello).
 */
function workstationSchema(header: string | string[] | undefined): number {
  const text = typeof header === 'string' ? header.trim() : '';
  const parsed = /^\d{1,9}$/.test(text) ? workstationSchemaSchema.safeParse(Number(text)) : null;
  if (!parsed) {
    throw new AppError(
      400,
      'invalid_input',
      `The ${syncHeaders.schema} header (the workstation's schema version) is required.`,
    );
  }
  if (!parsed.success) throw new AppError(400, 'schema_unsupported', parsed.error.issues[0]!.message);
  return parsed.data;
}
