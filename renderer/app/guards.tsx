import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Permission } from '../../server/contracts/admin/permissions';
import { hasPermission, useAuth } from './auth';
import { Forbidden } from './NotFound';
import { Alert } from '../ui/Alert';
import { useDocumentTitle } from '../ui/Page';
import { ChangePasswordPage } from '../features/auth/ChangePasswordPage';

/** Splash while the session is looked up at start. */
export function Starting() {
  return (
    <div className="splash" role="status">
      Starting Tessera…
    </div>
  );
}

/** Without the launch cookie nothing works; say how to get in rather than showing a form that fails. */
export function NotLaunched({ message }: { message: string }) {
  useDocumentTitle('Open Tessera');
  return (
    <div className="auth-screen">
      <main className="auth-card">
        <p className="brand" aria-hidden="true">
          Tessera
        </p>
        <h1 className="auth-title">Open Tessera from its launch link</h1>
        <Alert tone="warning">{message}</Alert>
        <p>
          On a desktop, start the Tessera app. In headless mode, use the one-time link the server printed when
          it started (press Enter in its terminal for a new one).
        </p>
      </main>
    </div>
  );
}

/**
 * App routes need a session. Without one, go to sign-in and carry the requested page along so the user
 * lands back on it. A lost session while signed in never gets here: that locks the screen instead.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <Starting />;
  if (state.status === 'notLaunched') return <NotLaunched message={state.message} />;
  if (state.status === 'signedOut') {
    const params = new URLSearchParams();
    if (state.reason) params.set('reason', state.reason);
    const next = `${location.pathname}${location.search}`;
    if (next !== '/') params.set('next', next);
    const query = params.toString();
    return <Navigate to={query ? `/login?${query}` : '/login'} replace />;
  }
  // An administrator's password opens nothing but its replacement (the server refuses the rest too).
  if (state.session.user.passwordChangeRequired && !state.locked) return <ChangePasswordPage />;
  return children;
}

/** A screen that needs one of some permissions; a direct link without it explains instead of failing. */
export function RequirePermission({ anyOf, children }: { anyOf: Permission[]; children: ReactNode }) {
  const { state } = useAuth();
  if (state.status !== 'signedIn') return null;
  if (!anyOf.some((p) => hasPermission(state.session, p))) return <Forbidden />;
  return children;
}

/** Only same-app paths are followed after sign-in (never another origin, never back to sign-in). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login') || next.startsWith('/setup')) return '/';
  return next;
}
