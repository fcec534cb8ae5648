import { describe, expect, it, vi } from 'vitest';
import { secureWebPreferences } from '../../../main/security';
import { claimSingleInstance } from '../../../main/single-instance';
import { createMainWindow, focusWindow, guardUnload, type BrowserWindowClass } from '../../../main/window';
import { FakeApp, createFakeBrowserWindowClass } from './fake-electron';

describe('main window', () => {
  it('is created hidden with the locked-down preferences and shown once painted', () => {
    const FakeWindow = createFakeBrowserWindowClass(null);
    const prefs = secureWebPreferences('/app/dist/preload/preload.cjs', { devTools: false });
    const win = createMainWindow(
      FakeWindow as unknown as BrowserWindowClass,
      prefs,
    ) as unknown as InstanceType<typeof FakeWindow>;
    expect(win.options).toMatchObject({
      show: false,
      webPreferences: {
        preload: '/app/dist/preload/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
      },
    });
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('focusWindow restores a minimised window', () => {
    const FakeWindow = createFakeBrowserWindowClass(null);
    const win = new FakeWindow({});
    win.minimized = true;
    focusWindow(win as never);
    expect(win).toMatchObject({ minimized: false, visible: true, focused: true });
    expect(() => focusWindow(null)).not.toThrow();
  });
});

describe('single instance', () => {
  it('the first instance keeps running and focuses its window when a second one starts', () => {
    const app = new FakeApp({ singleInstanceLock: true });
    let focused = 0;
    expect(claimSingleInstance(app as never, () => focused++)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    app.emit('second-instance', {}, ['tessera'], '/');
    expect(focused).toBe(1);
  });

  it('a second instance quits without doing anything else', () => {
    const app = new FakeApp({ singleInstanceLock: false });
    let focused = 0;
    expect(claimSingleInstance(app as never, () => focused++)).toBe(false);
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(app.listenerCount('second-instance')).toBe(0);
  });
});

describe('leaving a page with unsaved changes', () => {
  /** The page objected to unloading (its beforeunload was cancelled); returns whether Electron unloads. */
  function pageObjects(win: { webContents: { emit: (e: string, ev: unknown) => boolean } }): boolean {
    let unload = false;
    win.webContents.emit('will-prevent-unload', { preventDefault: () => (unload = true) });
    return unload;
  }

  it('asks "Leave this page?" with Leave and Stay; Leave unloads, Stay (the default) keeps the page', () => {
    const FakeWindow = createFakeBrowserWindowClass(null);
    const win = new FakeWindow({});
    const dialog = { showMessageBoxSync: vi.fn(() => 0) };
    guardUnload(win as never, dialog);

    expect(pageObjects(win)).toBe(true);
    expect(dialog.showMessageBoxSync).toHaveBeenCalledWith(
      win,
      expect.objectContaining({
        message: 'Leave this page?',
        detail: 'Changes you made may not be saved.',
        buttons: ['Leave', 'Stay'],
        defaultId: 1,
        cancelId: 1,
      }),
    );
    dialog.showMessageBoxSync.mockReturnValue(1);
    expect(pageObjects(win)).toBe(false);
  });
});
