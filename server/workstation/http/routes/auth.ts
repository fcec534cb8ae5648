import { passwordProblem } from '../../../domain/auth/password-policy';
import type { Store } from '../../db/store';
import { AppError, fieldError } from '../../../platform/errors';
import { hashPassword, verifyPassword } from '../../../platform/passwords';
import { staffApproval } from '../../services/admin/staff-approval';
import type { Sessions } from '../../services/auth/sessions';
import type { SignIn } from '../../services/auth/sign-in';
import type { FirstRun } from '../../services/setup/first-run';
import type { Handlers } from '../context';
import { clearCookie, PENDING_COOKIE, readCookie, SESSION_COOKIE, setCookie } from '../middleware/launch';

type AuthEndpoints =
  | 'setupStatus'
  | 'setupCheck'
  | 'setupTotp'
  | 'setupComplete'
  | 'login'
  | 'loginMfa'
  | 'loginMfaEnroll'
  | 'session'
  | 'activity'
  | 'logout'
  | 'lock'
  | 'changePassword'
  | 'mfaSetupStart'
  | 'mfaSetupConfirm';

export function authHandlers(deps: {
  store: Store;
  sessions: Sessions;
  signIn: SignIn;
  firstRun: FirstRun;
}): Handlers<AuthEndpoints> {
  const { store, sessions, signIn, firstRun } = deps;
  return {
    setupStatus: () => ({ needed: firstRun.needed() }),
    setupCheck: ({ body }) => {
      firstRun.checkDetails(body);
      return { ok: true as const };
    },
    setupTotp: () => firstRun.offerTotp(),
    setupComplete: async ({ body }) => ({ recoveryCodes: await firstRun.complete(body) }),

    login: async ({ body, res }) => {
      if (firstRun.needed()) throw new AppError(409, 'setup_needed', 'Set up this workstation first.');
      const step = await signIn.password(body.username, body.password);
      if (step.pendingToken) setCookie(res, PENDING_COOKIE, step.pendingToken, 5 * 60_000);
      if (step.sessionToken) setCookie(res, SESSION_COOKIE, step.sessionToken);
      return step.result;
    },
    loginMfa: ({ body, req, res }) => {
      const { session, sessionToken } = signIn.secondFactor(readCookie(req, PENDING_COOKIE), body);
      clearCookie(res, PENDING_COOKIE);
      setCookie(res, SESSION_COOKIE, sessionToken);
      return session;
    },
    loginMfaEnroll: ({ body, req, res }) => {
      const { session, sessionToken, recoveryCodes } = signIn.confirmEnrollmentAtSignIn(
        readCookie(req, PENDING_COOKIE),
        body.enrollmentId,
        body.code,
      );
      clearCookie(res, PENDING_COOKIE);
      setCookie(res, SESSION_COOKIE, sessionToken);
      return { session, recoveryCodes };
    },

    session: ({ signedIn }) => sessions.info(signedIn.user, signedIn.lastActivityAt),
    activity: ({ signedIn }) => sessions.info(signedIn.user, signedIn.lastActivityAt),
    logout: ({ signedIn, res }) => {
      store.write(signedIn.actor, (w) => {
        sessions.end(signedIn.tokenHash, 'logout');
        w.audit({ action: 'auth.logout' });
      });
      clearCookie(res, SESSION_COOKIE);
      return { ok: true as const };
    },
    lock: ({ body, signedIn, res }) => {
      store.write(signedIn.actor, (w) => {
        sessions.end(signedIn.tokenHash, 'locked', body.reason !== 'manual');
        // The Lock button is someone stepping away on purpose; only the idle lock is a time-out.
        if (body.reason === 'manual') w.audit({ action: 'auth.lock' });
        else w.audit({ action: 'auth.timeout', detail: { by: 'screen_lock' } });
      });
      clearCookie(res, SESSION_COOKIE);
      return { ok: true as const };
    },
    changePassword: async ({ body, signedIn }) => {
      const user = signedIn.user;
      if (!(await verifyPassword(user.passwordHash, body.currentPassword))) {
        throw fieldError('currentPassword', 'The current password is not right.');
      }
      const problem = passwordProblem(body.newPassword, { username: user.username });
      if (problem) throw fieldError('newPassword', problem);
      if (body.newPassword === body.currentPassword) {
        throw fieldError('newPassword', 'Choose a password different from the current one.');
      }
      const passwordHash = await hashPassword(body.newPassword);
      store.write(signedIn.actor, (w) => {
        const changes = { passwordHash, passwordChangeRequired: false, updatedAt: store.nowIso() };
        // Approved by the account itself, keyed from its password hash before the change (central checks it).
        const changeApproval = staffApproval(
          store,
          user.id,
          user.id,
          { ...user, ...changes },
          user.changeApproval,
        );
        // A password of one's own: the first-sign-in requirement (if any) is met.
        w.update('users', user.id, { ...changes, ...(changeApproval && { changeApproval }) });
        w.audit({
          action: 'auth.password_changed',
          ...(user.passwordChangeRequired && { detail: { required: true } }),
        });
      });
      return { ok: true as const };
    },
    mfaSetupStart: ({ signedIn }) => signIn.offerEnrollment(signedIn.user),
    mfaSetupConfirm: ({ body, signedIn }) => ({
      recoveryCodes: signIn.confirmEnrollment(signedIn.user, body.enrollmentId, body.code),
    }),
  };
}
