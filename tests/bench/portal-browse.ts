/**
 * A load generator process for `npm run bench portal` (portal.ts forks several): its share of the signed-in
 * patients browse the portal like the pages do until the deadline: open a page (the app shell and the page's
 * API calls in parallel, as the SPA fetches them), read it for 1–3 s, open the next. Runs apart from central
 * so that neither one's event loop is measured as the other's latency.
 */
import { PortalBrowser } from '../support/portal';
import { lagMeter, serveGenerator, type LagSummary } from './load-meter';

/** The pages a patient opens, each with the API calls its screen makes. */
export const PAGES: { page: string; api: string[] }[] = [
  { page: '/portal/', api: ['/v1/portal/me', '/v1/portal/appointments'] },
  { page: '/portal/activity', api: ['/v1/portal/me', '/v1/portal/activity'] },
  { page: '/portal/security', api: ['/v1/portal/me', '/v1/portal/passkeys'] },
];

export interface BrowseOrder {
  url: string;
  /** Each patient's session cookie (name=value). */
  cookies: string[];
  /** Where this process's patients are in the whole list (spreads first pages and page order). */
  offset: number;
  total: number;
  pages: boolean;
  deadline: number;
}

export interface BrowseResult {
  api: number[];
  pages: number[];
  errors: number;
  firstErrors: string[];
  lag: LagSummary;
  cpuMs: number;
}

async function browse(o: BrowseOrder): Promise<BrowseResult> {
  const out: BrowseResult = {
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
      // Spread the first page over the first second, as people do not all tap at once.
      await new Promise((r) => setTimeout(r, (i / o.total) * 1000));
      let k = i % PAGES.length;
      while (Date.now() < o.deadline) {
        const { page, api } = PAGES[k++ % PAGES.length]!;
        await Promise.all([
          ...(o.pages ? [timed(b, page, out.pages)] : []),
          ...api.map((a) => timed(b, a, out.api)),
        ]);
        await new Promise((r) => setTimeout(r, 1000 + Math.random() * 2000));
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
