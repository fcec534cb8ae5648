import { and, eq, isNull, sql } from 'drizzle-orm';
import type { SessionInfo } from '../../../contracts/auth';
import { permissionsFor } from '../../../domain/admin/permission-matrix';
import { sessions } from '../../db/schema';
import type { Store } from '../../db/store';
import { findUserById, userRoles, type UserRow } from '../admin/user-rows';
import { getClinicInfo } from '../settings/clinic-info';
import { getSecuritySettings } from '../settings/security-settings';
import { newToken, sha256 } from '../../../platform/secrets';
import { prepared } from '../../db/prepared';

/** Activity is written at most this often per session. */
const TOUCH_EVERY_MS = 5_000;

/** A session may not outlive a working day, however active. */
const MAX_SESSION_HOURS = 12;

/** A session that ended, told to whoever must act on it (telehealth tells central the clinician left). */
export interface EndedSession {
  /** The one session that ended; absent when every session of `userId` (or of everyone) ended at once. */
  tokenHash?: string;
  userId?: string;
  /** Stored end reason: 'timeout' (idle, found by the server), 'locked', 'logout', 'max_age', … */
  reason: string;
  /** Ended for inactivity: the server's idle time-out or the screen's idle lock. */
  idle: boolean;
}

export type ResolvedSession =
  | { status: 'active'; user: UserRow; tokenHash: string; lastActivityAt: Date }
  | { status: 'expired' }
  | { status: 'none' };

/**
 * Server-side staff sessions. The cookie holds a random token; the database only its SHA-256, so a copy
 * of the database does not yield live sessions.
 */
export class Sessions {
  readonly #ended = new Set<(ended: EndedSession) => void>();

  constructor(private readonly store: Store) {}

  /** Be told when sessions end (after the end is stored). Returns the unsubscribe. */
  onEnded(listener: (ended: EndedSession) => void): () => void {
    this.#ended.add(listener);
    return () => this.#ended.delete(listener);
  }

  #tell(ended: EndedSession): void {
    for (const listener of this.#ended) {
      try {
        listener(ended);
      } catch {
        // A listener's failure must never undo or block a sign-out.
      }
    }
  }

  create(user: UserRow): string {
    const token = newToken();
    const now = this.store.nowIso();
    this.store.orm
      .insert(sessions)
      .values({ tokenHash: sha256(token), userId: user.id, createdAt: now, lastActivityAt: now })
      .run();
    return token;
  }

  /**
   * Look a token up. An idle or over-age session is ended here (and the time-out audited), so the server
   * enforces the time-out even when the UI that should have locked is gone.
   */
  resolve(token: string | undefined, touch: boolean): ResolvedSession {
    if (!token) return { status: 'none' };
    const tokenHash = sha256(token);
    const row = prepared(this.store, 'session-by-token-hash', (orm) =>
      orm
        .select()
        .from(sessions)
        .where(eq(sessions.tokenHash, sql.placeholder('tokenHash')))
        .prepare(),
    ).get({ tokenHash });
    if (!row) return { status: 'none' };
    if (row.endedAt) return { status: 'expired' };
    const user = findUserById(this.store, row.userId);
    if (!user || !user.active) {
      this.#end(tokenHash, 'account_disabled');
      return { status: 'expired' };
    }
    const now = this.store.now();
    const idleMs = getSecuritySettings(this.store).idleTimeoutMinutes * 60_000;
    const last = new Date(row.lastActivityAt);
    const tooOld = now.getTime() - new Date(row.createdAt).getTime() > MAX_SESSION_HOURS * 3_600_000;
    if (now.getTime() - last.getTime() > idleMs || tooOld) {
      this.store.write({ userId: user.id, username: user.username }, (w) => {
        this.#end(tokenHash, tooOld ? 'max_age' : 'timeout');
        w.audit({ action: 'auth.timeout', detail: { by: 'server', reason: tooOld ? 'max_age' : 'idle' } });
      });
      return { status: 'expired' };
    }
    // Recording activity is a database write; once per few seconds is precise enough for a time-out
    // measured in minutes and keeps busy screens from paying a write on every request.
    const touched = touch && now.getTime() - last.getTime() >= TOUCH_EVERY_MS;
    if (touched) {
      this.store.orm
        .update(sessions)
        .set({ lastActivityAt: now.toISOString() })
        .where(eq(sessions.tokenHash, tokenHash))
        .run();
    }
    return { status: 'active', user, tokenHash, lastActivityAt: touched ? now : last };
  }

  /** `idle`: the screen locked itself for inactivity (the lock endpoint says which). */
  end(tokenHash: string, reason: 'logout' | 'locked', idle = false): void {
    this.#end(tokenHash, reason, idle);
  }

  /** End every open session of a user (disabled account, password reset). */
  endAllFor(userId: string, reason: string): void {
    this.store.orm
      .update(sessions)
      .set({ endedAt: this.store.nowIso(), endReason: reason })
      .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt)))
      .run();
    this.#tell({ userId, reason, idle: false });
  }

  /** End every open session (the database was restored from a backup: everyone signs in again). */
  endAll(reason: string): void {
    this.store.orm.update(sessions).set({ endedAt: this.store.nowIso(), endReason: reason }).where(isNull(sessions.endedAt)).run();
    this.#tell({ reason, idle: false });
  }

  info(user: UserRow, lastActivityAt: Date): SessionInfo {
    const roles = userRoles(user);
    const idleTimeoutMinutes = getSecuritySettings(this.store).idleTimeoutMinutes;
    return {
      user: {
        id: user.id,
        username: user.username,
        fullName: user.fullName,
        roles,
        permissions: permissionsFor(roles),
        mfaEnrolled: user.mfaSecret !== null,
        passwordChangeRequired: user.passwordChangeRequired,
      },
      clinic: getClinicInfo(this.store),
      idleTimeoutMinutes,
      expiresAt: new Date(lastActivityAt.getTime() + idleTimeoutMinutes * 60_000).toISOString(),
    };
  }

  #end(tokenHash: string, reason: string, idle = reason === 'timeout'): void {
    const changed = this.store.orm
      .update(sessions)
      .set({ endedAt: this.store.nowIso(), endReason: reason })
      .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.endedAt)))
      .run();
    if (changed.changes > 0) this.#tell({ tokenHash, reason, idle });
  }
}
