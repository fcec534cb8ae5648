import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isTrustedSender, registerIpc, sendToApp } from '../../../main/ipc';
import { IPC } from '../../../preload/channels';
import type { TesseraBridge, UpdateState } from '../../../server/contracts/desktop/index';
import { FakeIpcMain, FakeWebContents } from './fake-electron';

const ORIGIN = 'http://127.0.0.1:48123';

const electronFake = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const exposed: Record<string, unknown> = {};
  const ipcRenderer = {
    invoke: vi.fn(async (channel: string) => `result:${channel}`),
    on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return ipcRenderer;
    }),
    removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    }),
    send: vi.fn(),
    sendSync: vi.fn(),
  };
  const contextBridge = {
    exposeInMainWorld: vi.fn((key: string, api: unknown) => {
      exposed[key] = api;
    }),
  };
  const emit = (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((l) => l(...args));
  return { ipcRenderer, contextBridge, exposed, emit, listeners };
});
vi.mock('electron', () => ({
  ipcRenderer: electronFake.ipcRenderer,
  contextBridge: electronFake.contextBridge,
}));

describe('preload bridge', () => {
  let bridge: TesseraBridge;
  beforeEach(async () => {
    await import('../../../preload/preload');
    bridge = electronFake.exposed.tessera as TesseraBridge;
  });

  it('exposes exactly the TesseraBridge methods as window.tessera, and not ipcRenderer', () => {
    expect(electronFake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(electronFake.contextBridge.exposeInMainWorld).toHaveBeenCalledWith('tessera', expect.any(Object));
    expect(Object.keys(bridge).sort()).toEqual([
      'appVersion',
      'getUpdateState',
      'installUpdate',
      'onUpdateState',
      'print',
    ]);
    for (const value of Object.values(bridge)) {
      expect(value).not.toBe(electronFake.ipcRenderer);
      expect(typeof value).toBe('function');
    }
  });

  it('calls fixed channels only', async () => {
    electronFake.ipcRenderer.invoke.mockClear();
    await expect(bridge.appVersion()).resolves.toBe(`result:${IPC.appVersion}`);
    await bridge.getUpdateState();
    await expect(bridge.installUpdate()).resolves.toBeUndefined();
    await expect(bridge.print()).resolves.toBeUndefined();
    expect(electronFake.ipcRenderer.invoke.mock.calls).toEqual([
      [IPC.appVersion],
      [IPC.getUpdateState],
      [IPC.installUpdate],
      [IPC.print],
    ]);
  });

  it('delivers update states without the IPC event, and unsubscribes', () => {
    const received: unknown[][] = [];
    const off = bridge.onUpdateState((...args: unknown[]) => received.push(args));
    const state: UpdateState = { status: 'downloading', percent: 10 };
    electronFake.emit(IPC.updateState, { sender: electronFake.ipcRenderer }, state);
    expect(received).toEqual([[state]]);
    off();
    electronFake.emit(IPC.updateState, { sender: electronFake.ipcRenderer }, { status: 'idle' });
    expect(received).toHaveLength(1);
    expect(electronFake.listeners.get(IPC.updateState)?.size ?? 0).toBe(0);
  });
});

describe('main IPC handlers', () => {
  function setup() {
    const ipcMain = new FakeIpcMain();
    const installUpdate = vi.fn();
    registerIpc(ipcMain as never, () => ORIGIN, {
      appVersion: () => '1.2.3',
      getUpdateState: () => ({ status: 'idle' }),
      installUpdate,
    });
    return { ipcMain, installUpdate };
  }

  it('registers one handler per bridge channel', () => {
    expect([...setup().ipcMain.handlers.keys()].sort()).toEqual(
      [IPC.appVersion, IPC.getUpdateState, IPC.installUpdate, IPC.print].sort(),
    );
  });

  it('answers the app origin', async () => {
    const { ipcMain, installUpdate } = setup();
    await expect(ipcMain.invoke(IPC.appVersion, `${ORIGIN}/schedule`)).resolves.toBe('1.2.3');
    await expect(ipcMain.invoke(IPC.getUpdateState, `${ORIGIN}/`)).resolves.toEqual({ status: 'idle' });
    await ipcMain.invoke(IPC.installUpdate, `${ORIGIN}/`);
    expect(installUpdate).toHaveBeenCalledTimes(1);
  });

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:1/',
    'http://127.0.0.1.evil.com:48123/',
    'file:///x.html',
  ])('refuses callers at %s', async (url) => {
    const { ipcMain, installUpdate } = setup();
    await expect(ipcMain.invoke(IPC.installUpdate, url)).rejects.toThrow(/Not allowed/);
    await expect(ipcMain.invoke(IPC.appVersion, url)).rejects.toThrow(/Not allowed/);
    expect(installUpdate).not.toHaveBeenCalled();
  });

  it('refuses subframes even at the app origin, and events without a frame', async () => {
    const { ipcMain } = setup();
    await expect(ipcMain.invoke(IPC.appVersion, `${ORIGIN}/`, { subframe: true })).rejects.toThrow(
      /Not allowed/,
    );
    expect(isTrustedSender({ senderFrame: null }, ORIGIN)).toBe(false);
  });

  it('prints the sender and treats a cancelled dialog as success', async () => {
    const { ipcMain } = setup();
    const sender = new FakeWebContents();
    const print = vi.spyOn(sender, 'print');
    await ipcMain.invoke(IPC.print, `${ORIGIN}/`, { sender });
    expect(print).toHaveBeenCalledTimes(1);
    sender.printResult = { success: false, reason: 'cancelled' };
    await expect(ipcMain.invoke(IPC.print, `${ORIGIN}/`, { sender })).resolves.toBeUndefined();
    sender.printResult = { success: false, reason: 'failed' };
    await expect(ipcMain.invoke(IPC.print, `${ORIGIN}/`, { sender })).rejects.toThrow(/Printing failed/);
  });

  it('pushes update state only to a window showing the app', () => {
    const contents = new FakeWebContents();
    contents.url = 'https://evil.example/';
    expect(sendToApp(contents, () => ORIGIN, IPC.updateState, { status: 'idle' })).toBe(false);
    contents.url = `${ORIGIN}/`;
    expect(sendToApp(contents, () => ORIGIN, IPC.updateState, { status: 'idle' })).toBe(true);
    expect(contents.sent).toEqual([{ channel: IPC.updateState, payload: { status: 'idle' } }]);
  });
});
