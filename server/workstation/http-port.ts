import http, { type Server } from 'node:http';
import type { Express } from 'express';
import { systemActor, type Store } from './db/store';

/**
 * The loopback port a data folder's server listens on, kept in its database. The browser keys its storage
 * (the encrypted local copy of unsent note text) by origin, and the origin includes the port: a server
 * restarted on a new random port would leave that copy behind, unreachable, exactly when it is needed.
 */
const META_HTTP_PORT = 'http_port';

export function rememberedPort(store: Store): number | null {
  const value = Number(store.getMeta(META_HTTP_PORT));
  return Number.isInteger(value) && value > 0 && value <= 65535 ? value : null;
}

export function rememberPort(store: Store, port: number): void {
  if (rememberedPort(store) === port) return;
  store.write(systemActor, (w) => w.setMeta(META_HTTP_PORT, String(port)));
}

export function listenOnLoopback(app: Express, port: number): Promise<Server> {
  // Not app.listen: Express 5 calls its callback on errors too, so a taken port would look like success.
  return new Promise<Server>((resolve, reject) => {
    const s = http.createServer(app);
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

const portTaken = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';

/**
 * Listen on `requested` when the caller chose a port; otherwise on the port this data folder used last,
 * falling back to a random free one (then remembered) when something else holds it.
 */
export async function listenForDataFolder(
  app: Express,
  store: Store,
  requested: number | undefined,
  onPortTaken: (port: number) => void,
): Promise<Server> {
  if (requested !== undefined) return listenOnLoopback(app, requested);
  const previous = rememberedPort(store);
  let server: Server;
  try {
    server = await listenOnLoopback(app, previous ?? 0);
  } catch (err) {
    if (previous === null || !portTaken(err)) throw err;
    onPortTaken(previous);
    server = await listenOnLoopback(app, 0);
  }
  const address = server.address();
  if (address && typeof address === 'object') rememberPort(store, address.port);
  return server;
}
