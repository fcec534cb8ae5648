import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DB_FILE_NAME, openDatabase } from '../../server/workstation/db/open';
import { Store } from '../../server/workstation/db/store';
import { createApp } from '../../server/workstation/http/app';
import { LaunchGate } from '../../server/workstation/http/middleware/launch';
import { createLogger } from '../../server/platform/logging';
import type { RunningServer } from '../../server/workstation/start';
import { setUpClinic, signIn, TestClient, TestClock, type TestServer } from '../support/workstation';

/**
 * A workstation server for benchmarks: the real app (routes, guards, audit, outbox) over a database that
 * is either encrypted, as in the product, or plain, so the cost of encryption can be shown as a ratio.
 * The plain variant exists only here: the product's start path (server/workstation/start.ts) always
 * encrypts. The clinic is set up and an administrator signed in through the API.
 */
export interface BenchServer {
  store: Store;
  client: TestClient;
  dataDir: string;
  /** The database key and the administrator's sign-in (seed-cache.ts keeps them with a cached database). */
  keyHex: string;
  creds: { username: string; password: string; totpSecret: string };
  close(): Promise<void>;
}

export async function startBenchServer(opts: {
  encrypted: boolean;
  /** Start from a copy of this (set-up, encrypted) database instead of setting up a new clinic. */
  from?: { dbFile: string; keyHex: string; creds: BenchServer['creds'] };
}): Promise<BenchServer> {
  const dataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), `tessera-bench-${opts.encrypted ? 'enc' : 'plain'}-`),
  );
  const keyHex = opts.from?.keyHex ?? crypto.randomBytes(32).toString('hex');
  if (opts.from) fs.copyFileSync(opts.from.dbFile, path.join(dataDir, DB_FILE_NAME));
  const db = openDatabase(path.join(dataDir, DB_FILE_NAME), opts.encrypted ? keyHex : null, {
    unencrypted: !opts.encrypted,
  });
  const clock = new TestClock();
  const store = new Store(db, clock.now);
  const launch = new LaunchGate();
  let port = 0;
  // Request logs at "warn": a benchmark measures the server, not the terminal.
  const app = createApp({
    store,
    logger: createLogger('tessera-workstation', undefined, 'warn'),
    launch,
    port: () => port,
    appVersion: 'bench',
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const running: RunningServer = {
    port,
    origin,
    store,
    launchUrl: () => `${origin}/launch?token=${launch.mintToken()}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
    },
  };
  const t: TestServer = {
    server: running,
    dataDir,
    keyHex,
    clock,
    logs: [],
    client: () => new TestClient(running),
    stop: running.close,
  };
  const client = await t.client().launch();
  const creds = opts.from?.creds ?? (await setUpClinic(t, client));
  const res = await signIn(t, client, creds.username, creds.password, creds.totpSecret);
  if (res.status !== 200) throw new Error(`bench sign-in failed: ${res.status} ${res.text}`);
  // A long idle time-out: a large seed or a long run must not end the session half-way.
  await client.call('updateSecuritySettings', { body: { idleTimeoutMinutes: 240 } });
  return {
    store,
    client,
    dataDir,
    keyHex,
    creds: { username: creds.username, password: creds.password, totpSecret: creds.totpSecret },
    close: async () => {
      await running.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
