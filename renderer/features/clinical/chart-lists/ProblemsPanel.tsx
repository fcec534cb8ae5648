import { useState } from 'react';
import { problemStatusLabels, type CodeSetStatus, type Problem } from '../../../../server/contracts/clinical';
import { call } from '../../../api/client';
import { Button } from '../../../ui/Button';
import { formatCalendarDate } from '../../../ui/format';
import { CodeSetMissing } from '../CodeSetMissing';
import { ListPanel, useRowAction, type PanelProps } from './ListPanel';
import { CodeProblemDialog, ProblemDialog } from './ProblemDialogs';

/** The problem list (ICD-10-CM coded, or uncoded words until the code set is installed). */
export function ProblemsPanel({
  patientId,
  canWrite,
  onChanged,
  problems,
  codeSet,
}: PanelProps & { problems: Problem[]; codeSet: CodeSetStatus }) {
  // Until an administrator installs the code set, problems are recorded as text flagged uncoded.
  const missing = codeSet.coverage === 'none';
  const row = useRowAction(onChanged);
  const [coding, setCoding] = useState<Problem | null>(null);
  const active = problems.filter((p) => p.status === 'active');
  const other = problems.filter((p) => p.status !== 'active');
  const item = (p: Problem) => (
    <li key={p.id} data-testid={p.uncoded ? 'problem-uncoded' : `problem-${p.code}`}>
      {p.uncoded ? <span className="badge badge-warning">Uncoded</span> : <code>{p.code}</code>}{' '}
      {p.description}
      {p.codeRetiredIn ? (
        <span
          className="badge badge-muted"
          title={`Release ${p.codeRetiredIn} dropped this code; it stays on the record but is not valid for new diagnoses.`}
        >
          Retired code
        </span>
      ) : null}
      {p.recordedAs && !p.uncoded ? (
        <span className="muted small"> (recorded as &ldquo;{p.recordedAs}&rdquo;)</span>
      ) : null}
      {p.status !== 'active' ? (
        <span className="badge badge-muted">{problemStatusLabels[p.status]}</span>
      ) : null}
      <span className="muted small">
        {p.onsetDate ? ` since ${formatCalendarDate(p.onsetDate)}` : ''}
        {p.resolvedDate ? ` · resolved ${formatCalendarDate(p.resolvedDate)}` : ''}
      </span>
      {canWrite ? (
        <span className="row-actions">
          {p.uncoded && !missing ? (
            <Button size="small" variant="link" onClick={() => setCoding(p)}>
              Pick code
            </Button>
          ) : null}
          {p.status === 'active' ? (
            <Button
              size="small"
              variant="link"
              aria-label={`Resolve ${p.code || p.description}`}
              onClick={() =>
                void row.run(() =>
                  call('updateProblem', { params: { id: p.id }, body: { status: 'resolved' } }),
                )
              }
            >
              Resolve
            </Button>
          ) : (
            <Button
              size="small"
              variant="link"
              aria-label={`Reactivate ${p.code || p.description}`}
              onClick={() =>
                void row.run(() =>
                  call('updateProblem', { params: { id: p.id }, body: { status: 'active' } }),
                )
              }
            >
              Reactivate
            </Button>
          )}
          <Button
            size="small"
            variant="link"
            aria-label={`${p.code || p.description} was entered in error`}
            onClick={() =>
              void row.run(() =>
                call('updateProblem', { params: { id: p.id }, body: { enteredInError: true } }),
              )
            }
          >
            Entered in error
          </Button>
        </span>
      ) : null}
    </li>
  );
  return (
    <ListPanel
      title="Problem list"
      testId="chart-problems"
      addLabel={canWrite ? 'Add problem' : undefined}
      error={row.error}
      onChanged={onChanged}
      dialog={(d) => <ProblemDialog patientId={patientId} {...d} />}
    >
      {problems.length ? (
        <>
          <ul className="chart-list">{active.map(item)}</ul>
          {other.length ? (
            <details className="chart-more">
              <summary>Resolved and inactive ({other.length})</summary>
              <ul className="chart-list">{other.map(item)}</ul>
            </details>
          ) : null}
        </>
      ) : (
        <p className="muted small">
          No problems recorded.{canWrite && !missing ? ' Add a diagnosis with its ICD-10-CM code.' : ''}
        </p>
      )}
      {canWrite && missing ? <CodeSetMissing uncoded /> : null}
      {coding ? (
        <CodeProblemDialog
          problem={coding}
          onClose={() => setCoding(null)}
          onSaved={() => {
            setCoding(null);
            onChanged();
          }}
        />
      ) : null}
    </ListPanel>
  );
}
