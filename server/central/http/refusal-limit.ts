import type { NextFunction, Request, Response } from 'express';

/**
 * Counts refused credentials (401/403 answers) per client address over a minute. An address past `limit`
 * is not turned away: its requests are still authenticated, and only those that would be refused get a 429
 * instead (see register.ts), each on a connection that is then closed. So one anonymous client behind a
 * clinic's NAT or a shared proxy slows only itself; every valid credential from the same address still
 * syncs, as often and as concurrently as it needs to.
 */
export class RefusalCounter {
  readonly #refusals = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now = () => Date.now(),
  ) {}

  #recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.#refusals.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.#refusals.set(key, list);
    else this.#refusals.delete(key);
    return list;
  }

  /** Whether this request's address has had `limit` refusals within the window. */
  over(req: Request): boolean {
    return this.#recent(req.ip ?? 'unknown').length >= this.limit;
  }

  /** Counts each refused answer against its address. */
  readonly middleware = (req: Request, res: Response, next: NextFunction) => {
    const key = req.ip ?? 'unknown';
    res.on('finish', () => {
      if (res.statusCode === 401 || res.statusCode === 403) {
        if (this.#refusals.size > 100_000) this.#refusals.clear();
        this.#refusals.set(key, [...this.#recent(key), this.now()].slice(-this.limit));
      }
    });
    next();
  };
}
