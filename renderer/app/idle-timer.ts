/**
 * Idle time-out arithmetic, kept free of timers and the DOM so it can be unit-tested with plain numbers.
 * The React side (use-idle-lock.ts) feeds it input events and a once-a-second tick.
 *
 * Two clocks must agree: the screen locks `timeoutMs` after the last input, and the server ends the session
 * `timeoutMs` after the last activity ping. Pings go out at most once per `pingIntervalMs`; a ping skipped
 * because one went out recently is sent later by `tick` (a trailing ping), so the server's deadline never
 * falls before the screen's — the user is not thrown to the lock screen early by a 401.
 */

export interface IdleConfig {
  /** Lock after this long without input. */
  timeoutMs: number;
  /** Warn this long before locking. */
  warningMs: number;
  /** At most one activity ping per this interval. */
  pingIntervalMs: number;
}

export type IdlePhase =
  { phase: 'active' } | { phase: 'warning'; remainingMs: number } | { phase: 'expired' };

export interface TickResult {
  phase: IdlePhase;
  /** Send an activity ping to the server now. */
  ping: boolean;
}

export const ONE_MINUTE = 60_000;

export function idleConfig(idleTimeoutMinutes: number): IdleConfig {
  const timeoutMs = Math.max(1, idleTimeoutMinutes) * ONE_MINUTE;
  return {
    timeoutMs,
    // A one-minute time-out still gets a warning, just a shorter one.
    warningMs: Math.min(ONE_MINUTE, timeoutMs / 2),
    pingIntervalMs: ONE_MINUTE,
  };
}

export class IdleTimer {
  private lastActivityAt: number;
  private lastPingAt: number;
  private expired = false;

  constructor(
    private config: IdleConfig,
    now: number,
  ) {
    // Signing in (or loading the session) just touched the server, so the first ping can wait.
    this.lastActivityAt = now;
    this.lastPingAt = now;
  }

  setConfig(config: IdleConfig): void {
    this.config = config;
  }

  /** The user pressed a key, moved the pointer… Returns true when an activity ping should go out now. */
  activity(now: number): boolean {
    if (this.expired) return false; // Locked: only re-authentication brings the session back.
    this.lastActivityAt = Math.max(this.lastActivityAt, now);
    if (now - this.lastPingAt >= this.config.pingIntervalMs) {
      this.lastPingAt = now;
      return true;
    }
    return false;
  }

  /** Called about once a second: where are we, and is a trailing ping due? */
  tick(now: number): TickResult {
    const phase = this.phaseAt(now);
    if (phase.phase === 'expired') {
      this.expired = true;
      return { phase, ping: false };
    }
    const pendingActivity = this.lastActivityAt > this.lastPingAt;
    if (pendingActivity && now - this.lastPingAt >= this.config.pingIntervalMs) {
      this.lastPingAt = now;
      return { phase, ping: true };
    }
    return { phase, ping: false };
  }

  phaseAt(now: number): IdlePhase {
    if (this.expired) return { phase: 'expired' };
    const idleFor = now - this.lastActivityAt;
    const remainingMs = this.config.timeoutMs - idleFor;
    if (remainingMs <= 0) return { phase: 'expired' };
    if (remainingMs <= this.config.warningMs) return { phase: 'warning', remainingMs };
    return { phase: 'active' };
  }

  /** After unlocking: a fresh session, a fresh count. */
  reset(now: number): void {
    this.expired = false;
    this.lastActivityAt = now;
    this.lastPingAt = now;
  }
}
