import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDesktopApp, type DesktopElectron } from '../../../main/app';
import type { AutoUpdaterLike } from '../../../main/updater';
import { IPC } from '../../../preload/channels';
import { createFakeElectron, type FakeElectron } from './fake-electron';

let userData: string;
let electron: FakeElectron;
let logs: string[];

class FakeAutoUpdater extends EventEmitter {
  channel: string | null = null;
  allowDowngrade = true;
  allowPrerelease = false;
  autoDownload = false;
  autoInstallOnAppQuit = false;
  requestHeaders: Record<string, string> | null = null;
  checkForUpdates = vi.fn(async () => null);
  quitAndInstall = vi.fn();
  setFeedURL = vi.fn();
  downloadUpdate = vi.fn(async () => []);
}

beforeEach(() => {
  userData = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-app-'));
  electron = createFakeElectron({ userData, appPath: '/opt/Tessera/resources/app.asar' });
  logs = [];
});
afterEach(() => {
  vi.useRealTimers();
  fs.rmSync(userData, { recursive: true, force: true });
});

function start(options: { policy?: string; platform?: NodeJS.Platform; autoUpdater?: FakeAutoUpdater } = {}) {
  const policyFile = path.join(userData, 'test-policy.json');
  if (options.policy !== undefined) fs.writeFileSync(policyFile, options.policy);
  return startDesktopApp({
    electron: electron as unknown as DesktopElectron,
    autoUpdater: (options.autoUpdater ?? new FakeAutoUpdater()) as unknown as AutoUpdaterLike,
    platform: options.platform ?? 'linux',
    policyFile,
    log: (line) => logs.push(line),
  });
}

async function startAndReady(options: Parameters<typeof start>[0] = {}) {
  expect(start(options)).toBe(true);
  await electron.app.ready();
  await vi.waitFor(() =>
    expect(
      electron.utilityProcess.children.length + electron.dialog.showErrorBox.mock.calls.length,
    ).toBeGreaterThan(0),
  );
}

const mainWindow = () => {
  const win = electron.BrowserWindow.instances.at(-1);
  if (!win) throw new Error('no window');
  return win;
};

