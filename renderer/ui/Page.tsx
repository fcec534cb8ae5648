import { useEffect, type ReactNode } from 'react';

/** "<screen> — Tessera", so window lists, history and screen readers say where the user is. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} — Tessera` : 'Tessera';
  }, [title]);
}

interface PageHeaderProps {
  title: string;
  actions?: ReactNode;
  children?: ReactNode;
}

/** The screen's h1 (and its document title) with the main actions on the right. */
export function PageHeader({ title, actions, children }: PageHeaderProps) {
  useDocumentTitle(title);
  return (
    <header className="page-header">
      <div>
        <h1 className="page-title">{title}</h1>
        {children ? <div className="page-intro">{children}</div> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty-state">{children}</div>;
}

/** A quiet placeholder while a read is in flight; announced politely. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}
