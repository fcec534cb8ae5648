import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import {
  serverEventSchema,
  serverStartMessageSchema,
  type ServerStartMessage,
  type UpdateFeed,
} from '../server/contracts/desktop/index';
import { originForPort } from './origin';

export const SERVER_SERVICE_NAME = 'Tessera workstation server';

/** The parts of Electron's UtilityProcess the supervisor uses; the overloads mirror electron.d.ts. */
export interface ServerChild {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  postMessage(message: unknown): void;
  kill(): boolean;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
}

export interface ServerForkOptions {
  serviceName: string;
  stdio: 'pipe';
}

export type ForkServer = (modulePath: string, args: string[], options: ServerForkOptions) => ServerChild;

export interface ServerReady {
  port: number;
  origin: string;
  launchUrl: string;
}

export interface ServerSupervisorOptions {
  fork: ForkServer;
  modulePath: string;
  /** Called for every start, so each process gets a fresh launch secret. */
  startMessage: () => ServerStartMessage;
  onReady: (ready: ServerReady) => void;
  /** The server refused to run (wrong key, unusable data folder). Not retried. */
  onFatal: (message: string) => void;
  /** Restarts were exhausted. */
  onGiveUp: (message: string) => void;
  /** Central's update feed for this workstation, reported at start and whenever enrollment changes. */
  onUpdateFeed?: (feed: UpdateFeed) => void;
  /** The server stopped unexpectedly and a restart is scheduled. */
  onRestarting?: (attempt: number, delayMs: number) => void;
  log?: (line: string) => void;
  backoffMs?: readonly number[];
  maxRestarts?: number;
  /** A server that stayed up this long after 'ready' resets the failure count. */
  stableAfterMs?: number;
  readyTimeoutMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface ServerSupervisor {
  start(): void;
  /** Stops the server and cancels any pending restart. */
  stop(): void;
  readonly state: SupervisorState;
}

export type SupervisorState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export const DEFAULT_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;

export function newLaunchSecret(): string {
  return randomBytes(32).toString('base64url');
}

function pipeLines(stream: NodeJS.ReadableStream | null, log: (line: string) => void): void {
  if (!stream) return;
  // With stdio 'pipe' the output must be consumed, or the server blocks once the pipe buffer fills.
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => log(line));
}

export function createServerSupervisor(options: ServerSupervisorOptions): ServerSupervisor {
  const log = options.log ?? (() => {});
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const maxRestarts = options.maxRestarts ?? 5;
  const stableAfterMs = options.stableAfterMs ?? 60_000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as NodeJS.Timeout));

  let state: SupervisorState = 'idle';
  let child: ServerChild | null = null;
  let readyAt: number | null = null;
  let failures = 0;
  let readyTimer: unknown = null;
  let restartTimer: unknown = null;

  function clearReadyTimer(): void {
    if (readyTimer !== null) clearTimer(readyTimer);
    readyTimer = null;
  }

  function fail(message: string, notify: (message: string) => void): void {
    state = 'failed';
    clearReadyTimer();
    const current = child;
    child = null;
    current?.kill();
    notify(message);
  }

  function spawn(): void {
    restartTimer = null;
    state = 'starting';
    readyAt = null;
    // Validated here so a malformed key fails loudly in main rather than as a confusing error in the server.
    const message = serverStartMessageSchema.parse(options.startMessage());
    // No env or argv of our own: the key and launch secret travel only in the message below.
    const proc = options.fork(options.modulePath, [], { serviceName: SERVER_SERVICE_NAME, stdio: 'pipe' });
    child = proc;
    pipeLines(proc.stdout, (line) => log(`[server] ${line}`));
    pipeLines(proc.stderr, (line) => log(`[server] ${line}`));
    proc.on('message', (raw) => {
      if (proc === child) onMessage(raw);
    });
    proc.on('exit', (code) => {
      if (proc === child) onExit(code);
    });
    proc.postMessage(message);
    readyTimer = setTimer(() => {
      readyTimer = null;
      if (proc !== child || state !== 'starting') return;
      log(`Workstation server did not report ready within ${readyTimeoutMs} ms; stopping it.`);
      proc.kill();
    }, readyTimeoutMs);
  }

  function onMessage(raw: unknown): void {
    const parsed = serverEventSchema.safeParse(raw);
    if (!parsed.success) {
      log('Ignored a malformed message from the workstation server.');
      return;
    }
    const event = parsed.data;
    if (event.type === 'fatal') {
      fail(event.message, options.onFatal);
      return;
    }
    if (event.type === 'update-feed') {
      options.onUpdateFeed?.(event.feed);
      return;
    }
    const origin = originForPort(event.port);
    let launchOrigin: string | null = null;
    try {
      launchOrigin = new URL(event.launchUrl).origin;
    } catch {
      // handled below
    }
    if (launchOrigin !== origin) {
      // The window guards only trust http://127.0.0.1:<port>; any other launch URL would be blocked anyway.
      fail('The local server reported a launch address outside 127.0.0.1.', options.onFatal);
      return;
    }
    clearReadyTimer();
    state = 'running';
    readyAt = now();
    options.onReady({ port: event.port, origin, launchUrl: event.launchUrl });
  }

  function onExit(code: number): void {
    child = null;
    clearReadyTimer();
    if (state === 'stopped' || state === 'failed') return;
    if (readyAt !== null && now() - readyAt >= stableAfterMs) failures = 0;
    failures += 1;
    if (failures > maxRestarts) {
      state = 'failed';
      options.onGiveUp(
        `The local Tessera server stopped ${failures} times in a row (last exit code ${code}) and will not be ` +
          'restarted again. Restart Tessera; if this keeps happening, contact IT.',
      );
      return;
    }
    const delay = backoff[Math.min(failures - 1, backoff.length - 1)] ?? 1_000;
    log(
      `Workstation server exited unexpectedly (code ${code}); restarting in ${delay} ms (attempt ${failures}).`,
    );
    state = 'restarting';
    options.onRestarting?.(failures, delay);
    restartTimer = setTimer(spawn, delay);
  }

  return {
    get state() {
      return state;
    },
    start() {
      if (state !== 'idle') throw new Error(`Server supervisor already ${state}`);
      spawn();
    },
    stop() {
      state = 'stopped';
      clearReadyTimer();
      if (restartTimer !== null) clearTimer(restartTimer);
      restartTimer = null;
      const current = child;
      child = null;
      current?.kill();
    },
  };
}
