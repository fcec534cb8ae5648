/**
 * Requests this central process answered, per minute, for the console's health page: a small ring of
 * counters (the Prometheus counters are totals since start; the page wants "now").
 */
export class RecentRequests {
  readonly #buckets = new Map<number, { total: number; client: number; server: number }>();

  constructor(
    readonly windowMinutes = 15,
    private readonly now = () => Date.now(),
  ) {}

  record(status: number): void {
    const minute = Math.floor(this.now() / 60_000);
    const b = this.#buckets.get(minute) ?? { total: 0, client: 0, server: 0 };
    b.total++;
    if (status >= 500) b.server++;
    else if (status >= 400) b.client++;
    this.#buckets.set(minute, b);
    if (this.#buckets.size > this.windowMinutes + 1) {
      for (const k of this.#buckets.keys()) if (k <= minute - this.windowMinutes) this.#buckets.delete(k);
    }
  }

  summary(): { windowMinutes: number; total: number; clientErrors: number; serverErrors: number; serverErrorRate: number } {
    const since = Math.floor(this.now() / 60_000) - this.windowMinutes;
    let total = 0;
    let client = 0;
    let server = 0;
    for (const [k, b] of this.#buckets) {
      if (k <= since) continue;
      total += b.total;
      client += b.client;
      server += b.server;
    }
    return {
      windowMinutes: this.windowMinutes,
      total,
      clientErrors: client,
      serverErrors: server,
      serverErrorRate: total ? server / total : 0,
    };
  }
}
