import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../../platform/errors';

/**
 * DNS-rebinding defence: a page on evil.example that resolves to 127.0.0.1 still sends its own Host,
 * so only requests addressed to our loopback origin get through.
 */
export function hostGuard(port: () => number) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const host = req.headers.host;
    const p = port();
    if (host === `127.0.0.1:${p}` || host === `localhost:${p}`) return next();
    next(new AppError(421, 'wrong_host', 'This server only answers on its loopback address.'));
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Cross-site request defence on top of SameSite cookies: state changes must come from our own pages. */
export function originGuard(port: () => number) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    const p = port();
    if (origin === `http://127.0.0.1:${p}` || origin === `http://localhost:${p}`) return next();
    next(new AppError(403, 'bad_origin', 'This request did not come from the Tessera app.'));
  };
}
