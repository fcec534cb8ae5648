import type { Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { newToken, sameSecret } from '../../../platform/secrets';

export const LAUNCH_COOKIE = 'tessera_launch';
export const SESSION_COOKIE = 'tessera_session';
export const PENDING_COOKIE = 'tessera_pending';

const cookieBase = { httpOnly: true, sameSite: 'strict', path: '/' } as const;

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookies(header)[name] : undefined;
}

export function setCookie(res: Response, name: string, value: string, maxAgeMs?: number): void {
  res.cookie(name, value, maxAgeMs ? { ...cookieBase, maxAge: maxAgeMs } : cookieBase);
}

export function clearCookie(res: Response, name: string): void {
  res.clearCookie(name, cookieBase);
}

/**
 * The launch hand-off. Whoever starts the server (Electron main, or the `serve` CLI) gets one-time launch
 * URLs; opening one sets the launch cookie that every API call needs. Another local program or web page
 * cannot call the API without it, even though it can reach the port.
 */
export class LaunchGate {
  readonly #cookieValue = newToken();
  readonly #tokens = new Map<string, number>();

  constructor(initialToken?: string) {
    if (initialToken) this.#tokens.set(initialToken, Date.now() + 10 * 60_000);
  }

  /** A fresh one-time token, valid for ten minutes. */
  mintToken(): string {
    const token = newToken();
    this.#tokens.set(token, Date.now() + 10 * 60_000);
    return token;
  }

  /** Spend a token; true when it was valid. */
  redeem(token: unknown): boolean {
    if (typeof token !== 'string') return false;
    for (const [t, expires] of this.#tokens) {
      if (expires < Date.now()) this.#tokens.delete(t);
      else if (sameSecret(t, token)) {
        this.#tokens.delete(t);
        return true;
      }
    }
    return false;
  }

  grant(res: Response): void {
    setCookie(res, LAUNCH_COOKIE, this.#cookieValue);
  }

  isLaunched(req: Request): boolean {
    const value = readCookie(req, LAUNCH_COOKIE);
    return value !== undefined && sameSecret(value, this.#cookieValue);
  }
}
