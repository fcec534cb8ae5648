import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { PatientSummary } from '../../../server/contracts/patients';
import { errorMessage } from '../../api/client';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { PatientResultContent } from './PatientResults';
import { usePatientSearch } from './use-patient-search';

interface PatientFinderProps {
  label: string;
  onOpen: (patient: PatientSummary) => void;
  autoFocus?: boolean;
  /** Shown under the results when nothing matched (e.g. "Register a new patient"). */
  noMatch?: (q: string) => ReactNode;
  limit?: number;
}

/**
 * One search box over the registry with a list of results: type, move with the arrow keys, Enter opens.
 * It is an ARIA combobox: focus stays in the box and the highlighted result is its active descendant, so
 * a screen reader reads each result as the user moves.
 */
export function PatientFinder({ label, onOpen, autoFocus, noMatch, limit }: PatientFinderProps) {
  const session = useSession();
  const inputId = useId();
  const listId = useId();
  const hintId = useId();
  const [text, setText] = useState('');
  const { results, searched, loading, error, q } = usePatientSearch(text, limit);
  // The highlight belongs to one search: new results start again at the top.
  const [selection, setSelection] = useState({ q: '', index: 0 });
  const active = selection.q === q ? selection.index : 0;
  const setActive = (next: (i: number) => number) => setSelection({ q, index: next(active) });

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(i + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const chosen = results[active];
      if (chosen) onOpen(chosen);
    }
  };
  const optionId = (i: number) => `${listId}-${i}`;
  const open = results.length > 0;

  return (
    <div className="form">
      <div className="field">
        <label htmlFor={inputId} className="field-label">
          {label}
        </label>
        <input
          id={inputId}
          className="input"
          type="text"
          enterKeyHint="search"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
          data-autofocus={autoFocus || undefined}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open ? optionId(active) : undefined}
          aria-describedby={hintId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          data-testid="patient-search-input"
        />
        <p id={hintId} className="field-hint">
          Name (any order, first letters are enough), date of birth (3/4/1985), phone digits or MRN. ↑ ↓ to
          choose, Enter to open.
        </p>
      </div>
      {error ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      <p className="visually-hidden" role="status">
        {searched ? `${results.length} ${results.length === 1 ? 'patient' : 'patients'} found` : ''}
      </p>
      <ul id={listId} role="listbox" aria-label="Patients found" className="patient-results" hidden={!open}>
        {results.map((p, i) => (
          <li
            key={p.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className="patient-result"
            data-testid="patient-result"
            onMouseEnter={() => setActive(() => i)}
            onClick={() => onOpen(p)}
          >
            <PatientResultContent patient={p} timeZone={session.clinic.timeZone} />
          </li>
        ))}
      </ul>
      {searched && !results.length && !loading ? (
        <div className="empty-state">
          <p>No patient matches “{q}”. Check the spelling, or search by date of birth or phone.</p>
          {noMatch?.(q)}
        </div>
      ) : null}
      {!q || q.length < 2 ? <p className="muted">Type at least two characters.</p> : null}
    </div>
  );
}
