import type { AppUpdater } from 'electron-updater';
import type { UpdateState, WorkstationSettings } from '../server/contracts/desktop/index';
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
>;

export interface UpdaterOptions {
  autoUpdater: AutoUpdaterLike;
  isPackaged: boolean;
  settings: Pick<WorkstationSettings, 'autoUpdate' | 'updateChannel'>;
  onState: (state: UpdateState) => void;
  log?: (line: string) => void;
  checkEveryMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
}

export interface Updater {
  start(): void;
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
  else if (!options.settings.autoUpdate) {
    state = {
      status: 'disabled',
      reason: 'Automatic updates are turned off in settings or by machine policy.',
    };
  }

  function check(): void {
    updater.checkForUpdates().catch((err: unknown) => {
      log(`Update check failed: ${shortMessage(err)}`);
      setState({ status: 'error', message: shortMessage(err) });
    });
  }

  return {
    getState: () => state,
    start() {
      if (state.status === 'disabled') return;
      // electron-updater's default channel is named 'latest'.
      updater.channel = options.settings.updateChannel === 'beta' ? 'beta' : 'latest';
      updater.allowPrerelease = options.settings.updateChannel === 'beta';
      // Setting a channel turns downgrades on; an older app could not open a database already migrated forward.
      updater.allowDowngrade = false;
      updater.autoDownload = true;
      updater.autoInstallOnAppQuit = true;

      updater.on('checking-for-update', () => setState({ status: 'checking' }));
      updater.on('update-available', (info) => setState({ status: 'available', version: info.version }));
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
