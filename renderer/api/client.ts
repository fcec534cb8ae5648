import type { z } from 'zod';
import {
  api,
  type BodyOf,
  type EndpointName,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from '../../server/contracts/api';
import { apiErrorSchema } from '../../server/contracts/common';

/**
 * The one way the renderer talks to the workstation server: call an endpoint of the contract catalogue by
 * name. Params, query and body are typed from the catalogue, and the answer is parsed with the endpoint's
 * response schema, so a server that drifts from the contract fails loudly here rather than deep in a screen.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Field name (dotted path for nested fields) -> message, for showing next to form fields. */
  readonly fields: Record<string, string>;

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

type Slot<K extends string, T> = [T] extends [undefined] ? { [P in K]?: undefined } : { [P in K]: T };

export type CallOptions<N extends EndpointName> = Slot<'params', ParamsOf<N>> &
  Slot<'body', BodyOf<N>> & {
    // Every query field has a default or is optional, so the query object itself is optional.
    query?: QueryOf<N>;
    signal?: AbortSignal;
    /** A refresh the screen makes by itself (live updates): does not count as the user being active. */
    background?: boolean;
  };

type OptionalIfEmpty<N extends EndpointName> = [ParamsOf<N>, BodyOf<N>] extends [undefined, undefined]
  ? [options?: CallOptions<N>]
  : [options: CallOptions<N>];

/**
 * Called when an endpoint that needs a staff session answers 401: the server session ended (idle time-out
 * on the server, the laptop slept, the server restarted). The app shows the lock screen instead of
 * navigating away, so whatever is on screen survives.
 */
let onSessionLost: (() => void) | null = null;
export function setSessionLostHandler(handler: (() => void) | null): void {
  onSessionLost = handler;
}

/** Fill `:name` segments of an endpoint path; values are URL-encoded. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') {
      throw new Error(`Missing path parameter "${name}" for ${path}`);
    }
    return encodeURIComponent(String(value));
  });
}

/** Query string without empty values, so filters the user left blank are not sent. */
export function toQueryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The URL of an endpoint, e.g. for a download link (CSV export) that the browser fetches itself. */
export function endpointUrl<N extends EndpointName>(
  name: N,
  options: { params?: ParamsOf<N>; query?: QueryOf<N> } = {},
): string {
  const endpoint = api[name];
  return (
    fillPath(endpoint.path, options.params as Record<string, unknown> | undefined) +
    toQueryString(options.query as Record<string, unknown> | undefined)
  );
}

export async function call<N extends EndpointName>(
  name: N,
  ...[options]: OptionalIfEmpty<N>
): Promise<ResponseOf<N>> {
  const endpoint = api[name];
  const opts = (options ?? {}) as {
    params?: Record<string, unknown>;
    query?: Record<string, unknown>;
    body?: unknown;
    signal?: AbortSignal;
    background?: boolean;
  };
  const url = fillPath(endpoint.path, opts.params) + toQueryString(opts.query);
  const hasBody = opts.body !== undefined;

  let response: Response;
  try {
    response = await fetch(url, {
      method: endpoint.method,
      credentials: 'same-origin',
      headers: {
        Accept: endpoint.response === 'csv' ? 'text/csv' : 'application/json',
        ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
        // The server's rule (register.ts BACKGROUND_HEADER): such requests leave the idle time-out alone.
        ...(opts.background ? { 'X-Tessera-Background': '1' } : {}),
      },
      body: hasBody ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(
      0,
      'network',
      'The workstation service did not answer. Check that Tessera is still running, then try again.',
    );
  }

  if (!response.ok) {
    const error = await readError(response);
    const needsSession = endpoint.access !== 'public' && endpoint.access !== 'launch';
    if (response.status === 401 && needsSession) onSessionLost?.();
    throw error;
  }

  if (endpoint.response === 'csv') return (await response.text()) as ResponseOf<N>;

  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ApiError(response.status, 'bad_response', 'The workstation service sent an unreadable answer.');
  }
  const parsed = (endpoint.response as z.ZodType).safeParse(json);
  if (!parsed.success) {
    console.error(`Response of ${name} does not match its contract`, parsed.error.issues);
    throw new ApiError(response.status, 'bad_response', 'The workstation service sent an unexpected answer.');
  }
  return parsed.data as ResponseOf<N>;
}

async function readError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy error page, an empty body): fall through to a generic message.
  }
  const parsed = apiErrorSchema.safeParse(body);
  if (parsed.success) {
    const { code, message, fields } = parsed.data.error;
    return new ApiError(response.status, code, message, fields ?? {});
  }
  return new ApiError(response.status, `http_${response.status}`, genericMessage(response.status));
}

function genericMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Sign in again to continue.';
  if (status === 403) return 'You do not have permission to do that.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Wait a moment and try again.';
  if (status >= 500)
    return 'The workstation service had a problem. Try again; if it keeps happening, call IT.';
  return `The request failed (HTTP ${status}).`;
}

export function isApiError(err: unknown, status?: number): err is ApiError {
  return err instanceof ApiError && (status === undefined || err.status === status);
}

/** A sentence for an alert region, for any error a screen may meet. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong. Try again.';
}