describe('desktop app composition', () => {
  it('enables the sandbox and takes the single-instance lock before anything else', () => {
    start();
    expect(electron.app.calls.slice(0, 2)).toEqual(['enableSandbox', 'requestSingleInstanceLock']);
    expect(electron.BrowserWindow.instances).toHaveLength(0);
  });

  it('a second instance quits without starting a server or a window', async () => {
    electron = createFakeElectron({ userData, singleInstanceLock: false });
    expect(start()).toBe(false);
    await electron.app.ready();
    await new Promise((r) => setTimeout(r, 10));
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.utilityProcess.children).toHaveLength(0);
    expect(electron.BrowserWindow.instances).toHaveLength(0);
    expect(fs.readdirSync(userData).filter((f) => f !== 'test-policy.json')).toEqual([]);
  });

  it('starts the server with the key by message and loads its launch URL', async () => {
    await startAndReady();
    const { forkCalls, last } = electron.utilityProcess;
    expect(forkCalls).toEqual([
      {
        modulePath: path.join('/opt/Tessera/resources/app.asar', 'dist', 'server', 'utility.cjs'),
        args: [],
        options: { serviceName: 'Tessera workstation server', stdio: 'pipe' },
      },
    ]);
    const message = last.messages[0] as Record<string, string>;
    expect(message).toMatchObject({
      type: 'start',
      dataDir: path.join(userData, 'data'),
      rendererDir: path.join('/opt/Tessera/resources/app.asar', 'dist', 'renderer'),
      appVersion: '1.2.3',
    });
    const wrapped = fs.readFileSync(path.join(userData, 'db-key.wrapped'));
    expect(electron.safeStorage.decryptString(wrapped)).toBe(message.dbKeyHex);
    expect(logs.join('\n')).not.toContain(message.dbKeyHex);

    const win = mainWindow();
    expect(win.options.webPreferences).toMatchObject({
      preload: path.join('/opt/Tessera/resources/app.asar', 'dist', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(win.loaded).toEqual([]);
    last.ready(41000, 'http://127.0.0.1:41000/launch?token=abc');
    expect(win.loaded).toEqual(['http://127.0.0.1:41000/launch?token=abc']);

    // Guards and session handlers follow the live server origin.
    expect(win.webContents.attempt('will-navigate', 'http://127.0.0.1:41000/patients')).toBe(true);
    expect(win.webContents.attempt('will-navigate', 'https://evil.example/')).toBe(false);
    expect(
      electron.session.defaultSession.request('media', 'http://127.0.0.1:41000/visit', {
        mediaTypes: ['video'],
      }),
    ).toBe(true);
    expect(electron.session.defaultSession.request('geolocation', 'http://127.0.0.1:41000/')).toBe(false);
    await expect(electron.ipcMain.invoke(IPC.appVersion, 'http://127.0.0.1:41000/')).resolves.toBe('1.2.3');
    await expect(electron.ipcMain.invoke(IPC.appVersion, 'https://evil.example/')).rejects.toThrow();
  });

  it('restarts a crashed server and reloads the window on the new launch URL', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    await startAndReady();
    const win = mainWindow();
    electron.utilityProcess.last.ready(41000);
    const firstSecret = (electron.utilityProcess.last.messages[0] as { launchSecret: string }).launchSecret;

    electron.utilityProcess.last.crash(134);
    expect(win.webContents.attempt('will-navigate', 'http://127.0.0.1:41000/')).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(electron.utilityProcess.children).toHaveLength(2);
    const restarted = electron.utilityProcess.last;
    expect((restarted.messages[0] as { launchSecret: string }).launchSecret).not.toBe(firstSecret);
    restarted.ready(42000, 'http://127.0.0.1:42000/launch?token=new');
    expect(win.loaded.at(-1)).toBe('http://127.0.0.1:42000/launch?token=new');
    expect(win.webContents.attempt('will-navigate', 'http://127.0.0.1:41000/')).toBe(false);
    expect(win.webContents.attempt('will-navigate', 'http://127.0.0.1:42000/')).toBe(true);
  });

  it('shows a fatal server message and quits without restarting', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    await startAndReady();
    electron.utilityProcess.last.emit('message', { type: 'fatal', message: 'Wrong database key.' });
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('Tessera cannot start', 'Wrong database key.');
    expect(electron.app.exit).toHaveBeenCalledWith(1);
    vi.advanceTimersByTime(120_000);
    expect(electron.utilityProcess.children).toHaveLength(1);
  });

  it('refuses to start on an invalid machine policy', async () => {
    await startAndReady({ policy: '{"settings": {"autoUpdate": "no"}}' });
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Tessera cannot start',
      expect.stringMatching(/machine policy/),
    );
    expect(electron.app.exit).toHaveBeenCalledWith(1);
    expect(electron.utilityProcess.children).toHaveLength(0);
    expect(fs.existsSync(path.join(userData, 'db-key.wrapped'))).toBe(false);
  });

  it('refuses the Linux basic_text keyring unless policy allows a key file', async () => {
    electron.safeStorage.backend = 'basic_text';
    await startAndReady();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Tessera cannot start',
      expect.stringMatching(/basic_text/),
    );
    expect(electron.utilityProcess.children).toHaveLength(0);

    electron = createFakeElectron({ userData });
    electron.safeStorage.backend = 'basic_text';
    await startAndReady({ policy: '{"allowKeyFile": true}' });
    expect(electron.dialog.showErrorBox).not.toHaveBeenCalled();
    expect(electron.utilityProcess.children).toHaveLength(1);
    expect(fs.existsSync(path.join(userData, 'db.key'))).toBe(true);
  });

  it('refuses to start when data exists but the key is gone', async () => {
    fs.mkdirSync(path.join(userData, 'data'));
    fs.writeFileSync(path.join(userData, 'data', 'workstation.db'), 'x');
    await startAndReady();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Tessera cannot start',
      expect.stringMatching(/missing/),
    );
    expect(electron.utilityProcess.children).toHaveLength(0);
  });

  it('keeps updates off for unpackaged builds, and applies the policy channel when packaged', async () => {
    const dev = new FakeAutoUpdater();
    await startAndReady({ autoUpdater: dev });
    expect(dev.checkForUpdates).not.toHaveBeenCalled();
    await expect(electron.ipcMain.invoke(IPC.getUpdateState, 'http://127.0.0.1:1/')).rejects.toThrow();

    electron = createFakeElectron({ userData, isPackaged: true });
    const packaged = new FakeAutoUpdater();
    await startAndReady({ autoUpdater: packaged, policy: '{"settings": {"updateChannel": "beta"}}' });
    expect(packaged.channel).toBe('beta');
    // Central's feed needs the device credential: nothing is checked until the server reports the feed.
    expect(packaged.checkForUpdates).not.toHaveBeenCalled();
    const feed = { url: 'https://central.example/v1/updates', headers: { authorization: 'Bearer device' } };
    electron.utilityProcess.last.emit('message', { type: 'update-feed', feed });
    expect(packaged.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: feed.url });
    expect(packaged.requestHeaders).toEqual(feed.headers);
    expect(packaged.checkForUpdates).toHaveBeenCalledTimes(1);
    electron.utilityProcess.last.ready(41000);
    packaged.emit('update-downloaded', { version: '2.0.0' });
    expect(mainWindow().webContents.sent).toEqual([
      { channel: IPC.updateState, payload: { status: 'ready', version: '2.0.0' } },
    ]);
    await electron.ipcMain.invoke(IPC.installUpdate, 'http://127.0.0.1:41000/');
    expect(packaged.quitAndInstall).toHaveBeenCalledTimes(1);
  });

  it('says updates are managed by the organisation when policy turns them off', async () => {
    electron = createFakeElectron({ userData, isPackaged: true });
    const managed = new FakeAutoUpdater();
    await startAndReady({ autoUpdater: managed, policy: '{"settings": {"autoUpdate": false}}' });
    electron.utilityProcess.last.emit('message', {
      type: 'update-feed',
      feed: { url: 'https://central.example/v1/updates', headers: {} },
    });
    expect(managed.checkForUpdates).not.toHaveBeenCalled();
    electron.utilityProcess.last.ready(41000);
    await expect(electron.ipcMain.invoke(IPC.getUpdateState, 'http://127.0.0.1:41000/')).resolves.toEqual({
      status: 'disabled',
      reason: 'Updates are managed by your organisation.',
    });
  });

  it('second launch focuses the existing window', async () => {
    await startAndReady();
    const win = mainWindow();
    win.minimized = true;
    electron.app.emit('second-instance', {}, [], '/');
    expect(win).toMatchObject({ minimized: false, focused: true });
  });

  it('stops the server when the app quits', async () => {
    await startAndReady();
    electron.app.emit('will-quit', {});
    expect(electron.utilityProcess.last.killed).toBe(true);
  });
});

describe('the main window and unsaved changes', () => {
  it('asks before a page with unsaved changes unloads (reload, closing the window)', async () => {
    await startAndReady();
    const prevented = vi.fn();
    electron.dialog.showMessageBoxSync.mockReturnValue(0); // Leave
    mainWindow().webContents.emit('will-prevent-unload', { preventDefault: prevented });
    expect(electron.dialog.showMessageBoxSync).toHaveBeenCalledWith(
      mainWindow(),
      expect.objectContaining({ message: 'Leave this page?', buttons: ['Leave', 'Stay'] }),
    );
    expect(prevented).toHaveBeenCalledTimes(1);
    electron.dialog.showMessageBoxSync.mockReturnValue(1); // Stay
    mainWindow().webContents.emit('will-prevent-unload', { preventDefault: prevented });
    expect(prevented).toHaveBeenCalledTimes(1);
  });
});
