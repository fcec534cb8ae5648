/**
 * The app origin is `http://127.0.0.1:<port>`, and the port is new every time the workstation server starts
 * (including restarts after a crash). Every guard therefore asks this holder at decision time instead of
 * capturing a URL once. Until the server is ready the origin is null and every guard denies.
 */
export interface AppOrigin {
  get(): string | null;
  set(origin: string | null): void;
}

export function createAppOrigin(): AppOrigin {
  let current: string | null = null;
  return {
    get: () => current,
    set: (origin) => {
      current = origin;
    },
  };
}

export function originForPort(port: number): string {
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new RangeError(`Invalid port: ${port}`);
  return `http://127.0.0.1:${port}`;
}

/**
 * True only for http URLs whose origin is exactly the app origin. Parsing with URL (instead of prefix
 * matching) is what rejects `http://127.0.0.1:5000@evil.example/`, `http://127.0.0.1.evil.example:5000/`
 * and other lookalikes.
 */
export function isAppUrl(url: string | null | undefined, origin: string | null): boolean {
  if (!origin || !url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'http:' && parsed.origin === origin;
}

/** The app's own WebSocket endpoint (same host and port as the app origin). */
export function isAppWebSocketUrl(url: string, origin: string | null): boolean {
  if (!origin) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'ws:' && parsed.host === new URL(origin).host;
  } catch {
    return false;
  }
}
