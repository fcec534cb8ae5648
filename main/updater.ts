import type { AppUpdater } from 'electron-updater';
import type { UpdateFeed, UpdateState, WorkstationSettings } from '../server/contracts/desktop/index';
import { truncateText } from '../server/contracts/text';

export type AutoUpdaterLike = Pick<
  AppUpdater,
  | 'on'
  | 'checkForUpdates'
  | 'quitAndInstall'
  | 'channel'
  | 'allowDowngrade'
  | 'allowPrerelease'
  | 'autoDownload'
  | 'autoInstallOnAppQuit'
  | 'setFeedURL'
  | 'requestHeaders'
  | 'downloadUpdate'
>;

export interface UpdaterOptions {
  autoUpdater: AutoUpdaterLike;
  isPackaged: boolean;
  settings: Pick<WorkstationSettings, 'autoUpdate' | 'updateChannel'>;
  onState: (state: UpdateState) => void;
  /** Machine policy turned self-update off: IT deploys new versions (MSI, SCCM, Intune). */
  managedByPolicy?: boolean;
  /** Offer a release only this many days after it was published (machine policy). */
  deferDays?: number;
  /**
   * The feed is central's, which needs the device credential: check only once `setFeed` has given it (the
   * workstation server reports it after start and when enrollment changes).
   */
  feedFromCentral?: boolean;
  log?: (line: string) => void;
  checkEveryMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  now?: () => number;
}

export interface Updater {
  start(): void;
  /** Point the updater at central's feed (null: not enrolled, nothing to check). */
  setFeed(feed: UpdateFeed): void;
  getState(): UpdateState;
  install(): void;
}

const FOUR_HOURS = 4 * 60 * 60 * 1000;

function shortMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // electron-updater can put whole HTTP responses in messages; the first line is what a person can act on.
  return truncateText(message.split('\n')[0] ?? '', 300) || 'Update failed';
}

export function createUpdater(options: UpdaterOptions): Updater {
  const log = options.log ?? (() => {});
  const updater = options.autoUpdater;
  let state: UpdateState = { status: 'idle' };

  function setState(next: UpdateState): void {
    state = next;
    options.onState(next);
  }

  if (!options.isPackaged) state = { status: 'disabled', reason: 'Updates are off in development builds.' };
  else if (options.managedByPolicy) {
    state = { status: 'disabled', reason: 'Updates are managed by your organisation.' };
  } else if (!options.settings.autoUpdate) {
    state = {
      status: 'disabled',
      reason: 'Automatic updates are turned off in settings or by machine policy.',
    };
  }

  const now = options.now ?? Date.now;
  const deferMs = (options.deferDays ?? 0) * 24 * 60 * 60 * 1000;
  let started = false;
  let feed: UpdateFeed = null;

  function check(): void {
    if (options.feedFromCentral && !feed) return;
    updater.checkForUpdates().catch((err: unknown) => {
      log(`Update check failed: ${shortMessage(err)}`);
      setState({ status: 'error', message: shortMessage(err) });
    });
  }

  return {
    getState: () => state,
    setFeed(next) {
      feed = next;
      if (state.status === 'disabled' || !next) return;
      updater.setFeedURL({ provider: 'generic', url: next.url });
      updater.requestHeaders = next.headers;
      if (started) check();
    },
    start() {
      if (state.status === 'disabled') return;
      started = true;
      // electron-updater's default channel is named 'latest'.
      updater.channel = options.settings.updateChannel === 'beta' ? 'beta' : 'latest';
      updater.allowPrerelease = options.settings.updateChannel === 'beta';
      // Setting a channel turns downgrades on; an older app could not open a database already migrated forward.
      updater.allowDowngrade = false;
      // With a deferral, a release is downloaded only once it is old enough (looked at on every check).
      updater.autoDownload = deferMs === 0;
      updater.autoInstallOnAppQuit = true;

      updater.on('checking-for-update', () => setState({ status: 'checking' }));
      updater.on('update-available', (info) => {
        setState({ status: 'available', version: info.version });
        if (deferMs === 0) return;
        const published = Date.parse(info.releaseDate);
        if (Number.isNaN(published) || now() - published >= deferMs) {
          updater.downloadUpdate().catch((err: unknown) => setState({ status: 'error', message: shortMessage(err) }));
        } else {
          log(`Update ${info.version} is deferred by machine policy until ${new Date(published + deferMs).toISOString()}.`);
        }
      });
      updater.on('update-not-available', () => setState({ status: 'idle' }));
      updater.on('download-progress', (progress) =>
        setState({
          status: 'downloading',
          percent: Math.max(0, Math.min(100, Math.round(progress.percent))),
        }),
      );
      updater.on('update-downloaded', (event) => setState({ status: 'ready', version: event.version }));
      updater.on('error', (error) => setState({ status: 'error', message: shortMessage(error) }));

      check();
      const every = options.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms).unref());
      every(check, options.checkEveryMs ?? FOUR_HOURS);
    },
    install() {
      if (state.status !== 'ready') throw new Error('No downloaded update is ready to install.');
      updater.quitAndInstall();
    },
  };
}
