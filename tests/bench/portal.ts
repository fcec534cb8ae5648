/**
 * `npm run bench portal`: 500 patients browsing the portal at once on loopback (target p95 < 100 ms, 0
 * errors). The real stack: central on PostgreSQL with RLS, each patient invited by e-mail through the
 * loopback SMTP server and set up with a password and an authenticator code (tests/support/portal.ts),
 * their appointments booked on a workstation and replicated. Each patient then browses like the pages do:
 * open a page (the signed-in check and the page's data in parallel, as the SPA fetches them), read it for a
 * while (think time 1–3 s), open the next (appointments, account activity, sign-in methods), for the
 * measured period. Every request's latency counts; an error is any answer other than 2xx or a failed fetch.
 * Set-up time is printed but not measured against the target.
 */
import fs from 'node:fs';
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
import type { BenchOptions } from './run';
import { report, summarise } from './stats';

const PATIENTS = 500;
const TARGET_P95_MS = 100;

/** The pages a patient opens, each with the API calls its screen makes. */
const PAGES: { page: string; api: string[] }[] = [
  { page: '/portal/', api: ['/v1/portal/me', '/v1/portal/appointments'] },
  { page: '/portal/activity', api: ['/v1/portal/me', '/v1/portal/activity'] },
  { page: '/portal/security', api: ['/v1/portal/me', '/v1/portal/passkeys'] },
];

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

export async function run({ scale }: BenchOptions): Promise<void> {
  const n = Math.max(10, Math.round(PATIENTS * scale));
  const seconds = Math.max(10, Math.round(30 * Math.min(1, scale * 2)));
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
    const samples: number[] = [];
    const pageSamples: number[] = [];
    let errors = 0;
    const firstErrors: string[] = [];
    const fail = (what: string) => {
      errors++;
      if (firstErrors.length < 5) firstErrors.push(what);
    };
    const timed = async (b: PortalBrowser, p: string, into: number[]) => {
      const start = performance.now();
      try {
        const r = await b.call('GET', p, undefined, 'manual');
        into.push(performance.now() - start);
        if (r.status < 200 || r.status >= 300) fail(`${p} → ${r.status}`);
      } catch (err) {
        into.push(performance.now() - start);
        fail(`${p} → ${(err as Error).message}`);
      }
    };
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      browsers.map(async (b, i) => {
        // Spread the first page over the first second, as people do not all tap at once.
        await new Promise((r) => setTimeout(r, (i / browsers.length) * 1000));
        let k = i % PAGES.length;
        while (performance.now() < until) {
          const { page, api } = PAGES[k++ % PAGES.length]!;
          await Promise.all([
            ...(pages ? [timed(b, page, pageSamples)] : []),
            ...api.map((a) => timed(b, a, samples)),
          ]);
          await new Promise((r) => setTimeout(r, 1000 + Math.random() * 2000));
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const all = [...samples, ...pageSamples];
    console.log(
      `  ${n} patients browsing for ${elapsed.toFixed(0)} s: ${all.length} requests (${(all.length / elapsed).toFixed(0)}/s)`,
    );
    report('portal API call (me, appointments, activity, passkeys)', summarise(samples), TARGET_P95_MS);
    if (pages) report('portal page (app shell, session checked)', summarise(pageSamples), TARGET_P95_MS);
    report('every request', summarise(all), TARGET_P95_MS);
    console.log(`${'errors'.padEnd(56)} ${errors}  target 0: ${errors === 0 ? 'met' : 'MISSED'}`);
    for (const e of firstErrors) console.log(`  e.g. ${e}`);
  } finally {
    await stack.stop();
    await releasePostgres();
  }
}
