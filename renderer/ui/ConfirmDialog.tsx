import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Button } from './Button';
import { Dialog } from './Dialog';

export interface ConfirmOptions {
  title: string;
  message: ReactNode;
  /** Verb and object of what happens: "Discard draft", "Retire template" — never "OK" or "Yes". */
  confirmLabel: string;
  /** What staying means: "Keep draft", "Keep MFA on". */
  cancelLabel: string;
  /** The confirmed action destroys or weakens something: the button says so in colour too. */
  danger?: boolean;
}

/**
 * Asking before an action, in the app's own dialog (the browser's confirm() can only say OK and Cancel).
 * `const [dialog, confirm] = useConfirm();` then `if (!(await confirm({...}))) return;` and render
 * `{dialog}`. The safe answer has focus, so Enter or Escape keeps things as they are.
 */
export function useConfirm(): [ReactNode, (options: ConfirmOptions) => Promise<boolean>] {
  const [asking, setAsking] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((answer: boolean) => void) | null>(null);
  const confirm = useCallback(
    (options: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        resolver.current?.(false);
        resolver.current = resolve;
        setAsking(options);
      }),
    [],
  );
  const answer = (value: boolean) => {
    resolver.current?.(value);
    resolver.current = null;
    setAsking(null);
  };
  const dialog = asking ? (
    <Dialog title={asking.title} onClose={() => answer(false)} testId="confirm-dialog">
      <div className="form">
        <p>{asking.message}</p>
        <div className="button-row">
          <Button variant={asking.danger ? 'danger' : 'primary'} onClick={() => answer(true)}>
            {asking.confirmLabel}
          </Button>
          <Button data-autofocus onClick={() => answer(false)}>
            {asking.cancelLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  ) : null;
  return [dialog, confirm];
}
