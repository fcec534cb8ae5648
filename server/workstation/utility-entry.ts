import { serverStartMessageSchema, type ServerEvent } from '../contracts/desktop';
import { createServedLogger } from './log-file';
import { serveWorkstation } from './restartable';
import { updateFeedOf } from './sync/update-feed';

/**
 * Entry when Electron main runs the workstation server in a utilityProcess. Main sends one `start`
 * message (the database key travels this way, never through argv or the environment) and waits for
 * `ready` or `fatal`. This file must not import electron: the parent port is typed locally.
 */
interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: ServerEvent): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('utility-entry runs only inside Electron; use `tessera serve` for headless mode.');
  process.exit(2);
}

/** How often enrollment is looked at for a changed update feed (one row read). */
const FEED_CHECK_MS = 60_000;

let started = false;
parentPort.on('message', (event) => {
  if (started) return;
  const parsed = serverStartMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    parentPort.postMessage({
      type: 'fatal',
      message: 'The workstation server got an invalid start message.',
    });
    return;
  }
  started = true;
  const msg = parsed.data;
  // A restore in Admin > Maintenance restarts the server in this process on the same port with the same
  // launch gate; each start reports 'ready' again, and main reloads the window onto the new launch link.
  let feedTimer: NodeJS.Timeout | null = null;
  let firstStart = true;
  serveWorkstation(
    {
      dataDir: msg.dataDir,
      keyHex: msg.dbKeyHex,
      launchToken: msg.launchSecret,
      rendererDir: msg.rendererDir,
      appVersion: msg.appVersion,
      logger: createServedLogger(msg.dataDir),
      centralUrl: { url: msg.centralUrl ?? null, locked: msg.centralUrlLocked ?? false },
    },
    (server) => {
      // The first start answers with the launch secret main chose; a restart (after a restore) mints a new
      // one-time link, since the first was spent when the window opened.
      const launchUrl = firstStart ? `${server.origin}/launch?token=${msg.launchSecret}` : server.launchUrl();
      firstStart = false;
      parentPort.postMessage({ type: 'ready', port: server.port, launchUrl });
      // The updater's feed follows enrollment (joining a clinic, a new credential, leaving it).
      let last = '';
      const reportFeed = () => {
        const feed = updateFeedOf(server.store);
        const key = JSON.stringify(feed);
        if (key === last) return;
        last = key;
        parentPort.postMessage({ type: 'update-feed', feed });
      };
      reportFeed();
      if (feedTimer) clearInterval(feedTimer);
      feedTimer = setInterval(reportFeed, FEED_CHECK_MS);
      feedTimer.unref();
    },
  ).then(
    () => {},
    (err: unknown) => {
      parentPort.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
      process.exit(1);
    },
  );
});
