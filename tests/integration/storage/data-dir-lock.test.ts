import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, isDataDirLocked, lockDataDir } from '../../../server/workstation/data-dir-lock';
import { waitFor } from '../../support/sync';
import { tempDir } from '../../support/workstation';

/**
 * One server per data folder. A server killed while its parent has not reaped it yet is a zombie: it still
 * answers signal 0, but it will never touch the database again, so its lock must not block `serve`.
 */

let parent: ChildProcess | null = null;
afterEach(() => {
  parent?.kill('SIGKILL');
  parent = null;
});

/** A real zombie: a shell starts a short-lived child, then becomes a process that never reaps it. */
async function zombie(): Promise<{ zombiePid: number; parentPid: number }> {
  parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const zombiePid = await new Promise<number>((resolve) =>
    parent!.stdout!.once('data', (d) => resolve(Number(String(d).trim()))),
  );
  await waitFor('the child to become a zombie', () =>
    /^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${zombiePid}/stat`, 'utf8')),
  );
  return { zombiePid, parentPid: parent.pid! };
}

describe.runIf(process.platform === 'linux')('the data folder lock', () => {
  it('is taken over from a zombie owner, and still refused to a live one', async () => {
    const { zombiePid, parentPid } = await zombie();
    // The zombie still exists as far as signal 0 is concerned: that is what fooled the old check.
    expect(() => process.kill(zombiePid, 0)).not.toThrow();
    expect(isAlive(zombiePid)).toBe(false);
    expect(isAlive(parentPid)).toBe(true);

    const dir = tempDir('tessera-lock-');
    const lockFile = path.join(dir, 'server.lock');
    fs.writeFileSync(lockFile, String(zombiePid));
    expect(isDataDirLocked(dir)).toBe(false);
    const unlock = lockDataDir(dir);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    unlock();

    fs.writeFileSync(lockFile, String(parentPid));
    expect(isDataDirLocked(dir)).toBe(true);
    expect(() => lockDataDir(dir)).toThrow(`Another Tessera server (process ${parentPid}) is using ${dir}`);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(parentPid));
  });
});
