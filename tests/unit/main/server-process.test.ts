import { describe, expect, it, vi } from 'vitest';
import {
  SERVER_SERVICE_NAME,
  createServerSupervisor,
  newLaunchSecret,
  type ServerReady,
  type ServerSupervisorOptions,
} from '../../../main/server-process';
import { serverStartMessageSchema } from '../../../server/contracts/desktop/index';
import { FakeUtilityProcess } from './fake-electron';

const KEY = 'c0ffee'.repeat(10) + 'abcd';

/** Manual clock and timer queue, so restart delays are asserted exactly. */
function manualTimers() {
  let time = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void; ms: number }>();
  return {
    now: () => time,
    setTimer: (fn: () => void, ms: number) => {
      const id = nextId++;
      pending.set(id, { at: time + ms, fn, ms });
      return id;
    },
    clearTimer: (id: unknown) => void pending.delete(id as number),
    delays: () => [...pending.values()].map((t) => t.ms),
    advance(ms: number) {
      time += ms;
      for (const [id, timer] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= time && pending.has(id)) {
          pending.delete(id);
          timer.fn();
        }
      }
    },
  };
}

function setup(overrides: Partial<ServerSupervisorOptions> = {}) {
  const utility = new FakeUtilityProcess();
  const timers = manualTimers();
  const ready: ServerReady[] = [];
  const fatal: string[] = [];
  const gaveUp: string[] = [];
  const logs: string[] = [];
  const supervisor = createServerSupervisor({
    fork: utility.fork,
    modulePath: '/app/dist/server/utility.cjs',
    startMessage: () => ({
      type: 'start',
      dataDir: '/home/u/.config/Tessera/data',
      dbKeyHex: KEY,
      launchSecret: newLaunchSecret(),
      rendererDir: '/app/dist/renderer',
      appVersion: '1.2.3',
    }),
    onReady: (r) => ready.push(r),
    onFatal: (m) => fatal.push(m),
    onGiveUp: (m) => gaveUp.push(m),
    log: (l) => logs.push(l),
    readyTimeoutMs: 30_000,
    ...timers,
    ...overrides,
  });
  return { supervisor, utility, timers, ready, fatal, gaveUp, logs };
}

