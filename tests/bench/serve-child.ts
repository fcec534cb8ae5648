/**
 * A workstation server in its own process for the benchmarks, as in the app (the screens run in another
 * process). Serves an existing database, encrypted (key on stdin) or, for the comparison only, not.
 * Prints the origin once listening. Usage: node --import tsx serve-child.ts FILE LAUNCH_TOKEN [--plain]
 */
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../../server/workstation/db/open';
import { Store } from '../../server/workstation/db/store';
import { createApp } from '../../server/workstation/http/app';
import { LaunchGate } from '../../server/workstation/http/middleware/launch';
import { createLogger } from '../../server/platform/logging';

const [file, launchToken, mode] = process.argv.slice(2);
const chunks: Buffer[] = [];
if (mode !== '--plain') for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const keyHex = mode === '--plain' ? null : Buffer.concat(chunks).toString('utf8').trim();
const db = openDatabase(file!, keyHex, keyHex ? {} : { unencrypted: true });
const launch = new LaunchGate(launchToken);
let port = 0;
const app = createApp({
  store: new Store(db),
  logger: createLogger('tessera-workstation', undefined, 'silent'),
  launch,
  port: () => port,
  appVersion: 'bench',
});
const server = app.listen(0, '127.0.0.1', () => {
  port = (server.address() as AddressInfo).port;
  console.log(`listening http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  db.close();
  process.exit(0);
});
