import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { LoginResult, SessionInfo, TotpEnrollment } from '../../../contracts/auth';
import { afterFailure, afterSuccess, isLocked } from '../../../domain/auth/lockout';
import { users } from '../../db/schema';
import type { Actor, Store, Writer } from '../../db/store';
import { AppError } from '../../../platform/errors';
import { findUserByUsername, userRoles, type UserRow } from '../admin/user-rows';
import { getSecuritySettings } from '../settings/security-settings';
import { burnPasswordCheck, verifyPassword } from '../../../platform/passwords';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes';
import type { Sessions } from './sessions';
import { checkTotp } from '../../../platform/totp';
import { newEnrollment, type PendingEnrollment } from './totp';
import { lastUsedStep, recordUsedStep } from './totp-replay';
import { formatDateTime, type ClinicClock } from '../../../contracts/time-format';
import { getClinicInfo } from '../settings/clinic-info';

/** A password check that still needs its second factor; held in memory for five minutes. */
interface PendingSignIn {
  userId: string;
  expiresAt: number;
  enrollment?: PendingEnrollment;
}

const PENDING_MS = 5 * 60_000;
const SIGN_IN_FAILED = 'The username or password is not right.';
const REUSED_CODE = {
  code: 'totp_reused',
  message:
    'That code was already used. Wait for the next code in your authenticator app (a new one appears every 30 seconds) and enter it.',
};

export const actorOf = (user: UserRow): Actor => ({ userId: user.id, username: user.username });

export interface SignInStep {
  result: LoginResult;
  /** Set as a short-lived HttpOnly cookie while a second factor is pending. */
  pendingToken?: string;
  /** Set as the session cookie when sign-in is complete. */
  sessionToken?: string;
}

/**
 * Sign-in with lockout and TOTP. Every success, failure and lockout is audited. Messages do not say
 * whether a username exists.
 */
export class SignIn {
  readonly #pending = new Map<string, PendingSignIn>();

  constructor(
    private readonly store: Store,
    private readonly sessions: Sessions,
  ) {}

  async password(username: string, password: string): Promise<SignInStep> {
    const user = findUserByUsername(this.store, username);
    if (!user) {
      await burnPasswordCheck(password);
      this.store.audit(
        { userId: null, username },
        { action: 'auth.login_failed', outcome: 'failure', detail: { reason: 'unknown_user' } },
      );
      throw new AppError(401, 'sign_in_failed', SIGN_IN_FAILED);
    }
    this.#refuseIfLockedOrDisabled(user);
    if (!(await verifyPassword(user.passwordHash, password))) {
      this.#recordFailure(user, 'wrong_password');
    }
    const mfaRequired =
      user.mfaSecret !== null ||
      userRoles(user).some((r) => getSecuritySettings(this.store).mfaRequiredRoles.includes(r));
    if (!mfaRequired) {
      const { session, sessionToken } = this.#complete(user, 'password');
      return { result: { step: 'done', session }, sessionToken };
    }

    const pendingToken = crypto.randomBytes(24).toString('base64url');
    const pending: PendingSignIn = { userId: user.id, expiresAt: Date.now() + PENDING_MS };
    this.#sweep();
    if (user.mfaSecret === null) {
      const { pending: enrollment, offer } = await newEnrollment(user.username, Date.now());
      pending.enrollment = enrollment;
      this.#pending.set(pendingToken, pending);
      return { result: { step: 'mfa_enroll', enrollment: offer }, pendingToken };
    }
    this.#pending.set(pendingToken, pending);
    return { result: { step: 'mfa' }, pendingToken };
  }

