import * as path from 'node:path';
import type { BrowserWindow } from 'electron';
import { IPC } from '../preload/channels';
import { createAppOrigin } from './origin';
import { guardAllWebContents, guardSession, secureWebPreferences } from './security';
import { createMainWindow, focusWindow, guardUnload } from './window';
import { claimSingleInstance } from './single-instance';
import { loadMachinePolicy, machinePolicyPath } from './policy';
import { createSettingsStore } from './settings';
import { directoryHasEntries, loadOrCreateDbKey } from './keystore';
import { createServerSupervisor, newLaunchSecret, type ServerSupervisor } from './server-process';
import { createUpdater, type AutoUpdaterLike } from './updater';
import { registerIpc, sendToApp } from './ipc';
import { registerDisplayMediaHandler } from './display-media';
import { parseAdminArgs, runAdminCommand } from './admin-cli';

export type DesktopElectron = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'desktopCapturer' | 'dialog' | 'ipcMain' | 'safeStorage' | 'session' | 'utilityProcess'
>;

export interface DesktopOptions {
  electron: DesktopElectron;
  autoUpdater: AutoUpdaterLike;
  platform?: NodeJS.Platform;
  /** Tests only. Production always reads the OS location from machinePolicyPath. */
  policyFile?: string;
  log?: (line: string) => void;
  /** The process arguments (process.argv), where `--admin <action>` asks for the admin command line. */
  argv?: readonly string[];
  /** Where the admin command line reports errors (stderr). */
  error?: (line: string) => void;
}

/** Layout of the packaged app (see scripts/build.mjs and electron-builder.yml). */
export function appPaths(appPath: string) {
  return {
    preload: path.join(appPath, 'dist', 'preload', 'preload.cjs'),
    server: path.join(appPath, 'dist', 'server', 'utility.cjs'),
    cli: path.join(appPath, 'dist', 'cli', 'tessera.mjs'),
    renderer: path.join(appPath, 'dist', 'renderer'),
  };
}

export function userDataPaths(userDataDir: string) {
  return {
    settings: path.join(userDataDir, 'settings.json'),
    data: path.join(userDataDir, 'data'),
  };
}

const defaultLog = (line: string) => console.log(`[tessera] ${line}`);

/**
 * Composition root of the main process: everything here is wiring; the behaviour lives in the modules it
 * imports. Returns false when this process is a second instance and is quitting, or runs an admin command.
 */
