import type { NextFunction, Request, Response, Router } from 'express';
import { api, type Endpoint, type EndpointName } from '../../contracts/api';
import { hasPermission } from '../../domain/admin/permission-matrix';
import { canonicalInput, MAX_INPUT_DEPTH } from '../../domain/text/canonical-text';
import type { Store } from '../db/store';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/validation';
import { userRoles } from '../services/admin/user-rows';
import type { Sessions } from '../services/auth/sessions';
import type { Handlers, SignedIn } from './context';
import { type LaunchGate, readCookie, SESSION_COOKIE } from './middleware/launch';

/** Requests carrying this header (background refreshes) do not count as the user being active. */
export const BACKGROUND_HEADER = 'x-tessera-background';

export interface RegisterDeps {
  store: Store;
  sessions: Sessions;
  launch: LaunchGate;
}

/**
 * Mount every endpoint of the catalogue with its access rule and input validation. A missing handler
 * stops the server at start rather than leaving an endpoint unguarded or unanswered.
 */
export function registerEndpoints(router: Router, handlers: Handlers, deps: RegisterDeps): void {
  for (const name of Object.keys(api) as EndpointName[]) {
    const endpoint: Endpoint = api[name];
    const handler = handlers[name] as (ctx: unknown) => unknown;
    if (typeof handler !== 'function') throw new Error(`No handler for endpoint ${name}`);
    const method = endpoint.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    router[method](endpoint.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const signedIn = authorize(endpoint, req, deps);
        const ctx = {
          body: endpoint.body ? parseInput(endpoint.body, canonical(req.body ?? {})) : undefined,
          query: endpoint.query ? parseInput(endpoint.query, canonical(req.query)) : undefined,
          params: endpoint.params ? parseInput(endpoint.params, canonical(req.params)) : undefined,
          req,
          res,
          signedIn,
        };
        const result = await handler(ctx);
        // File downloads (csv, pdf, ics) and event streams write the response themselves.
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

function authorize(endpoint: Endpoint, req: Request, deps: RegisterDeps): SignedIn | null {
  if (endpoint.access === 'public') return null;
  if (!deps.launch.isLaunched(req)) {
    throw new AppError(401, 'not_launched', 'Open Tessera from its launch link to use this workstation.');
  }
  const token = readCookie(req, SESSION_COOKIE);
  // An event stream stays open by itself; like a background refresh, it is not the user being active.
  const background = !!req.headers[BACKGROUND_HEADER] || endpoint.response === 'event-stream';
  const resolved = deps.sessions.resolve(token, !background);
  const signedIn: SignedIn | null =
    resolved.status === 'active'
      ? {
          user: resolved.user,
          tokenHash: resolved.tokenHash,
          lastActivityAt: resolved.lastActivityAt,
          actor: { userId: resolved.user.id, username: resolved.user.username },
        }
      : null;
  if (endpoint.access === 'launch') return signedIn;
  if (!signedIn) {
    throw resolved.status === 'expired'
      ? new AppError(401, 'session_expired', 'Your session ended. Sign in again to continue.')
      : new AppError(401, 'not_signed_in', 'Sign in to continue.');
  }
  if (signedIn.user.passwordChangeRequired && !endpoint.beforePasswordChange) {
    // Enforced here, not only by the UI: the administrator's password reaches nothing but its replacement.
    throw new AppError(
      403,
      'password_change_required',
      'Choose a new password before you continue: the one you signed in with was set by an administrator.',
    );
  }
  if (endpoint.access !== 'session' && !hasPermission(userRoles(signedIn.user), endpoint.access)) {
    deps.store.audit(signedIn.actor, {
      action: 'access.denied',
      outcome: 'denied',
      detail: { endpoint: `${endpoint.method} ${endpoint.path}`, permission: endpoint.access },
    });
    throw new AppError(
      403,
      'forbidden',
      'Your role does not allow this. Ask an administrator if you need it.',
    );
  }
  return signedIn;
}

/**
 * Every input in the one stored form (NFC), before validation sees it; lone surrogates and absurd nesting
 * are refused here (domain/text/canonical-text.ts says why). Central does not re-normalise what it is
 * pushed: replicated audit rows must keep the exact text their hashes cover.
 */
function canonical(value: unknown): unknown {
  const result = canonicalInput(value);
  if ('value' in result) return result.value;
  const { kind, path } = result.problem;
  const message =
    kind === 'ill_formed'
      ? 'This text contains a broken character (an unpaired surrogate). Type it again.'
      : `The request is nested more than ${MAX_INPUT_DEPTH} levels deep.`;
  throw new AppError(400, kind === 'ill_formed' ? 'invalid_text' : 'too_deep', message, { [path]: message });
}
