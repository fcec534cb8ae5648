/**
 * `npm run bench portal`: 500 patients browsing the portal at once on loopback (target p95 < 100 ms, 0
 * errors). The real stack: central on PostgreSQL with RLS, each patient invited by e-mail through the
 * loopback SMTP server and set up with a password and an authenticator code (tests/support/portal.ts),
 * their appointments booked on a workstation and replicated. Each patient then browses like the pages do:
 * open a page (the signed-in check and the page's data in parallel, as the SPA fetches them), read it for a
 * while, open the next (appointments, account activity, sign-in methods), for the measured period.
 *
 * The reading time is TPC-W's model of a person browsing the web (negative exponential, mean 7 s, at most
 * 70 s; portal-browse.ts `thinkMs`), and every patient is mid-browse when the clock starts (the first page
 * after one such pause). The first version paused 1–3 s and opened every first page within one second: a
 * patient then asked a page every 2 s, about 3.5 times what a reader does, and the start was a burst of all
 * 500 patients at once; 500 such patients would ask ~500 calls/s, a load that 1 700 patients reading pages
 * make. The run prints the pages and requests per second it achieved, to compare with 500 / 7 s ≈ 70 pages/s.
 * Every request's latency counts; an error is any answer other than 2xx or a failed fetch.
 * Set-up time is printed but not measured against the target. The browsing patients run in GENERATORS child
 * processes of their own (portal-browse.ts) while central serves from this one, so a busy generator is not
 * measured as central's latency; the run prints the CPU each side used (central's per request), the
 * generators' event-loop lag and the load average.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { releasePostgres } from '../support/postgres';
import {
  linkIn,
  portalCode,
  PortalBrowser,
  startPortalStack,
  tokenOf,
  type PortalStack,
} from '../support/portal';
import { forkGenerator, machineCpuMs, printCpu, type Generator } from './load-meter';
import { THINK_MEAN_MS, type BrowseOrder, type BrowseResult } from './portal-browse';
import type { BenchOptions } from './run';
import { report, summarise } from './stats';

const PATIENTS = 500;
const TARGET_P95_MS = 100;

/** Processes the browsing patients are spread over (the machine has two cores; central has this one). */
const GENERATORS = 2;

async function pool<T>(items: T[], width: number, fn: (x: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** Patients with two appointments each (replicated to central) and a signed-in portal session each. */
async function patients(stack: PortalStack, n: number): Promise<PortalBrowser[]> {
  const ids: string[] = [];
  await pool(
    Array.from({ length: n }, (_, i) => i),
    4,
    async (i) => {
      const p = await stack.addPatient(`Bench${i}`, `Patient${i}`, '1980-01-01');
      await stack.book(p.id, 3 * 24 * 60 + i * 10);
      await stack.book(p.id, 14 * 24 * 60 + i * 10);
      ids.push(p.id);
    },
  );
  await stack.workstation.sync.syncNow();
  const browsers: PortalBrowser[] = [];
  await pool(ids, 6, async (patientId, i) => {
    const email = `bench${i}@example.org`;
    const invite = await stack.staff.call('portalCentralInvite', {
      body: { kind: 'self', patientId, email },
    });
    if (invite.status !== 200) throw new Error(`invite: ${invite.text}`);
    const token = tokenOf(linkIn(await stack.smtp.waitFor(email, 30_000)));
    const b = new PortalBrowser(stack.central.url);
    const begin = await b.call('POST', '/v1/portal/setup/begin', { token });
    const done = await b.call('POST', '/v1/portal/setup/complete', {
      token,
      password: 'a long portal passphrase',
      code: portalCode(begin.body.totpSecret),
    });
    if (done.status !== 200) throw new Error(`set-up: ${done.text}`);
    browsers.push(b);
  });
  return browsers;
}

/**
 * With TESSERA_BENCH_PROFILE=FILE.cpuprofile, central's CPU profile over the measured window only (not the
 * set-up), for `npx tsx tests/bench/cpu-profile.ts FILE`. Returns the function that stops and writes it.
 */
async function profileWindow(file: string | undefined): Promise<(() => Promise<void>) | null> {
  if (!file) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`  central's CPU profile of the window: ${file}`);
  };
}

