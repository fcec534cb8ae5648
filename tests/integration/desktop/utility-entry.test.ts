import crypto from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../../server/contracts/desktop';
import { tempDir } from '../../support/workstation';

const entry = path.resolve('server/workstation/utility-entry.ts');
const shim = path.resolve('tests/integration/desktop/parent-port-shim.cjs');
let child: ChildProcess | undefined;
afterEach(() => child?.kill());

function startEntry(): { child: ChildProcess; next: () => Promise<ServerEvent> } {
  child = fork(entry, [], { execArgv: ['--require', shim, '--import', 'tsx'], stdio: 'pipe' });
  const queue: ServerEvent[] = [];
  let wake: (() => void) | null = null;
  child.on('message', (m) => {
    queue.push(m as ServerEvent);
    wake?.();
  });
  return {
    child,
    next: async () => {
      while (!queue.length) await new Promise<void>((r) => (wake = r));
      return queue.shift()!;
    },
  };
}

const startMessage = (dataDir: string, keyHex: string, launchSecret: string) => ({
  type: 'start',
  dataDir,
  dbKeyHex: keyHex,
  launchSecret,
  rendererDir: path.resolve('dist/renderer'),
  appVersion: 'test',
});

describe('workstation server as Electron utilityProcess', () => {
  it('starts from the start message and hands back a working launch URL', async () => {
    const { child, next } = startEntry();
    const secret = crypto.randomBytes(32).toString('base64url');
    child.send(startMessage(tempDir(), crypto.randomBytes(32).toString('hex'), secret));
    const ready = await next();
    expect(ready.type).toBe('ready');
    if (ready.type !== 'ready') return;
    expect(ready.launchUrl).toBe(`http://127.0.0.1:${ready.port}/launch?token=${secret}`);
    const launch = await fetch(ready.launchUrl, { redirect: 'manual' });
    expect(launch.status).toBe(303);
    // One-time: the same URL does not work twice.
    expect((await fetch(ready.launchUrl, { redirect: 'manual' })).status).toBe(403);
  });

  it('reports a wrong key as fatal instead of creating a new database', async () => {
    const dataDir = tempDir();
    const first = startEntry();
    first.child.send(startMessage(dataDir, crypto.randomBytes(32).toString('hex'), crypto.randomBytes(32).toString('base64url')));
    expect((await first.next()).type).toBe('ready');
    first.child.kill();
    await new Promise((r) => first.child.once('exit', r));

    const second = startEntry();
    second.child.send(startMessage(dataDir, crypto.randomBytes(32).toString('hex'), crypto.randomBytes(32).toString('base64url')));
    const event = await second.next();
    expect(event).toEqual({ type: 'fatal', message: expect.stringMatching(/key does not open this database/) });
  });

  it('refuses a malformed start message', async () => {
    const { child, next } = startEntry();
    child.send({ type: 'start', dataDir: '/tmp/x', dbKeyHex: 'not-a-key' });
    expect(await next()).toEqual({ type: 'fatal', message: expect.stringMatching(/invalid start message/) });
  });
});
