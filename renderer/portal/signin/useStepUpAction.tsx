import { useState, type ReactNode } from 'react';
import { PortalError } from '../api';
import { useI18n } from '../i18n';
import { StepUpCard } from './StepUpCard';

/**
 * An action on one item (download a file, remove a card) that central may mark step-up: after an e-mailed
 * link sign-in it answers `step_up_required`, the page shows the step-up card in place of the list, and once
 * the second factor is confirmed the same action goes on for the same item. Other failures are a sentence.
 */
export function useStepUpAction(action: (id: string) => Promise<void>): {
  run: (id: string) => Promise<void>;
  /** The item whose action is running, for its button's busy state. */
  busy: string | null;
  error: string | null;
  /** The step-up card to show instead of the page's content, or null. */
  stepUp: ReactNode;
} {
  const { errorText } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stepUpFor, setStepUpFor] = useState<string | null>(null);
  const run = async (id: string) => {
    setError(null);
    setBusy(id);
    try {
      await action(id);
    } catch (err) {
      if (err instanceof PortalError && err.code === 'step_up_required') setStepUpFor(id);
      else setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  const stepUp = stepUpFor ? (
    <StepUpCard
      onDone={() => {
        setStepUpFor(null);
        void run(stepUpFor);
      }}
    />
  ) : null;
  return { run, busy, error, stepUp };
}
