import type { ReactNode } from 'react';

/** The frame of the screens before sign-in: product name, one heading, one card. */
export function AuthCard({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className="auth-screen">
      <main className={wide ? 'auth-card auth-card-wide' : 'auth-card'}>
        <p className="brand" aria-hidden="true">
          Tessera
        </p>
        <h1 className="auth-title">{title}</h1>
        {children}
      </main>
    </div>
  );
}
