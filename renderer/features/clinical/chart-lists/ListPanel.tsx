import { useState, type ReactNode } from 'react';
import { errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';

/** The frame every chart side list shares: a titled panel, its "Add" dialog, and row actions' failures. */

export interface PanelProps {
  patientId: string;
  canWrite: boolean;
  onChanged: () => void;
}

export function Panel({
  title,
  action,
  children,
  testId,
}: {
  title: string;
  action?: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  return (
    <section className="chart-panel" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <header className="chart-panel-header">
        <h2 id={`${testId}-title`} className="section-title">
          {title}
        </h2>
        {action}
      </header>
      {children}
    </section>
  );
}

export interface AddDialogProps {
  patientId: string;
  onClose: () => void;
  onSaved: () => void;
}

/** A chart list with its "Add" dialog; saving closes the dialog and refreshes the chart. */
export function ListPanel({
  title,
  testId,
  addLabel,
  error,
  onChanged,
  dialog,
  children,
}: {
  title: string;
  testId: string;
  /** Left out when nothing may be added here. */
  addLabel?: string;
  /** A row action's failure, shown above the list. */
  error: string | null;
  onChanged: () => void;
  dialog: (props: Omit<AddDialogProps, 'patientId'>) => ReactNode;
  children: ReactNode;
}) {
  const [adding, setAdding] = useState(false);
  return (
    <Panel
      title={title}
      testId={testId}
      action={
        addLabel ? (
          <Button size="small" onClick={() => setAdding(true)}>
            {addLabel}
          </Button>
        ) : null
      }
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      {children}
      {adding
        ? dialog({
            onClose: () => setAdding(false),
            onSaved: () => {
              setAdding(false);
              onChanged();
            },
          })
        : null}
    </Panel>
  );
}

/** A row action that reports its own failure next to the list instead of losing it. */
export function useRowAction(onChanged: () => void) {
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return { error, run };
}
