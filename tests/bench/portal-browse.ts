/**
 * A load generator process for `npm run bench portal` (portal.ts forks several): its share of the signed-in
 * patients browse the portal like the pages do until the deadline: open a page (the app shell and the page's
 * API calls in parallel, as the SPA fetches them), read it for a think time (`thinkMs`), open the next. Runs
 * apart from central so that neither one's event loop is measured as the other's latency.
 */
import { PortalBrowser } from '../support/portal';
import { lagMeter, serveGenerator, type LagSummary } from './load-meter';

/** The pages a patient opens, each with the API calls its screen makes. */
export const PAGES: { page: string; api: string[] }[] = [
  { page: '/portal/', api: ['/v1/portal/me', '/v1/portal/appointments'] },
  { page: '/portal/activity', api: ['/v1/portal/me', '/v1/portal/activity'] },
  { page: '/portal/security', api: ['/v1/portal/me', '/v1/portal/passkeys'] },
];

/**
 * How long a patient reads a page before opening the next: the web benchmark TPC-W's model of a person
 * browsing (its clause 5.3): negative exponential with a mean of 7 s, cut at 10 × the mean. A person reads
 * a page for seconds, not 1–3 s (the earlier model, which made each patient about three times as busy as a
 * reader); and the exponential's many short and few long pauses bunch requests together more than a
 * uniform pause of the same mean does, so queues at central are tested, not smoothed away.
 */
export const THINK_MEAN_MS = 7000;
export const thinkMs = (): number =>
  Math.min(10 * THINK_MEAN_MS, -Math.log(1 - Math.random()) * THINK_MEAN_MS);

/** Wait `ms`, but not past the deadline (a reader still reading then opens no more pages). */
const pause = (ms: number, deadline: number) =>
  new Promise((r) => setTimeout(r, Math.max(0, Math.min(ms, deadline - Date.now()))));

export interface BrowseOrder {
  url: string;
  /** Each patient's session cookie (name=value). */
  cookies: string[];
  /** Where this process's patients are in the whole list (spreads the page each one starts on). */
  offset: number;
  pages: boolean;
  deadline: number;
}

export interface BrowseResult {
  /** Pages opened (each: its API calls, and its app shell when the pages are built). */
  opened: number;
  api: number[];
  pages: number[];
  errors: number;
  firstErrors: string[];
  lag: LagSummary;
  cpuMs: number;
}

async function browse(o: BrowseOrder): Promise<BrowseResult> {
  const out: BrowseResult = {
    opened: 0,
    api: [],
    pages: [],
    errors: 0,
    firstErrors: [],
    lag: { p50: 0, p99: 0, max: 0 },
    cpuMs: 0,
  };
  const fail = (what: string) => {
    out.errors++;
    if (out.firstErrors.length < 5) out.firstErrors.push(what);
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
  const lag = lagMeter();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    o.cookies.map(async (cookie, j) => {
      const i = o.offset + j;
      const b = new PortalBrowser(o.url);
      b.cookie = cookie;
      // Everyone is already browsing when the clock starts: each patient is somewhere in a think time, and
      // as the exponential has no memory, the wait to their first page is one more think time. (Opening all
      // first pages in one second instead would measure 500 sign-ins at once, a burst no clinic's patients
      // make, at several times the steady request rate.)
      await pause(thinkMs(), o.deadline);
      let k = i % PAGES.length;
      while (Date.now() < o.deadline) {
        const { page, api } = PAGES[k++ % PAGES.length]!;
        out.opened++;
        await Promise.all([
          ...(o.pages ? [timed(b, page, out.pages)] : []),
          ...api.map((a) => timed(b, a, out.api)),
        ]);
        await pause(thinkMs(), o.deadline);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  lag.stop();
  out.lag = lag.read();
  out.cpuMs = (cpu.user + cpu.system) / 1000;
  return out;
}

serveGenerator<BrowseOrder, BrowseResult>(browse);
