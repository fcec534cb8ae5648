import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import type { ConsoleSession } from '../../server/contracts/central/console';
import { Button } from '../ui/Button';
import { ErrorBoundary } from '../app/ErrorBoundary';
import { central } from './api';

const nav = [
  { to: '/workstations', label: 'Workstations', key: 'w' },
  { to: '/staff', label: 'Staff accounts', key: 's' },
  { to: '/organizations', label: 'Organizations', key: 'o' },
  { to: '/code-sets', label: 'Code sets', key: 'c' },
  { to: '/clearinghouse', label: 'Clearinghouse', key: 'l' },
  { to: '/updates', label: 'Updates', key: 'u' },
  { to: '/health', label: 'Health', key: 'h' },
  { to: '/activity', label: 'Activity log', key: 'a' },
] as const;

/** Top bar (who is signed in, sign out) and the left navigation; Alt+<letter> jumps to a screen. */
export function ConsoleFrame({ session }: { session: ConsoleSession }) {
  const client = useQueryClient();
  const [leaving, setLeaving] = useState(false);
  const signOut = async () => {
    setLeaving(true);
    try {
      await central('consoleSignOut');
    } finally {
      client.clear();
      window.location.assign('/console/');
    }
  };
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="topbar-brand">Tessera central</span>
        <span className="topbar-clinic">{session.admin.orgId ? 'Organization administrator' : 'Operator'}</span>
        <div className="topbar-status" />
        <div className="topbar-user">
          <span className="topbar-user-name" data-testid="console-user">
            {session.admin.username}
          </span>
          <Button size="small" busy={leaving} onClick={() => void signOut()}>
            Sign out
          </Button>
        </div>
      </header>
      <div className="app-body">
        <nav className="sidenav" aria-label="Console">
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} accessKey={n.key} aria-keyshortcuts={`Alt+${n.key.toUpperCase()}`}>
                  {n.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="main" tabIndex={-1}>
          <ErrorBoundary>
            <Outlet />
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