export function startDesktopApp(options: DesktopOptions): boolean {
  const { app, BrowserWindow, desktopCapturer, dialog, ipcMain, safeStorage, session, utilityProcess } = options.electron;
  const platform = options.platform ?? process.platform;
  const log = options.log ?? defaultLog;
  const logBlocked = (what: string, where: string) => log(`Blocked ${what} to ${where}`);

  // `Tessera --admin backup|restore|…`: the workstation CLI with the key from this user's key store, then
  // exit; no window, no server (main/admin-cli.ts).
  const admin = parseAdminArgs(options.argv ?? process.argv);
  if (admin) {
    void runAdminCommand(admin, {
      app,
      safeStorage,
      fork: (modulePath, args, forkOptions) => utilityProcess.fork(modulePath, args, forkOptions),
      cliPath: appPaths(app.getAppPath()).cli,
      dataDir: userDataPaths(app.getPath('userData')).data,
      platform,
      policyFile: options.policyFile ?? machinePolicyPath(platform),
      error: options.error ?? ((line) => console.error(line)),
    }).catch((err: unknown) => {
      (options.error ?? console.error)(`Error: ${err instanceof Error ? err.message : String(err)}`);
      app.exit(1);
    });
    return false;
  }

  // Before 'ready': every renderer, including ones created later by window.open, is sandboxed.
  app.enableSandbox();

  let win: BrowserWindow | null = null;
  let supervisor: ServerSupervisor | null = null;
  if (!claimSingleInstance(app, () => focusWindow(win))) return false;

  const origin = createAppOrigin();
  const appPath = app.getAppPath();
  const paths = appPaths(appPath);
  const webPreferences = secureWebPreferences(paths.preload, { devTools: !app.isPackaged });
  guardAllWebContents(app, origin.get, webPreferences, logBlocked);

  const stopAndExit = (title: string, message: string) => {
    supervisor?.stop();
    dialog.showErrorBox(title, message);
    app.exit(1);
  };

  // Closing the window ends the session on every OS (macOS included): the server holds the open database.
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => supervisor?.stop());

  const launch = () => {
    const userDataDir = app.getPath('userData');
    const userPaths = userDataPaths(userDataDir);
    const { policy, source } = loadMachinePolicy(options.policyFile ?? machinePolicyPath(platform));
    log(source ? `Machine policy loaded from ${source}` : 'No machine policy file; using defaults.');
    const settings = createSettingsStore({ file: userPaths.settings, policy, warn: log }).effective();

    const key = loadOrCreateDbKey({
      userDataDir,
      platform,
      safeStorage,
      allowKeyFile: policy.allowKeyFile,
      hasExistingData: () => directoryHasEntries(userPaths.data),
    });
    // Says where the key lives, as the security rules require; the key itself is never logged.
    log(
      key.storage === 'keyFile'
        ? `Database key: plain key file ${key.file} (allowed by policy)`
        : 'Database key: OS secure storage',
    );

    guardSession(session.defaultSession, origin.get, logBlocked);
    const mainWindow = createMainWindow(BrowserWindow, webPreferences);
    win = mainWindow;
    guardUnload(mainWindow, dialog);
    // Screen sharing in telehealth visits: a source picker for getDisplayMedia from the app origin.
    registerDisplayMediaHandler({
      session: session.defaultSession,
      desktopCapturer,
      dialog,
      getOrigin: origin.get,
      getWindow: () => (win && !win.isDestroyed() ? win : null),
      ownWindowSourceIds: () => (win && !win.isDestroyed() ? [win.getMediaSourceId()] : []),
      logBlocked,
    });
    mainWindow.on('closed', () => {
      win = null;
    });

    const updater = createUpdater({
      autoUpdater: options.autoUpdater,
      isPackaged: app.isPackaged,
      settings: settings.settings,
      managedByPolicy: settings.locked.includes('autoUpdate') && !settings.settings.autoUpdate,
      deferDays: policy.updateDeferDays,
      feedFromCentral: true,
      log,
      onState: (state) => {
        if (win) sendToApp(win.webContents, origin.get, IPC.updateState, state);
      },
    });
    registerIpc(ipcMain, origin.get, {
      appVersion: () => app.getVersion(),
      getUpdateState: () => updater.getState(),
      installUpdate: () => updater.install(),
    });

    supervisor = createServerSupervisor({
      fork: (modulePath, args, forkOptions) => utilityProcess.fork(modulePath, args, forkOptions),
      modulePath: paths.server,
      startMessage: () => ({
        type: 'start',
        dataDir: userPaths.data,
        dbKeyHex: key.keyHex,
        launchSecret: newLaunchSecret(),
        rendererDir: paths.renderer,
        appVersion: app.getVersion(),
        centralUrl: settings.settings.centralUrl,
        centralUrlLocked: settings.locked.includes('centralUrl'),
      }),
      log,
      onUpdateFeed: (feed) => updater.setFeed(feed),
      onReady: (ready) => {
        // Set before loading: the navigation and request guards must already trust the new port.
        origin.set(ready.origin);
        log(`Workstation server ready on ${ready.origin}`);
        if (!win || win.isDestroyed()) return;
        win
          .loadURL(ready.launchUrl)
          .catch((err: unknown) => log(`Loading the app failed: ${(err as Error).message}`));
      },
      onRestarting: () => origin.set(null),
      onFatal: (message) => stopAndExit('Tessera cannot start', message),
      onGiveUp: (message) => stopAndExit('Tessera stopped working', message),
    });
    supervisor.start();
    updater.start();
  };

  app
    .whenReady()
    .then(launch)
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      log(`Startup failed: ${err instanceof Error ? err.name : 'Error'}`);
      stopAndExit('Tessera cannot start', message);
    });
  return true;
}