describe('workstation server process', () => {
  it('forks the utility entry with no arguments or environment and sends the key by message', () => {
    const { supervisor, utility } = setup();
    supervisor.start();
    expect(utility.forkCalls).toEqual([
      {
        modulePath: '/app/dist/server/utility.cjs',
        args: [],
        options: { serviceName: SERVER_SERVICE_NAME, stdio: 'pipe' },
      },
    ]);
    expect(JSON.stringify(utility.forkCalls)).not.toContain(KEY);
    expect(Object.values(process.env).join('\n')).not.toContain(KEY);

    const message = utility.last.messages[0];
    expect(utility.last.messages).toHaveLength(1);
    expect(serverStartMessageSchema.parse(message)).toEqual(message);
    expect(message).toMatchObject({
      type: 'start',
      dbKeyHex: KEY,
      rendererDir: '/app/dist/renderer',
      appVersion: '1.2.3',
    });
  });

  it('uses 256-bit base64url launch secrets', () => {
    const secret = newLaunchSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(newLaunchSecret()).not.toBe(secret);
  });

  it('reports ready with the origin and launch URL', () => {
    const { supervisor, utility, ready } = setup();
    supervisor.start();
    utility.last.ready(41000, 'http://127.0.0.1:41000/launch?token=abc');
    expect(ready).toEqual([
      { port: 41000, origin: 'http://127.0.0.1:41000', launchUrl: 'http://127.0.0.1:41000/launch?token=abc' },
    ]);
    expect(supervisor.state).toBe('running');
  });

  it('passes on a second ready from the same process (restarted in place after a restore) without a respawn', () => {
    const { supervisor, utility, ready } = setup();
    supervisor.start();
    utility.last.ready(41000, 'http://127.0.0.1:41000/launch?token=abc');
    utility.last.ready(41000, 'http://127.0.0.1:41000/launch?token=def');
    expect(ready.map((r) => r.launchUrl)).toEqual([
      'http://127.0.0.1:41000/launch?token=abc',
      'http://127.0.0.1:41000/launch?token=def',
    ]);
    expect(utility.children).toHaveLength(1);
    expect(supervisor.state).toBe('running');
  });

  it('restarts a crashed server with backoff and a fresh launch secret', () => {
    const { supervisor, utility, timers, ready } = setup();
    supervisor.start();
    utility.last.ready(41000);
    utility.last.crash(3);
    expect(supervisor.state).toBe('restarting');
    expect(timers.delays()).toEqual([1_000]);
    timers.advance(999);
    expect(utility.children).toHaveLength(1);
    timers.advance(1);
    expect(utility.children).toHaveLength(2);

    utility.last.crash(3); // dies before ready: the next wait is longer
    expect(timers.delays()).toEqual([2_000]);
    timers.advance(2_000);
    utility.last.ready(42000);
    expect(ready.map((r) => r.origin)).toEqual(['http://127.0.0.1:41000', 'http://127.0.0.1:42000']);

    const secrets = utility.children.map((c) => (c.messages[0] as { launchSecret: string }).launchSecret);
    expect(new Set(secrets).size).toBe(3);
  });

  it('gives up after repeated quick failures', () => {
    const { supervisor, utility, timers, gaveUp } = setup({
      maxRestarts: 3,
      backoffMs: [1_000, 2_000, 5_000],
    });
    supervisor.start();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      utility.last.crash(1);
      waits.push(...timers.delays());
      timers.advance(10_000);
    }
    expect(waits).toEqual([1_000, 2_000, 5_000]);
    expect(utility.children).toHaveLength(4);
    utility.last.crash(1);
    expect(supervisor.state).toBe('failed');
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatch(/4 times/);
    timers.advance(60_000);
    expect(utility.children).toHaveLength(4);
  });

  it('forgets old failures once the server has run stably', () => {
    const { supervisor, utility, timers, gaveUp } = setup({ maxRestarts: 1, stableAfterMs: 60_000 });
    supervisor.start();
    for (let i = 0; i < 5; i++) {
      utility.last.ready(41000 + i);
      timers.advance(120_000);
      utility.last.crash(1);
      expect(timers.delays()).toEqual([1_000]);
      timers.advance(1_000);
    }
    expect(gaveUp).toEqual([]);
  });

  it('does not restart after a fatal event, and passes the message on', () => {
    const { supervisor, utility, timers, fatal } = setup();
    supervisor.start();
    utility.last.emit('message', { type: 'fatal', message: 'The database key does not open this database.' });
    expect(fatal).toEqual(['The database key does not open this database.']);
    expect(utility.last.killed).toBe(true);
    expect(supervisor.state).toBe('failed');
    timers.advance(60_000);
    expect(utility.children).toHaveLength(1);
  });

  it('kills and restarts a server that never becomes ready', () => {
    const { supervisor, utility, timers } = setup();
    supervisor.start();
    timers.advance(30_000);
    expect(utility.children[0]!.killed).toBe(true);
    timers.advance(1_000);
    expect(utility.children).toHaveLength(2);
  });

  it('treats a launch URL outside the reported 127.0.0.1 port as fatal', () => {
    const { supervisor, utility, fatal, ready } = setup();
    supervisor.start();
    utility.last.ready(41000, 'http://evil.example:41000/launch');
    expect(ready).toEqual([]);
    expect(fatal).toHaveLength(1);
  });

  it('ignores malformed messages', () => {
    const { supervisor, utility, ready, fatal, logs } = setup();
    supervisor.start();
    utility.last.emit('message', { type: 'ready', port: 'x' });
    utility.last.emit('message', 'hello');
    expect(ready).toEqual([]);
    expect(fatal).toEqual([]);
    expect(supervisor.state).toBe('starting');
    expect(logs.some((l) => l.includes('malformed'))).toBe(true);
  });

  it('stop() kills the server and cancels a pending restart', () => {
    const { supervisor, utility, timers } = setup();
    supervisor.start();
    utility.last.crash(1);
    supervisor.stop();
    timers.advance(60_000);
    expect(utility.children).toHaveLength(1);

    const second = setup();
    second.supervisor.start();
    second.utility.last.ready(41000);
    second.supervisor.stop();
    expect(second.utility.last.killed).toBe(true);
    second.timers.advance(60_000);
    expect(second.utility.children).toHaveLength(1);
  });

  it('forwards server output lines to the log', async () => {
    const { supervisor, utility, logs } = setup();
    supervisor.start();
    utility.last.stdout.write('listening\n');
    utility.last.stderr.write('warn: slow disk\n');
    await vi.waitFor(() =>
      expect(logs).toEqual(expect.arrayContaining(['[server] listening', '[server] warn: slow disk'])),
    );
  });

  it('refuses to send a malformed start message', () => {
    const { supervisor, utility } = setup({
      startMessage: () => ({
        type: 'start',
        dataDir: '/d',
        dbKeyHex: 'short',
        launchSecret: 'x',
        rendererDir: '/r',
        appVersion: '1',
      }),
    });
    expect(() => supervisor.start()).toThrow();
    expect(utility.children).toHaveLength(0);
  });
});
