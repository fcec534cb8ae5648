import type { z } from 'zod';
import { centralApi, type CentralApi, type CentralEndpointName } from '../../server/contracts/central/endpoints';
import { apiErrorSchema } from '../../server/contracts/common';
import { ApiError } from '../api/client';

/**
 * The console's one way to call central: an entry of central's catalogue by name, with the session cookie
 * (same origin; the browser sends it, scripts never see it). Answers are parsed with the entry's schema.
 * A 401 past sign-in means the session ended: the app goes back to the sign-in screen.
 */

type In<T> = T extends z.ZodType ? z.input<T> : never;
type Out<T> = T extends z.ZodType ? z.output<T> : never;
export type Response<N extends CentralEndpointName> = Out<CentralApi[N]['response']>;
export type Body<N extends CentralEndpointName> = CentralApi[N] extends { body: infer B } ? In<B> : never;

export const SESSION_ENDED = 'tessera-console-session-ended';

export async function central<N extends CentralEndpointName>(
  name: N,
  opts: { params?: Record<string, string>; query?: Record<string, string | number>; body?: Body<N> } = {},
): Promise<Response<N>> {
  const e = centralApi[name];
  const path = e.path.replace(/:([A-Za-z]+)/g, (_, k: string) => {
    const v = opts.params?.[k];
    if (!v) throw new Error(`Missing ${k} for ${e.path}`);
    return encodeURIComponent(v);
  });
  const q = new URLSearchParams(Object.entries(opts.query ?? {}).map(([k, v]) => [k, String(v)]));
  let res: globalThis.Response;
  try {
    res = await fetch(`${path}${q.size ? `?${q}` : ''}`, {
      method: e.method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(opts.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The central server cannot be reached. Check the connection and try again.');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    if (res.status === 401 && name !== 'consoleSignIn') window.dispatchEvent(new Event(SESSION_ENDED));
    throw parsed.success
      ? new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.fields)
      : new ApiError(res.status, `http_${res.status}`, `Central answered ${res.status}. Try again.`);
  }
  const schema = e.response as z.ZodType;
  return schema.parse(json) as Response<N>;
}