export async function run({ scale }: BenchOptions): Promise<void> {
  const n = Math.max(10, Math.round(PATIENTS * scale));
  // 60 s: with 7 s pauses, about eight pages per patient.
  const seconds = Math.max(10, Math.round(60 * Math.min(1, scale * 2)));
  const pageDir = path.resolve(import.meta.dirname, '../../dist/portal');
  const pages = fs.existsSync(path.join(pageDir, 'index.html'));
  const t0 = performance.now();
  const stack = await startPortalStack({
    pageDir,
    // As configured in production (TESSERA_CENTRAL_DB_POOL's default); the set-up's 2×n entry calls from
    // one address would otherwise meet the per-address sign-in limit.
    central: {
      poolSize: 20,
      rateLimits: { enrollPerMinute: 1000, signInPerMinute: 100_000, authFailuresPerMinute: 1000 },
    },
  });
  try {
    const browsers = await patients(stack, n);
    console.log(
      `  set-up: ${n} patients invited by e-mail, set up and signed in, ${2 * n} visits replicated, in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    if (!pages)
      console.log(
        '  dist/portal is not built: pages are skipped, API calls only (node scripts/build.mjs portal)',
      );
    const generators: Generator<BrowseOrder, BrowseResult>[] = [];
    const file = path.join(import.meta.dirname, 'portal-browse.ts');
    for (let g = 0; g < GENERATORS; g++) generators.push(forkGenerator(file, `portal-${g}`));
    try {
      // The clock starts once the children have loaded their modules.
      await Promise.all(generators.map((g) => g.ready));
      const cookies = browsers.map((b) => b.cookie!);
      const share = Math.ceil(cookies.length / GENERATORS);
      const deadline = Date.now() + seconds * 1000;
      const cpu0 = process.cpuUsage();
      const kids0 = generators.map((g) => g.child.pid!);
      const m0 = machineCpuMs();
      const loadBefore = os.loadavg()[0]!;
      const profile = await profileWindow(process.env.TESSERA_BENCH_PROFILE);
      const started = performance.now();
      const results = await Promise.all(
        generators.map((g, k) =>
          g.ask({
            url: stack.central.url,
            cookies: cookies.slice(k * share, (k + 1) * share),
            offset: k * share,
            pages,
            deadline,
          }),
        ),
      );
      const elapsed = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpu0);
      await profile?.();
      const m1 = machineCpuMs();
      const samples = results.flatMap((r) => r.api);
      const pageSamples = results.flatMap((r) => r.pages);
      const errors = results.reduce((n, r) => n + r.errors, 0);
      const firstErrors = results.flatMap((r) => r.firstErrors).slice(0, 5);
      const all = [...samples, ...pageSamples];
      const opened = results.reduce((t, r) => t + r.opened, 0);
      console.log(
        `  ${n} patients browsing for ${elapsed.toFixed(0)} s from ${kids0.length} processes: ${opened} pages (${(opened / elapsed).toFixed(1)}/s; ${n} readers at ${THINK_MEAN_MS / 1000} s a page make ${(n / (THINK_MEAN_MS / 1000)).toFixed(0)}/s), ${all.length} requests (${(all.length / elapsed).toFixed(0)}/s)`,
      );
      report('portal API call (me, appointments, activity, passkeys)', summarise(samples), TARGET_P95_MS);
      if (pages) report('portal page (app shell, session checked)', summarise(pageSamples), TARGET_P95_MS);
      report('every request', summarise(all), TARGET_P95_MS);
      console.log(`${'errors'.padEnd(56)} ${errors}  target 0: ${errors === 0 ? 'met' : 'MISSED'}`);
      for (const e of firstErrors) console.log(`  e.g. ${e}`);
      printCpu({
        seconds: elapsed,
        requests: all.length,
        central: { label: 'central (this process)', ms: (cpu.user + cpu.system) / 1000 },
        generatorsMs: results.reduce((t, r) => t + r.cpuMs, 0),
        machineBusyMs: m1.busy - m0.busy,
        lag: results.map((r) => r.lag),
        loadBefore,
        loadAfter: os.loadavg()[0]!,
      });
    } finally {
      for (const g of generators) await g.stop();
    }
  } finally {
    await stack.stop();
    await releasePostgres();
  }
}
