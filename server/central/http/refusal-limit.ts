import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../platform/errors';

/**
 * Counts refused credentials (401/403 answers) per client address over a minute and turns the address away
 * once it reaches `limit`. Only refusals count, and only when answered: a clinic's workstations behind one
 * address may sync as often and as concurrently as they need.
 */
export function refusalLimit(limit: number, windowMs = 60_000, now = () => Date.now()) {
  const refusals = new Map<string, number[]>();
  const recent = (key: string) => {
    const cutoff = now() - windowMs;
    const list = (refusals.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) refusals.set(key, list);
    else refusals.delete(key);
    return list;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.ip ?? 'unknown';
    if (recent(key).length >= limit) {
      next(
        new AppError(
          429,
          'too_many_requests',
          'Too many refused requests from this address. Wait a minute.',
        ),
      );
      return;
    }
    res.on('finish', () => {
      if (res.statusCode === 401 || res.statusCode === 403) refusals.set(key, [...recent(key), now()]);
    });
    next();
  };
}