  /** Second step: a TOTP code or a one-time recovery code. */
  secondFactor(pendingToken: string | undefined, input: { code: string } | { recoveryCode: string }) {
    const { user } = this.#takePending(pendingToken, false);
    if (!user.mfaSecret)
      throw new AppError(400, 'mfa_not_enrolled', 'This account has no authenticator yet.');
    if ('code' in input) {
      const now = this.store.now().getTime();
      const counter = checkTotp(user.mfaSecret, input.code, now);
      const used = lastUsedStep(this.store, user, now);
      if (counter === null) this.#recordFailure(user, 'wrong_code', 'auth.mfa_failed');
      if (used !== null && counter <= used) {
        // Typically the first sign-in right after setting up the app: it still shows the code just used.
        // Saying "not right" would send the person hunting for a typo in a code that is right.
        this.#recordFailure(user, 'reused_code', 'auth.mfa_failed', REUSED_CODE);
      }
      this.#pending.delete(pendingToken!);
      // Through the write path, in the sign-in's transaction: users replicate, so the change needs its outbox row.
      return this.#complete(user, 'totp', { mfaLastCounter: counter });
    }
    const hashes = JSON.parse(user.recoveryCodeHashes) as string[];
    const hash = hashRecoveryCode(input.recoveryCode);
    if (!hashes.includes(hash)) this.#recordFailure(user, 'wrong_recovery_code', 'auth.mfa_failed');
    this.#pending.delete(pendingToken!);
    const remaining = hashes.filter((h) => h !== hash);
    this.store.write(actorOf(user), (w) => {
      w.update('users', user.id, {
        recoveryCodeHashes: JSON.stringify(remaining),
        updatedAt: this.store.nowIso(),
      });
      w.audit({ action: 'auth.recovery_code_used', detail: { remaining: remaining.length } });
    });
    return this.#complete(user, 'recovery_code');
  }

  /** Sign-in for a user who must enrol: confirm the offered secret, then sign in. */
  confirmEnrollmentAtSignIn(pendingToken: string | undefined, enrollmentId: string, code: string) {
    const { user, pending } = this.#takePending(pendingToken, true);
    const enrollment = pending.enrollment;
    if (!enrollment || enrollment.id !== enrollmentId) {
      throw new AppError(400, 'enrollment_expired', 'This enrolment has expired. Sign in again.');
    }
    const recoveryCodes = this.#enroll(user, enrollment, code);
    this.#pending.delete(pendingToken!);
    return { ...this.#complete(user, 'totp_enrollment'), recoveryCodes };
  }

  /** A signed-in user adds or replaces their authenticator. */
  readonly #selfEnrollments = new Map<string, PendingEnrollment>();
  async offerEnrollment(user: UserRow): Promise<TotpEnrollment> {
    const { pending, offer } = await newEnrollment(user.username, Date.now());
    this.#selfEnrollments.set(user.id, pending);
    return offer;
  }
  confirmEnrollment(user: UserRow, enrollmentId: string, code: string): string[] {
    const pending = this.#selfEnrollments.get(user.id);
    if (!pending || pending.id !== enrollmentId || pending.expiresAt < Date.now()) {
      throw new AppError(400, 'enrollment_expired', 'This enrolment has expired. Start again.');
    }
    const codes = this.#enroll(user, pending, code);
    this.#selfEnrollments.delete(user.id);
    return codes;
  }

  #enroll(user: UserRow, enrollment: PendingEnrollment, code: string): string[] {
    const counter = checkTotp(enrollment.secret, code, this.store.now().getTime());
    if (counter === null) {
      throw new AppError(
        400,
        'invalid_input',
        'That code does not match. Check the time on the phone and try again.',
        {
          code: 'That code does not match.',
        },
      );
    }
    const { codes, hashes } = newRecoveryCodes();
    const now = this.store.nowIso();
    this.store.write(actorOf(user), (w) => {
      w.update('users', user.id, {
        mfaSecret: enrollment.secret,
        mfaEnrolledAt: now,
        mfaLastCounter: counter,
        recoveryCodeHashes: JSON.stringify(hashes),
        updatedAt: now,
      });
      recordUsedStep(w, user.id, counter);
      w.audit({ action: 'auth.mfa_enrolled' });
    });
    return codes;
  }

