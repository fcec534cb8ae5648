/**
 * What a load run needs besides latencies, shared by `npm run load` and `npm run bench portal`: the CPU a
 * process used (from /proc, so it works for child processes we did not instrument), the machine's busy CPU,
 * the load generators as child processes of their own (a generator sharing central's event loop or its own
 * stalled loop would be measured instead of central), and the generator's event-loop lag.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Linux's clock tick (USER_HZ): /proc reports CPU in these; 100 on every mainstream kernel build. */
const TICK_MS = 10;

/** CPU (user + system) a process has used so far, in ms; null when it is gone or /proc is not there. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime (fields 14 and 15)
  } catch {
    return null;
  }
}

/** The machine's busy and total CPU so far, in ms over all cores (from /proc/stat). */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** CPU of a set of processes over a window: call `stop()` at the window's end. */
export function cpuWindow(pids: number[]) {
  const start = pids.map((p) => processCpuMs(p) ?? 0);
  const m0 = machineCpuMs();
  const t0 = performance.now();
  return {
    stop() {
      const used = pids.map((p, i) => (processCpuMs(p) ?? start[i]!) - start[i]!);
      const m1 = machineCpuMs();
      return {
        seconds: (performance.now() - t0) / 1000,
        perProcessMs: used,
        totalMs: used.reduce((a, b) => a + b, 0),
        machineBusyMs: m1.busy - m0.busy,
        load: os.loadavg()[0]!,
      };
    },
  };
}

export interface LagSummary {
  p50: number;
  p99: number;
  max: number;
}

/** Start measuring this process's event-loop lag; `read()` gives it in ms. */
export function lagMeter(): { read(): LagSummary; stop(): void } {
  const h: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return {
    read: () => ({ p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 }),
    stop: () => h.disable(),
  };
}

/** A generator child: a TypeScript module run by tsx in its own process, talking over IPC. */
export interface Generator<In, Out> {
  child: ChildProcess;
  /** Resolves once the child has loaded its modules (start the clock after this). */
  ready: Promise<void>;
  /** Send a message; resolves with the child's next answer. */
  ask(message: In): Promise<Out>;
  stop(): Promise<void>;
}

export function forkGenerator<In, Out>(file: string, name: string): Generator<In, Out> {
  const child = fork(file, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, TESSERA_GENERATOR: name },
  });
  let failed: Error | null = null;
  const waiting: ((m: Out) => void)[] = [];
  const rejects: ((e: Error) => void)[] = [];
  let loaded: () => void = () => {};
  const ready = new Promise<void>((resolve) => (loaded = resolve));
  child.on('message', (m) => {
    if ((m as { loaded?: boolean }).loaded === true) return loaded();
    rejects.shift();
    waiting.shift()?.(m as Out);
  });
  child.on('exit', (code, signal) => {
    if (code === 0) return;
    failed = new Error(`load generator ${name} exited (${code ?? signal})`);
    for (const r of rejects.splice(0)) r(failed);
    waiting.length = 0;
  });
  return {
    child,
    ready: Promise.race([
      ready,
      new Promise<void>((_, reject) =>
        child.once('exit', () => reject(new Error(`load generator ${name} exited`))),
      ),
    ]),
    ask: (message) =>
      new Promise<Out>((resolve, reject) => {
        if (failed) return reject(failed);
        waiting.push(resolve);
        rejects.push(reject);
        child.send(message as object);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Inside a generator child: answer each message from the parent with `handle`'s result. */
export function serveGenerator<In, Out>(handle: (m: In) => Promise<Out>): void {
  // Imported by the parent for its types and constants: only a forked child serves.
  if (!process.send) return;
  process.on('message', (m) => {
    handle(m as In).then(
      (out) => process.send!(out as object),
      (err: unknown) => {
        console.error(`load generator ${process.env.TESSERA_GENERATOR}: ${(err as Error).stack}`);
        process.exit(1);
      },
    );
  });
  process.on('SIGTERM', () => process.exit(0));
  // Every import has been evaluated by now: tell the parent it may start the clock.
  process.send!({ loaded: true });
}

/** The figures every load run prints after its latencies: CPU of central vs the generators, lag, load. */
export function printCpu(opts: {
  seconds: number;
  requests: number;
  central: { label: string; ms: number };
  generatorsMs: number;
  machineBusyMs: number;
  lag: LagSummary[];
  loadBefore: number;
  loadAfter: number;
}): void {
  const cores = os.cpus().length;
  const pct = (ms: number) => `${((ms / (opts.seconds * 1000)) * 100).toFixed(0)}% of one core`;
  const per = opts.requests ? opts.central.ms / opts.requests : NaN;
  console.log(
    `CPU over the ${opts.seconds.toFixed(0)} s window: ${opts.central.label} ${(opts.central.ms / 1000).toFixed(1)} s (${pct(opts.central.ms)}; ${per.toFixed(2)} ms per request), load generators ${(opts.generatorsMs / 1000).toFixed(1)} s (${pct(opts.generatorsMs)}), whole machine ${(opts.machineBusyMs / 1000).toFixed(1)} s of ${(opts.seconds * cores).toFixed(0)} s (${cores} cores; the rest is PostgreSQL, the pooler and anything else running)`,
  );
  const worst = opts.lag.reduce((a, b) => (b.p99 > a.p99 ? b : a), { p50: 0, p99: 0, max: 0 });
  console.log(
    `load generators' event-loop lag (worst of ${opts.lag.length}): p50 ${worst.p50.toFixed(1)} ms, p99 ${worst.p99.toFixed(1)} ms, max ${worst.max.toFixed(0)} ms${worst.p99 > 50 ? '  (the generator itself stalled: latencies include that)' : ''}`,
  );
  console.log(
    `machine load average (1 min) at the start and end of the timed run: ${opts.loadBefore.toFixed(1)} → ${opts.loadAfter.toFixed(1)} on ${cores} cores`,
  );
}
