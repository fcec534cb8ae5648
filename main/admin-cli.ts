import * as path from 'node:path';
import type { AdminKeyMessage } from '../server/contracts/desktop/index';
import type { SafeStorageLike } from './keystore';
import { directoryHasEntries, loadOrCreateDbKey } from './keystore';
import { loadMachinePolicy } from './policy';

/**
 * `Tessera --admin <action> [options]`: an administrator's command line on a packaged install. The database
 * key of a desktop install sits in the OS key store, which only this app (as the signed-in OS user) can
 * open; so main opens it and runs the workstation CLI (dist/cli/tessera.mjs) as a utility process with the
 * key, passing the action through. Nothing else happens in main: no window, no server, no single-instance
 * lock (a backup may run beside the open app; restore refuses while the data folder is locked).
 *
 * The key goes to the CLI in a message on its parent port, not in its environment or arguments, which
 * other processes of the user can read.
 */

/** Action -> the workstation CLI's command, and the options it may carry. */
export const ADMIN_ACTIONS: Record<string, { command: string[]; options: string[] }> = {
  backup: { command: ['backup'], options: ['--out'] },
  restore: { command: ['restore'], options: ['--from'] },
  'verify-audit': { command: ['audit', 'verify'], options: [] },
  'unlock-user': { command: ['user', 'unlock'], options: ['--username'] },
  'export-key': { command: ['key', 'export'], options: [] },
};

export const ADMIN_USAGE = `Usage: Tessera --admin <action> [options]

  backup [--out FILE]            write an encrypted backup of this computer's Tessera data
  restore --from FILE            replace the data with a backup (quit Tessera first)
  verify-audit                   check the audit log's hash chain; exit code 1 if broken
  unlock-user --username NAME    clear a staff account's lockout
  export-key                     print the database key once, for IT's escrow (audited)`;

export type AdminRequest = { cliArgs: string[] } | { error: string };

/** The admin request in the process arguments, or null when this is an ordinary start of the app. */
export function parseAdminArgs(argv: readonly string[]): AdminRequest | null {
  const at = argv.indexOf('--admin');
  if (at < 0) return null;
  const [action, ...rest] = argv.slice(at + 1);
  const spec = action ? ADMIN_ACTIONS[action] : undefined;
  if (!spec)
    return { error: `${action ? `Unknown action "${action}".` : 'Name an action.'}\n\n${ADMIN_USAGE}` };
  const cliArgs = [...spec.command];
  for (let i = 0; i < rest.length; i++) {
    const [name, inline] = rest[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!spec.options.includes(name)) {
      return { error: `"${rest[i]}" is not an option of ${action}.\n\n${ADMIN_USAGE}` };
    }
    const value = inline ?? rest[++i];
    if (value === undefined || value === '') return { error: `Give a value after ${name}.` };
    // Paths are made absolute here: the CLI runs with the app's working directory, not the shell's.
    cliArgs.push(name, name === '--username' ? value : path.resolve(value));
  }
  return { cliArgs };
}

/** What the admin runner needs of Electron and the app (the real modules in main.ts, fakes in tests). */
export interface AdminDeps {
  app: { whenReady(): Promise<unknown>; getPath(name: 'userData'): string; exit(code?: number): void };
  safeStorage: SafeStorageLike;
  fork: (
    modulePath: string,
    args: string[],
    options: { serviceName: string; stdio: 'inherit' },
  ) => {
    postMessage(message: unknown): void;
    once(event: 'exit', listener: (code: number) => void): unknown;
  };
  /** The workstation CLI bundle inside the app. */
  cliPath: string;
  dataDir: string;
  platform: NodeJS.Platform;
  policyFile: string;
  /** Where errors go (stderr). */
  error: (line: string) => void;
}

/** Runs one admin request and exits the app with the CLI's exit code. */
export async function runAdminCommand(request: AdminRequest, deps: AdminDeps): Promise<number> {
  const finish = (code: number) => {
    deps.app.exit(code);
    return code;
  };
  if ('error' in request) {
    deps.error(request.error);
    return finish(2);
  }
  // safeStorage answers only after 'ready' (Linux reports no backend before it).
  await deps.app.whenReady();
  if (!directoryHasEntries(deps.dataDir)) {
    deps.error('There is no Tessera data for this OS user on this computer (start Tessera once first).');
    return finish(1);
  }
  let keyHex: string;
  try {
    const { policy } = loadMachinePolicy(deps.policyFile);
    // Data exists, so this never makes a new key: a missing or unreadable one is an error.
    keyHex = loadOrCreateDbKey({
      userDataDir: deps.app.getPath('userData'),
      platform: deps.platform,
      safeStorage: deps.safeStorage,
      allowKeyFile: policy.allowKeyFile,
      hasExistingData: () => true,
    }).keyHex;
  } catch (err) {
    deps.error((err as Error).message);
    return finish(1);
  }
  const child = deps.fork(deps.cliPath, [...request.cliArgs, '--data-dir', deps.dataDir], {
    serviceName: 'Tessera administration',
    stdio: 'inherit',
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code)));
  const message: AdminKeyMessage = { type: 'tessera-admin-key', keyHex };
  child.postMessage(message);
  return finish(await exited);
}
