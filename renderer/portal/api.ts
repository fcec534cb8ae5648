import type { z } from 'zod';
import type { ReadActivity } from '../ui/ShowWhenSettled';
import { apiErrorSchema } from '../../server/contracts/common';
import { portalApi, type PortalEndpointName } from '../../server/contracts/portal/endpoints';

/**
 * The portal pages' calls to central (same origin). The session is the httpOnly cookie central sets; the
 * page never sees it. A 401 on a page that needs a session sends the patient to sign-in with where to
 * come back to, as a page visit without a session would.
 */
type Api = typeof portalApi;
type ResponseOf<N extends PortalEndpointName> = z.infer<Api[N]['response']>;
type BodyOf<N extends PortalEndpointName> = Api[N] extends { body: z.ZodType }
  ? z.input<Api[N]['body']>
  : undefined;

export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function loginUrl(reason: 'no_session' | 'idle' | 'signed_out'): string {
  const here = window.location.pathname + window.location.search;
  return `/portal/login?redirect=${encodeURIComponent(here)}&reason=${reason}`;
}

/**
 * The portal's reads under way (its GET calls), for pages made of sections that each load their own data:
 * `SettledGate` shows them together once nothing is loading, so no button moves under a patient's finger.
 */
let readsInFlight = 0;
const readListeners = new Set<() => void>();
function readsChanged(by: number) {
  readsInFlight += by;
  for (const listener of readListeners) listener();
}
export const portalReads: ReadActivity = {
  busy: () => readsInFlight > 0,
  subscribe: (listener) => {
    readListeners.add(listener);
    return () => readListeners.delete(listener);
  },
};

export async function portal<N extends PortalEndpointName>(
  name: N,
  options: { body?: BodyOf<N>; params?: Record<string, string> } = {},
): Promise<ResponseOf<N>> {
  if (portalApi[name].method !== 'GET') return call(name, options);
  readsChanged(1);
  try {
    return await call(name, options);
  } finally {
    readsChanged(-1);
  }
}

async function call<N extends PortalEndpointName>(
  name: N,
  options: { body?: BodyOf<N>; params?: Record<string, string> },
): Promise<ResponseOf<N>> {
  const e = portalApi[name];
  let path: string = e.path;
  for (const [k, v] of Object.entries(options.params ?? {}))
    path = path.replace(`:${k}`, encodeURIComponent(v));
  let res: Response;
  try {
    res = await fetch(path, {
      method: e.method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {
        Accept: 'application/json',
        ...(e.method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
      },
      body: e.method === 'POST' ? JSON.stringify(options.body ?? {}) : undefined,
    });
  } catch {
    throw new PortalError(0, 'offline', 'offline');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    const err = parsed.success
      ? new PortalError(
          res.status,
          parsed.data.error.code,
          parsed.data.error.message,
          parsed.data.error.fields ?? {},
        )
      : new PortalError(res.status, 'unknown', 'unknown');
    if (res.status === 401 && e.access === 'patient') window.location.assign(loginUrl('no_session'));
    throw err;
  }
  return json as ResponseOf<N>;
}

/** Only a portal page of this site may be the place to return to after sign-in (no open redirect). */
export function safeRedirect(raw: string | null): string {
  if (!raw || !raw.startsWith('/portal/') || raw.startsWith('//') || raw.includes('\\')) return '/portal/';
  if (raw.startsWith('/portal/login') || raw.startsWith('/portal/setup')) return '/portal/';
  return raw;
}
