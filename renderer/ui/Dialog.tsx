import { useEffect, useId, useRef, type ReactNode, type KeyboardEvent } from 'react';

interface DialogProps {
  title: ReactNode;
  children: ReactNode;
  /** Escape or the close button. Omit for dialogs that must not be dismissed (the lock screen). */
  onClose?: () => void;
  className?: string;
  /** Opaque backdrop that hides the screen beneath (the lock screen hides patient data). */
  opaque?: boolean;
  testId?: string;
  description?: ReactNode;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog on the native <dialog> element opened with showModal(): the browser puts it in the top
 * layer and makes everything else inert, including another dialog opened earlier (so the lock screen
 * covers an open "Edit user" dialog too). Tab is additionally kept inside the dialog, and focus goes back
 * to where it was when the dialog closes. Mounted = open.
 */
export function Dialog({ title, children, onClose, className, opaque, testId, description }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onCloseRef = useRef(onClose);

  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previouslyFocused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const autofocus = dialog.querySelector<HTMLElement>('[data-autofocus]');
    (autofocus ?? dialog.querySelector<HTMLElement>(FOCUSABLE))?.focus();

    // Escape fires "cancel". A dismissible dialog closes through onClose (React stays the source of
    // truth); an undismissible one refuses. The browser may still force-close after repeated Escapes, so
    // reopen if that happens while we are mounted.
    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current?.();
    };
    const onNativeClose = () => {
      if (dialog.isConnected && !onCloseRef.current) dialog.showModal();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onNativeClose);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onNativeClose);
      if (dialog.open) dialog.close();
      if (previouslyFocused?.isConnected) previouslyFocused.focus();
    };
  }, []);

  const trapTab = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !ref.current) return;
    const focusable = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (el) => el.getClientRects().length > 0 || el === document.activeElement,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={['dialog', opaque ? 'dialog-opaque' : '', className ?? ''].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      aria-modal="true"
      onKeyDown={trapTab}
      data-testid={testId}
    >
      <div className="dialog-header">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {onClose ? (
          <button type="button" className="btn btn-link dialog-close" onClick={onClose} aria-label="Close">
            ×
          </button>
        ) : null}
      </div>
      {description ? (
        <p id={descriptionId} className="dialog-description">
          {description}
        </p>
      ) : null}
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
