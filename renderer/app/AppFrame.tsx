import { NavLink, Outlet, useLocation } from 'react-router';
import { roleLabels } from '../../server/contracts/admin/permissions';
import { useAuth, useSession } from './auth';
import { navItems, visibleItems } from './nav';
import { useIdleLock } from './use-idle-lock';
import { useLiveUpdates } from '../api/live';
import { LockScreen } from './LockScreen';
import { ErrorBoundary } from './ErrorBoundary';
import { useEffect, useState } from 'react';
import { Button } from '../ui/Button';
import { PatientSearchPalette } from '../features/patients/PatientSearchPalette';
import { SyncStatusPill } from '../features/sync/SyncStatusPill';

/**
 * The signed-in frame: top bar (clinic, who, status, sign out), left navigation, the screen. The lock screen
 * opens over all of it without unmounting anything, so work in progress is still there after unlocking.
 */
export function AppFrame() {
  const { state, signOut, lock } = useAuth();
  const session = useSession();
  const secondsLeft = useIdleLock();
  const location = useLocation();
  const [signingOut, setSigningOut] = useState(false);
  const locked = state.status === 'signedIn' && state.locked;
  useLiveUpdates(!locked);
  const items = visibleItems(navItems, session.user.permissions);

  // Ctrl+Alt+L locks at once: stepping away from the desk should take one keystroke.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.altKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        lock('manual');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lock]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="topbar-brand">Tessera</span>
        <span className="topbar-clinic" data-testid="clinic-name">
          {session.clinic.name}
        </span>
        <div className="topbar-status" aria-label="Status" role="group">
          <SyncStatusPill />
          {/* Announced once; the visible countdown is not read out every second. */}
          <span className="visually-hidden" role="status">
            {secondsLeft !== null
              ? 'The screen will lock in less than a minute. Press a key to stay signed in.'
              : ''}
          </span>
          {secondsLeft !== null ? (
            <span className="status-pill status-warning" data-testid="idle-warning" aria-hidden="true">
              Screen locks in {secondsLeft} s — move the mouse or press a key to stay signed in
            </span>
          ) : null}
        </div>
        <div className="topbar-user">
          <PatientSearchPalette />
          <span className="topbar-user-name" data-testid="signed-in-user">
            {session.user.fullName}
          </span>
          <span className="topbar-user-roles">{session.user.roles.map((r) => roleLabels[r]).join(', ')}</span>
          <Button
            size="small"
            onClick={() => lock('manual')}
            aria-keyshortcuts="Control+Alt+L"
            title="Lock the screen (Ctrl+Alt+L)"
          >
            Lock
          </Button>
          <Button
            size="small"
            busy={signingOut}
            busyLabel="Signing out…"
            onClick={() => {
              setSigningOut(true);
              void signOut('signed_out');
            }}
          >
            Sign out
          </Button>
        </div>
      </header>
      <div className="app-body">
        <nav className="sidenav" aria-label="Main">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                {item.children ? (
                  <>
                    <NavLink to={item.to} end className="sidenav-group">
                      {item.label}
                    </NavLink>
                    <ul>
                      {item.children.map((child) => (
                        <li key={child.to}>
                          <NavLink to={child.to} end={child.to === item.to}>
                            {child.label}
                          </NavLink>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <NavLink to={item.to} end>
                    {item.label}
                  </NavLink>
                )}
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="main" tabIndex={-1}>
          <ErrorBoundary resetKey={location.pathname}>
            <Outlet />
          </ErrorBoundary>
        </main>
      </div>
      {locked ? <LockScreen /> : null}
    </div>
  );
}
