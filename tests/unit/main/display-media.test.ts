import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DesktopCapturerSource } from 'electron';
import { startDesktopApp, type DesktopElectron } from '../../../main/app';
import { orderSources, registerDisplayMediaHandler, MAX_SOURCES } from '../../../main/display-media';
import type { AutoUpdaterLike } from '../../../main/updater';
import { createFakeElectron, FakeSession, type FakeElectron } from './fake-electron';

/**
 * Screen sharing in a video visit: main answers getDisplayMedia with the source the clinician picks in a
 * dialog; requests from elsewhere, without a click, or cancelled share nothing.
 */

const APP = 'http://127.0.0.1:41000';
let electron: FakeElectron;
let session: FakeSession;
let blocked: string[];

function register(win: unknown = { id: 1 }) {
  session = new FakeSession();
  blocked = [];
  registerDisplayMediaHandler({
    session: session as never,
    desktopCapturer: electron.desktopCapturer as never,
    dialog: electron.dialog as never,
    getOrigin: () => APP,
    getWindow: () => win as never,
    ownWindowSourceIds: () => ['window:1:0'],
    logBlocked: (what, where) => blocked.push(`${what} ${where}`),
  });
}

beforeEach(() => {
  electron = createFakeElectron();
});

describe('display-media request handler', () => {
  it('offers screens first, then other windows (not Tessera itself), and shares the one picked', async () => {
    register();
    electron.dialog.pick = 1;
    const answer = await session.requestDisplayMedia(APP);
    const options = electron.dialog.showMessageBox.mock.calls[0]![1];
    expect(options.buttons).toEqual(['Entire screen', 'Window: Patient handout.pdf', 'Cancel']);
    expect((answer.video as { id: string }).id).toBe('window:2:0');
  });

  it('shares nothing when the clinician cancels', async () => {
    register();
    electron.dialog.pick = 2;
    expect(await session.requestDisplayMedia(APP)).toEqual({});
  });

  it('refuses other origins, requests without a click, and when no window is open — without asking', async () => {
    register();
    expect(await session.requestDisplayMedia('https://evil.example')).toEqual({});
    expect(await session.requestDisplayMedia('http://127.0.0.1:41001')).toEqual({});
    expect(await session.requestDisplayMedia(APP, { userGesture: false })).toEqual({});
    register(null);
    expect(await session.requestDisplayMedia(APP)).toEqual({});
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
    expect(electron.desktopCapturer.getSources).not.toHaveBeenCalled();
  });

  it('logs a refused origin by scheme and host only', async () => {
    register();
    await session.requestDisplayMedia('https://evil.example/patient/123');
    expect(blocked).toEqual(['screen share request https://evil.example']);
  });

  it('keeps the list short enough for a dialog and drops untitled windows', () => {
    const many = [
      { id: 'window:9:0', name: '' },
      ...Array.from({ length: 20 }, (_, i) => ({ id: `window:${i + 10}:0`, name: `W${i}` })),
      { id: 'screen:1:0', name: 'Screen 2' },
      { id: 'screen:0:0', name: 'Screen 1' },
    ] as DesktopCapturerSource[];
    const ordered = orderSources(many);
    expect(ordered).toHaveLength(MAX_SOURCES);
    expect(ordered.slice(0, 2).map((s) => s.id)).toEqual(['screen:1:0', 'screen:0:0']);
    expect(ordered.some((s) => s.name === '')).toBe(false);
  });
});

describe('the desktop app registers it on the default session', () => {
  let userData: string;
  beforeEach(() => {
    userData = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-dm-'));
  });
  afterEach(() => fs.rmSync(userData, { recursive: true, force: true }));

  it('answers with the picked source once the server origin is known', async () => {
    electron = createFakeElectron({ userData });
    startDesktopApp({
      electron: electron as unknown as DesktopElectron,
      autoUpdater: Object.assign(new EventEmitter(), { checkForUpdates: vi.fn(async () => null) }) as unknown as AutoUpdaterLike,
      platform: 'linux',
      policyFile: path.join(userData, 'none.json'),
      log: () => {},
    });
    await electron.app.ready();
    await vi.waitFor(() => expect(electron.utilityProcess.children.length).toBe(1));
    const defaultSession = electron.session.defaultSession;
    expect(await defaultSession.requestDisplayMedia(APP)).toEqual({});
    electron.utilityProcess.last.ready(41000);
    electron.dialog.pick = 0;
    const answer = await defaultSession.requestDisplayMedia(APP);
    expect((answer.video as { id: string }).id).toBe('screen:0:0');
  });
});
