import type { Store } from '../../db/store';
import type { Sessions } from '../../services/auth/sessions';
import type { Handlers } from '../context';
import { readCookie, SESSION_COOKIE } from '../middleware/launch';

export interface EventsOptions {
  /** How often the stream sends a comment line (keeps proxies and the browser from giving up on it). */
  heartbeatMs?: number;
  /** Changes arriving within this window go out as one event. */
  coalesceMs?: number;
}

/**
 * GET /api/events: server-sent events telling the screens which tables changed after each committed write
 * (`event: change`, `data: {"topics":["appointments",…]}`), so they refetch without a manual reload. Topics
 * are table names only; the audit log is left out (every read writes to it). The stream never counts as
 * activity (register.ts resolves its session without touching it), re-checks the session before each event
 * and heartbeat, and ends with `event: end` when the session has ended (sign-out, lock, idle time-out).
 */
export function eventsHandlers(
  deps: { store: Store; sessions: Sessions } & EventsOptions,
): Handlers<'events'> {
  const { store, sessions, heartbeatMs = 20_000, coalesceMs = 50 } = deps;
  return {
    events: ({ req, res }) => {
      const token = readCookie(req, SESSION_COOKIE);
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Connection', 'keep-alive');
      res.flushHeaders();
      // Reconnect after a dropped connection, not hammering a server that is restarting.
      res.write('retry: 5000\n\n');

      const pending = new Set<string>();
      let timer: ReturnType<typeof setTimeout> | null = null;
      let closed = false;
      const alive = () => sessions.resolve(token, false).status === 'active';
      const close = (reason: string | null) => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
        if (reason && !res.writableEnded) res.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
        res.end();
      };
      const flush = () => {
        timer = null;
        if (closed) return;
        if (!alive()) return close('session_ended');
        const topics = [...pending].filter((t) => t !== 'audit_log').sort();
        pending.clear();
        if (topics.length) res.write(`event: change\ndata: ${JSON.stringify({ topics })}\n\n`);
      };
      const unsubscribe = store.onChange((tables) => {
        for (const t of tables) pending.add(t);
        timer ??= setTimeout(flush, coalesceMs);
      });
      const heartbeat = setInterval(() => {
        if (!alive()) return close('session_ended');
        res.write(': heartbeat\n\n');
      }, heartbeatMs);
      req.on('close', () => close(null));
    },
  };
}