  #complete(
    user: UserRow,
    method: string,
    extra: { mfaLastCounter?: number } = {},
  ): { session: SessionInfo; sessionToken: string } {
    const fresh = this.store.write(actorOf(user), (w) => {
      const now = this.store.nowIso();
      const reset = afterSuccess();
      if (extra.mfaLastCounter !== undefined) recordUsedStep(w, user.id, extra.mfaLastCounter);
      w.update('users', user.id, {
        ...extra,
        failedAttempts: reset.failedAttempts,
        lockedUntil: null,
        lastLoginAt: now,
        updatedAt: now,
      });
      w.audit({ action: 'auth.login', detail: { method } });
      // Re-read: enrolment or a used recovery code may have changed the row since `user` was loaded.
      return w.orm.select().from(users).where(eq(users.id, user.id)).get()!;
    });
    return {
      session: this.sessions.info(fresh, this.store.now()),
      sessionToken: this.sessions.create(fresh),
    };
  }

  #takePending(token: string | undefined, enrolling: boolean): { user: UserRow; pending: PendingSignIn } {
    const pending = token ? this.#pending.get(token) : undefined;
    if (!pending || pending.expiresAt < Date.now() || Boolean(pending.enrollment) !== enrolling) {
      if (token) this.#pending.delete(token);
      throw new AppError(401, 'sign_in_expired', 'The sign-in took too long. Enter your password again.');
    }
    const user = this.store.orm.select().from(users).where(eq(users.id, pending.userId)).get();
    if (!user)
      throw new AppError(401, 'sign_in_expired', 'The sign-in took too long. Enter your password again.');
    this.#refuseIfLockedOrDisabled(user);
    return { user, pending };
  }

  #refuseIfLockedOrDisabled(user: UserRow): void {
    const now = this.store.now();
    if (!user.active) {
      this.store.audit(actorOf(user), {
        action: 'auth.login_failed',
        outcome: 'failure',
        detail: { reason: 'disabled' },
      });
      throw new AppError(403, 'account_disabled', 'This account is disabled. Ask an administrator.');
    }
    const state = {
      failedAttempts: user.failedAttempts,
      lockedUntil: user.lockedUntil ? new Date(user.lockedUntil) : null,
    };
    if (isLocked(state, now)) {
      this.store.audit(actorOf(user), {
        action: 'auth.login_failed',
        outcome: 'failure',
        detail: { reason: 'locked' },
      });
      throw lockedError(state.lockedUntil!, getClinicInfo(this.store));
    }
  }

  /** Count a failure, lock when the threshold is reached, audit, and throw. */
  #recordFailure(
    user: UserRow,
    reason: string,
    action: 'auth.login_failed' | 'auth.mfa_failed' = 'auth.login_failed',
    codeProblem?: { code: string; message: string },
  ): never {
    const policy = getSecuritySettings(this.store);
    const now = this.store.now();
    const next = afterFailure(
      {
        failedAttempts: user.failedAttempts,
        lockedUntil: user.lockedUntil ? new Date(user.lockedUntil) : null,
      },
      { threshold: policy.lockoutThreshold, minutes: policy.lockoutMinutes },
      now,
    );
    this.store.write(actorOf(user), (w: Writer) => {
      w.update('users', user.id, {
        failedAttempts: next.failedAttempts,
        lockedUntil: next.lockedUntil?.toISOString() ?? null,
        updatedAt: now.toISOString(),
      });
      w.audit({ action, outcome: 'failure', detail: { reason, failedAttempts: next.failedAttempts } });
      if (next.lockedNow) {
        w.audit({
          action: 'auth.lockout',
          outcome: 'failure',
          detail: { failedAttempts: next.failedAttempts, lockedUntil: next.lockedUntil!.toISOString() },
        });
      }
    });
    if (next.lockedNow) throw lockedError(next.lockedUntil!, getClinicInfo(this.store));
    if (codeProblem)
      throw new AppError(401, codeProblem.code, codeProblem.message, { code: codeProblem.message });
    throw new AppError(
      401,
      'sign_in_failed',
      action === 'auth.mfa_failed' ? 'That code is not right. Try the current code.' : SIGN_IN_FAILED,
    );
  }

  #sweep(): void {
    const now = Date.now();
    for (const [token, p] of this.#pending) if (p.expiresAt < now) this.#pending.delete(token);
  }
}

/** "… until Dec 4, 2026, 5:45 PM": the clinic's clock, as on every screen. */
function lockedError(until: Date, clinic: ClinicClock): AppError {
  return new AppError(
    423,
    'account_locked',
    `This account is locked after too many failed sign-ins until ${formatDateTime(until.toISOString(), clinic)}. An administrator can unlock it sooner.`,
  );
}
