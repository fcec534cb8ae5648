import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from './postgres';

/**
 * vitest globalSetup: when DATABASE_URL is not set, one throwaway PostgreSQL serves the whole run. It is
 * started lazily, by the first test file that asks (tests/support/postgres.ts), so runs that need no
 * database pay nothing. Files reach this broker over loopback; the teardown stops the server.
 */
export default async function setup(project: TestProject) {
  let server: Promise<EmbeddedServer> | null = null;
  const broker = http.createServer((req, res) => {
    if (req.url !== '/url') {
      res.writeHead(404).end();
      return;
    }
    server ??= startEmbeddedPostgres();
    server.then(
      (s) => res.writeHead(200, { 'content-type': 'text/plain' }).end(s.url),
      (err: unknown) => res.writeHead(500).end(err instanceof Error ? err.message : String(err)),
    );
  });
  await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', () => resolve()));
  project.provide('tesseraPostgresBroker', `http://127.0.0.1:${(broker.address() as AddressInfo).port}`);
  return async () => {
    broker.close();
    if (server) await (await server.catch(() => null))?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    tesseraPostgresBroker: string;
  }
}
