import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseAdminArgs, runAdminCommand, type AdminDeps } from '../../../main/admin-cli';
import { startDesktopApp, type DesktopElectron } from '../../../main/app';
import { WRAPPED_KEY_FILE } from '../../../main/keystore';
import type { AutoUpdaterLike } from '../../../main/updater';
import { createFakeElectron, type FakeElectron } from './fake-electron';

let userData: string;
let electron: FakeElectron;
let errors: string[];
const KEY = 'ab'.repeat(32);

beforeEach(() => {
  userData = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-admin-'));
  electron = createFakeElectron({ userData, appPath: '/opt/Tessera/resources/app.asar' });
  errors = [];
});
afterEach(() => fs.rmSync(userData, { recursive: true, force: true }));

/** A desktop install that has run once: data folder and the key wrapped by the (fake) key store. */
function installed() {
  fs.mkdirSync(path.join(userData, 'data'));
  fs.writeFileSync(path.join(userData, 'data', 'workstation.db'), '');
  fs.writeFileSync(path.join(userData, WRAPPED_KEY_FILE), electron.safeStorage.encryptString(KEY));
}

function start(argv: string[]) {
  return startDesktopApp({
    electron: electron as unknown as DesktopElectron,
    autoUpdater: {} as AutoUpdaterLike,
    platform: 'linux',
    policyFile: path.join(userData, 'no-policy.json'),
    log: () => {},
    argv: ['/opt/Tessera/tessera', ...argv],
    error: (line) => errors.push(line),
  });
}

describe('parseAdminArgs', () => {
  it('is null for an ordinary start', () => {
    expect(parseAdminArgs(['/opt/Tessera/tessera'])).toBeNull();
    expect(parseAdminArgs(['/opt/Tessera/tessera', '--no-sandbox'])).toBeNull();
  });

  it('maps each action to the workstation CLI command, with absolute paths', () => {
    expect(parseAdminArgs(['x', '--admin', 'backup'])).toEqual({ cliArgs: ['backup'] });
    expect(parseAdminArgs(['x', '--admin', 'backup', '--out', 'b.db'])).toEqual({
      cliArgs: ['backup', '--out', path.resolve('b.db')],
    });
    expect(parseAdminArgs(['x', '--admin', 'restore', '--from=/mnt/usb/b.db'])).toEqual({
      cliArgs: ['restore', '--from', '/mnt/usb/b.db'],
    });
    expect(parseAdminArgs(['x', '--admin', 'verify-audit'])).toEqual({ cliArgs: ['audit', 'verify'] });
    expect(parseAdminArgs(['x', '--admin', 'unlock-user', '--username', 'front.desk'])).toEqual({
      cliArgs: ['user', 'unlock', '--username', 'front.desk'],
    });
    expect(parseAdminArgs(['x', '--admin', 'export-key'])).toEqual({ cliArgs: ['key', 'export'] });
  });

  it('refuses unknown actions, foreign options and missing values with a sentence', () => {
    expect(parseAdminArgs(['x', '--admin'])).toEqual({ error: expect.stringContaining('Name an action.') });
    expect(parseAdminArgs(['x', '--admin', 'serve'])).toEqual({
      error: expect.stringContaining('Unknown action "serve".'),
    });
    // The data folder is this install's; another one cannot be named.
    expect(parseAdminArgs(['x', '--admin', 'backup', '--data-dir', '/tmp'])).toEqual({
      error: expect.stringContaining('"--data-dir" is not an option of backup.'),
    });
    expect(parseAdminArgs(['x', '--admin', 'restore', '--from'])).toEqual({
      error: 'Give a value after --from.',
    });
  });
});

describe('Tessera --admin', () => {
  it('runs the CLI bundle with the key from the key store sent on its parent port, and exits with its code', async () => {
    installed();
    expect(start(['--admin', 'unlock-user', '--username', 'front.desk'])).toBe(false);
    // No window, no server, no single-instance lock: only the admin command.
    expect(electron.app.calls).not.toContain('requestSingleInstanceLock');
    expect(electron.app.enableSandbox).not.toHaveBeenCalled();
    expect(electron.utilityProcess.forkCalls).toHaveLength(0);
    await electron.app.ready();
    await vi.waitFor(() => expect(electron.utilityProcess.forkCalls).toHaveLength(1));
    const call = electron.utilityProcess.forkCalls[0]!;
    expect(call.modulePath).toBe(path.join('/opt/Tessera/resources/app.asar', 'dist', 'cli', 'tessera.mjs'));
    expect(call.args).toEqual([
      'user',
      'unlock',
      '--username',
      'front.desk',
      '--data-dir',
      path.join(userData, 'data'),
    ]);
    // The key is in neither the arguments nor an environment given to the child.
    expect(JSON.stringify(call.options)).not.toContain(KEY);
    expect(call.options).toEqual({ serviceName: 'Tessera administration', stdio: 'inherit' });
    expect(electron.utilityProcess.last.messages).toEqual([{ type: 'tessera-admin-key', keyHex: KEY }]);
    expect(electron.app.exit).not.toHaveBeenCalled();
    electron.utilityProcess.last.crash(3);
    await vi.waitFor(() => expect(electron.app.exit).toHaveBeenCalledWith(3));
    expect(errors).toEqual([]);
  });

  it('says so and exits 2 on a bad request, without touching the key store', async () => {
    installed();
    const decrypt = vi.spyOn(electron.safeStorage, 'decryptString');
    expect(start(['--admin', 'drop-tables'])).toBe(false);
    await vi.waitFor(() => expect(electron.app.exit).toHaveBeenCalledWith(2));
    expect(errors[0]).toContain('Unknown action "drop-tables".');
    expect(decrypt).not.toHaveBeenCalled();
    expect(electron.utilityProcess.forkCalls).toHaveLength(0);
  });

  it('never makes a key: no data is an error, and a key store that cannot unlock the key is one too', async () => {
    start(['--admin', 'backup']);
    await electron.app.ready();
    await vi.waitFor(() => expect(electron.app.exit).toHaveBeenCalledWith(1));
    expect(errors[0]).toContain('There is no Tessera data for this OS user');
    expect(fs.existsSync(path.join(userData, WRAPPED_KEY_FILE))).toBe(false);

    const deps = (): AdminDeps => ({
      app: electron.app,
      safeStorage: electron.safeStorage,
      fork: electron.utilityProcess.fork as unknown as AdminDeps['fork'],
      cliPath: '/cli.mjs',
      dataDir: path.join(userData, 'data'),
      platform: 'linux',
      policyFile: path.join(userData, 'no-policy.json'),
      error: (line) => errors.push(line),
    });
    installed();
    fs.writeFileSync(path.join(userData, WRAPPED_KEY_FILE), Buffer.from('wrapped by another OS account'));
    errors = [];
    expect(await runAdminCommand({ cliArgs: ['backup'] }, deps())).toBe(1);
    expect(errors[0]).toContain('could not be unlocked');
    expect(errors.join('\n')).not.toContain(KEY);
    expect(electron.utilityProcess.forkCalls).toHaveLength(0);
  });
});
