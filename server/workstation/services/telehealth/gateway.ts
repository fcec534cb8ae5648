import type { Response as ExpressResponse } from 'express';
import { apiErrorSchema } from '../../../contracts/common';
import { STAFF_USER_HEADER } from '../../../contracts/central/endpoints';
import { SYNC_PROTOCOL_VERSION, syncHeaders } from '../../../contracts/sync';
import { telehealthErrorCodes } from '../../../contracts/telehealth';
import { latestSchemaVersion } from '../../db/migrations';
import type { Store } from '../../db/store';
import { AppError } from '../../../platform/errors';
import { isEnrolled, readSyncState } from '../../sync/state';

/**
 * The workstation's way to central for telehealth: the clinician's renderer never talks to central itself.
 * Each call carries this workstation's device credential and the signed-in staff member's id; central checks
 * both. Central's refusals come back as they are (status, code, sentence); no answer at all becomes the plain
 * "Telehealth needs the central server" (503), and the rest of the app keeps working.
 */

export const OFFLINE_MESSAGE =
  'Telehealth needs the central server, which cannot be reached right now. Everything else keeps working; try again when the connection is back.';
export const NOT_ENROLLED_MESSAGE =
  'Telehealth needs the central server: this workstation is not connected to one. An administrator can connect it in Admin > Sync.';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export class TelehealthGateway {
  readonly #fetch: FetchLike;
  constructor(
    private readonly store: Store,
    opts: { fetch?: FetchLike; timeoutMs?: number } = {},
  ) {
    this.#fetch = opts.fetch ?? ((i, init) => fetch(i, init));
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }
  readonly timeoutMs: number;

  #target(): { baseUrl: string; credential: string } {
    const s = readSyncState(this.store);
    if (!isEnrolled(s)) throw new AppError(409, telehealthErrorCodes.notEnrolled, NOT_ENROLLED_MESSAGE);
    return { baseUrl: s.centralUrl!.replace(/\/+$/, ''), credential: s.credential! };
  }

  #headers(credential: string, userId: string, json: boolean): Record<string, string> {
    return {
      [syncHeaders.protocol]: String(SYNC_PROTOCOL_VERSION),
      [syncHeaders.schema]: String(latestSchemaVersion),
      [syncHeaders.clock]: this.store.nowIso(),
      authorization: `Bearer ${credential}`,
      [STAFF_USER_HEADER]: userId,
      ...(json && { 'content-type': 'application/json' }),
    };
  }

  /** A JSON call to central; central's error answers are rethrown as they are. */
  async call(method: 'GET' | 'POST', path: string, userId: string, body?: unknown): Promise<unknown> {
    const { baseUrl, credential } = this.#target();
    let res: Response;
    try {
      res = await this.#fetch(baseUrl + path, {
        method,
        headers: { ...this.#headers(credential, userId, body !== undefined), accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new AppError(503, telehealthErrorCodes.offline, OFFLINE_MESSAGE);
    }
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw centralError(res.status, json);
    if (json === null) throw new AppError(502, telehealthErrorCodes.offline, OFFLINE_MESSAGE);
    return json;
  }

  /**
   * Relays central's live stream of a session to the renderer (server-sent events, as they come). Ends when
   * either side goes away; a refusal before the stream opens is answered as an error.
   */
  async relay(path: string, userId: string, res: ExpressResponse, closed: AbortSignal): Promise<void> {
    const { baseUrl, credential } = this.#target();
    let upstream: Response;
    try {
      upstream = await this.#fetch(baseUrl + path, {
        headers: { ...this.#headers(credential, userId, false), accept: 'text/event-stream' },
        signal: closed,
      });
    } catch {
      throw new AppError(503, telehealthErrorCodes.offline, OFFLINE_MESSAGE);
    }
    if (!upstream.ok || !upstream.body) {
      throw centralError(upstream.status, await upstream.json().catch(() => null));
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    const reader = upstream.body.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || closed.aborted) break;
        res.write(Buffer.from(value));
      }
    } catch {
      // Central went away or the renderer closed the stream: the renderer reconnects.
    } finally {
      reader.releaseLock();
      if (!res.writableEnded) res.end();
    }
  }
}

function centralError(status: number, json: unknown): AppError {
  const parsed = apiErrorSchema.safeParse(json);
  if (!parsed.success) return new AppError(503, telehealthErrorCodes.offline, OFFLINE_MESSAGE);
  const e = parsed.data.error;
  // Central's own credential problems are this workstation's, not the clinician's: say so plainly.
  if (status === 401 && e.code !== telehealthErrorCodes.participantRetired) {
    return new AppError(
      503,
      telehealthErrorCodes.offline,
      `Telehealth needs the central server, which refused this workstation: ${e.message}`,
    );
  }
  return new AppError(status >= 500 ? 503 : status, e.code, e.message, e.fields);
}
