import type { ReactNode } from 'react';

type Tone = 'error' | 'warning' | 'success' | 'info';

interface AlertProps {
  tone: Tone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  testId?: string;
}

/**
 * Errors and warnings use role="alert" (read out at once); success and info use role="status" (read when
 * the reader is idle). Colour is backed by a text prefix so meaning never rests on colour alone.
 */
export function Alert({ tone, title, children, className, testId }: AlertProps) {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return (
    <div
      role={role}
      className={['alert', `alert-${tone}`, className ?? ''].filter(Boolean).join(' ')}
      data-testid={testId}
    >
      {title ? <p className="alert-title">{title}</p> : null}
      {children ? <div className="alert-body">{children}</div> : null}
    </div>
  );
}
