import {
  createContext,
  startTransition,
  use,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { SessionInfo, SignedOutReason } from '../../server/contracts/auth';
import type { Permission } from '../../server/contracts/admin/permissions';
import { call, isApiError, setSessionLostHandler } from '../api/client';
import { setClinicTimeFormat } from '../ui/format';

/**
 * Who is signed in, and whether the screen is locked. The session lives here rather than only in the query
 * cache because a lost session must NOT unmount the app: it locks the screen over it, so unsaved input
 * survives re-authentication.
 */
export type AuthState =
  | { status: 'loading' }
  | { status: 'signedOut'; reason: SignedOutReason | null }
  /** The window was not opened through this launch's link (or the server restarted since). */
  | { status: 'notLaunched'; message: string }
  | { status: 'signedIn'; session: SessionInfo; locked: boolean; lockReason?: LockReason };

/** Why the screen is locked: the idle time-out, the user's own choice, or the server session was gone. */
export type LockReason = 'idle' | 'manual' | 'session_lost';

interface AuthContextValue {
  state: AuthState;
  signIn(session: SessionInfo): void;
  /** Fresh session info (an activity ping answers with it): same user, maybe a new time-out. */
  updateSession(session: SessionInfo): void;
  /** Lock the screen and end the server session (idle time-out, or the user stepping away). */
  lock(reason?: LockReason): void;
  unlock(session: SessionInfo): void;
  signOut(reason: SignedOutReason): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/**
 * Remembers, for this window only, that someone was signed in, so a reload after the server session ended
 * says "Your session expired" while a fresh launch just shows the sign-in screen.
 */
const SIGNED_IN_FLAG = 'tessera.signedIn';

function markSignedIn(on: boolean) {
  try {
    if (on) sessionStorage.setItem(SIGNED_IN_FLAG, '1');
    else sessionStorage.removeItem(SIGNED_IN_FLAG);
  } catch {
    // Storage can be unavailable; the only loss is the wording of the sign-in banner.
  }
}

function wasSignedIn(): boolean {
  try {
    return sessionStorage.getItem(SIGNED_IN_FLAG) === '1';
  } catch {
    return false;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signingOut = useRef(false);

  // Who is this? Once, at start.
  useEffect(() => {
    let cancelled = false;
    call('session').then(
      (session) => {
        if (cancelled) return;
        markSignedIn(true);
        setState({ status: 'signedIn', session, locked: false });
      },
      (err: unknown) => {
        if (cancelled) return;
        if (isApiError(err, 401) && err.code === 'not_launched') {
          setState({ status: 'notLaunched', message: err.message });
          return;
        }
        if (!isApiError(err, 401)) console.error('Could not load the session', err);
        setState({ status: 'signedOut', reason: wasSignedIn() ? 'expired' : null });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  // Any 401 from a session endpoint while signed in: lock rather than navigate away.
  useEffect(() => {
    setSessionLostHandler(() => {
      if (signingOut.current) return;
      setState((s) =>
        s.status === 'signedIn' && !s.locked ? { ...s, locked: true, lockReason: 'session_lost' } : s,
      );
    });
    return () => setSessionLostHandler(null);
  }, []);

  const signIn = useCallback((session: SessionInfo) => {
    signingOut.current = false;
    markSignedIn(true);
    setState({ status: 'signedIn', session, locked: false });
  }, []);

  const updateSession = useCallback((session: SessionInfo) => {
    setState((s) =>
      s.status === 'signedIn' && s.session.user.id === session.user.id ? { ...s, session } : s,
    );
  }, []);

  const lock = useCallback((reason: LockReason = 'idle') => {
    setState((s) => (s.status === 'signedIn' && !s.locked ? { ...s, locked: true, lockReason: reason } : s));
    // The server ends the session; if it already had, the 401 only confirms the lock.
    // Only the user's own lock and the idle time-out reach the server; a lost session has nothing to end.
    if (reason !== 'session_lost') call('lock', { body: { reason } }).catch(() => undefined);
  }, []);

  const unlock = useCallback(
    (session: SessionInfo) => {
      setState({ status: 'signedIn', session, locked: false });
      // Reads that failed while the session was gone try again; forms keep their input.
      void queryClient.invalidateQueries();
    },
    [queryClient],
  );

  const signOut = useCallback(
    async (reason: SignedOutReason) => {
      signingOut.current = true;
      if (reason === 'signed_out') await call('logout').catch(() => undefined);
      queryClient.clear();
      markSignedIn(false);
      // One transition with the router's own, so the session guard never sees "signed out" on the old
      // page (it would add that page as `next`; after a sign-out the next person starts at Home).
      startTransition(() => {
        setState({ status: 'signedOut', reason });
        void navigate(`/login?reason=${reason}`, { replace: true });
      });
    },
    [navigate, queryClient],
  );

  // Every date and time on screen reads the clinic's clock from here (renderer/ui/format.ts). Set while
  // rendering, before any screen below formats a time with it; the same value on every render.
  if (state.status === 'signedIn') setClinicTimeFormat(state.session.clinic.timeFormat);

  const value = useMemo(
    () => ({ state, signIn, updateSession, lock, unlock, signOut }),
    [state, signIn, updateSession, lock, unlock, signOut],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const ctx = use(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in session, for screens behind the session guard. */
export function useSession(): SessionInfo {
  const { state } = useAuth();
  if (state.status !== 'signedIn') throw new Error('useSession outside a signed-in screen');
  return state.session;
}

export function hasPermission(session: SessionInfo, permission: Permission): boolean {
  return session.user.permissions.includes(permission);
}

export function useCan(): (permission: Permission) => boolean {
  const session = useSession();
  return (permission) => hasPermission(session, permission);
}
