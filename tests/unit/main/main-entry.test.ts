import * as fs from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron';

// The real entry file, with 'electron' and 'electron-updater' replaced: proves main.ts wires the real
// modules into startDesktopApp and does nothing of its own.
vi.mock('electron', async () => {
  const os = await import('node:os');
  const path = await import('node:path');
  const { createFakeElectron } = await import('./fake-electron');
  return createFakeElectron({ userData: fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-entry-')) });
});
vi.mock('electron-updater', async () => {
  const { EventEmitter } = await import('node:events');
  return {
    autoUpdater: Object.assign(new EventEmitter(), { checkForUpdates: vi.fn(), quitAndInstall: vi.fn() }),
  };
});

let electron: FakeElectron;
afterAll(() => fs.rmSync(electron.app.getPath('userData'), { recursive: true, force: true }));

describe('main.ts entry', () => {
  it('starts the desktop app with the electron module', async () => {
    await import('../../../main/main');
    electron = (await import('electron')) as unknown as FakeElectron;
    expect(electron.app.enableSandbox).toHaveBeenCalledTimes(1);
    expect(electron.app.calls).toContain('requestSingleInstanceLock');
    // Production code reads the real /etc/tessera/policy.json; a machine that has one may legitimately refuse.
    await electron.app.ready();
    await vi.waitFor(() =>
      expect(electron.utilityProcess.children.length + electron.dialog.showErrorBox.mock.calls.length).toBe(
        1,
      ),
    );
    if (!fs.existsSync('/etc/tessera/policy.json')) {
      expect(electron.dialog.showErrorBox).not.toHaveBeenCalled();
      expect(electron.utilityProcess.forkCalls[0]?.options).toEqual({
        serviceName: 'Tessera workstation server',
        stdio: 'pipe',
      });
    }
  });
});
