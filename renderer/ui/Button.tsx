import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'link';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  /** A request is running: the button stays in place but cannot be pressed twice. */
  busy?: boolean;
  busyLabel?: string;
  size?: 'normal' | 'small';
}

/** Buttons are type="button" unless said otherwise, so Enter in a form only submits via its submit button. */
export function Button({
  variant = 'secondary',
  busy = false,
  busyLabel,
  size = 'normal',
  type = 'button',
  className,
  children,
  disabled,
  ...rest
}: ButtonProps) {
  const classes = ['btn', `btn-${variant}`, size === 'small' ? 'btn-small' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <button
      {...rest}
      type={type}
      className={classes}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}
