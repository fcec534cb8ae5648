import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import { parse as parseCookies } from 'cookie';
import { CONSOLE_COOKIE } from '../../contracts/central/console';
import type { ColumnCipher } from '../crypto';
import type { CentralDb } from '../db/pool';
import { AppError } from '../../platform/errors';
import { sha256 } from '../../platform/secrets';
import { signInAdmin, signOutAdmin, type SignInThrottle } from '../services/admins';
import { adminTenant } from '../services/clinics';
import { listCodeSets } from '../services/code-sets';
import { listAdminAudit } from '../services/console/audit';
import { healthReport } from '../services/console/health';
import type { RecentRequests } from '../services/console/recent-requests';
import { listWorkstations } from '../services/console/workstations';
import { resetStaffPassword } from '../services/staff';
import type { CentralHandlers } from './register';

/**
 * The central console's server side: its session cookie, its catalogue entries
 * (contracts/central/console-endpoints.ts) and its pages (dist/console, base /console/).
 *
 * Session: the same administrator sessions as the bearer API (admin_sessions), but the token travels only
 * in an httpOnly, SameSite=Strict cookie the page's scripts cannot read. Cross-site requests are refused as
 * on the workstation: SameSite=Strict keeps the cookie off them, and a state-changing request authenticated
 * by the cookie must carry an Origin equal to central's own (register.ts, `sameOrigin`).
 */

type Names =
  | 'consoleSignIn'
  | 'consoleSession'
  | 'consoleSignOut'
  | 'consoleDevices'
  | 'resetStaffPassword'
  | 'listCodeSets'
  | 'centralHealthReport'
  | 'listAdminAudit';

export function consoleToken(req: Request): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  const value = parseCookies(header)[CONSOLE_COOKIE];
  return value && value.length <= 200 ? value : null;
}

const cookieOptions = (req: Request) =>
  ({ httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' }) as const;

/** The Origin a page served by this central sends (the address the browser used to reach it). */
export function sameOrigin(req: Request): boolean {
  const origin = req.headers.origin;
  return typeof origin === 'string' && origin === `${req.protocol}://${req.get('host') ?? ''}`;
}

export function consoleHandlers(deps: {
  db: CentralDb;
  cipher: ColumnCipher;
  throttle: SignInThrottle;
  onRefused: () => void;
  live: { readonly listening: boolean; readonly connections: number };
  recent: RecentRequests;
}): Pick<CentralHandlers, Names> {
  const { db, cipher } = deps;
  return {
    consoleSignIn: async ({ body, req, res }) => {
      // A sign-in form posted from another site is refused like any other cross-site write.
      if (!sameOrigin(req))
        throw new AppError(403, 'bad_origin', 'Sign in from the console page of this central server.');
      const session = await signInAdmin(db, cipher, body, {
        address: req.ip ?? 'unknown',
        throttle: deps.throttle,
        onRefused: deps.onRefused,
      });
      res.cookie(CONSOLE_COOKIE, session.token, {
        ...cookieOptions(req),
        expires: new Date(session.expiresAt),
      });
      return { admin: session.admin, expiresAt: session.expiresAt };
    },
    consoleSession: async ({ admin }) => {
      const r = await db.tx(
        adminTenant(admin),
        (tx) =>
          tx.query<{ expires_at: Date }>('SELECT expires_at FROM admin_sessions WHERE token_hash = $1', [
            sha256(admin.token),
          ]),
        { readOnly: true },
      );
      return {
        admin: { id: admin.adminId, username: admin.username, orgId: admin.orgId },
        expiresAt: (r.rows[0]?.expires_at ?? new Date()).toISOString(),
      };
    },
    consoleSignOut: async ({ admin, req, res }) => {
      await signOutAdmin(db, admin, admin.token);
      res.clearCookie(CONSOLE_COOKIE, cookieOptions(req));
      return { ok: true as const };
    },
    consoleDevices: ({ admin, params }) => listWorkstations(db, admin, params.clinicId),
    resetStaffPassword: ({ admin, params, body }) =>
      resetStaffPassword(db, cipher, admin, params.clinicId, params.userId, body),
    listCodeSets: async ({ admin, params }) => ({
      releases: await listCodeSets(db, adminTenant(admin), params.orgId),
    }),
    centralHealthReport: ({ admin }) =>
      healthReport(db, admin, { listening: deps.live.listening, connections: deps.live.connections }, deps.recent),
    listAdminAudit: async ({ admin, query }) => ({ entries: await listAdminAudit(db, admin, query) }),
  };
}

/**
 * The console's pages: static files of the console's Vite entry, index.html for every client-side route
 * under /console. Its own strict CSP: everything from central only, no inline code, never framed.
 */
export function mountConsole(router: Router, dir: string | null): void {
  const csp = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const index = dir ? path.join(dir, 'index.html') : null;
  const page = express.Router();
  page.use(csp);
  if (dir) page.use(express.static(dir, { index: false, fallthrough: true, maxAge: 0 }));
  // Middleware, not routes: the pages are not API endpoints (the catalogue's route walk stays exact).
  page.use((req: Request, res: Response, next) => {
    if (req.method !== 'GET' || path.extname(req.path)) return next();
    if (!index || !fs.existsSync(index)) {
      res.status(503).type('text/plain').send('The console is not installed on this server (run the build).');
      return;
    }
    res.sendFile(index);
  });
  router.use('/console', page);
}
