import { useDeferredValue, useId, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Icd10Match, NoteDiagnosis } from '../../../server/contracts/clinical';
import { isUncoded } from '../../../server/contracts/clinical/codes';
import { call } from '../../api/client';
import { keys } from '../../api/keys';
import { Button } from '../../ui/Button';
import { CodeSetMissing } from './CodeSetMissing';

const keyOf = (d: NoteDiagnosis) => (isUncoded(d) ? `text:${d.description.toLowerCase()}` : d.code);

interface Icd10PickerProps {
  label: string;
  value: NoteDiagnosis[];
  onChange: (next: NoteDiagnosis[]) => void;
  /**
   * Offer to record what was typed as text flagged "uncoded" (notes, the problem list): with no code set
   * installed that is the only way, and nothing blocks signing; the diagnosis is coded later.
   */
  allowUncoded?: boolean;
  /** One code only (a problem-list entry) rather than a list (a note's diagnoses). */
  single?: boolean;
  disabled?: boolean;
  error?: string | undefined;
  hint?: string;
  onBlur?: () => void;
}

/**
 * ICD-10-CM search as a combobox: type a code or words, move with the arrow keys, Enter picks. Picked codes
 * are listed with a remove button each; the first is the primary diagnosis. With `allowUncoded`, the last
 * option records the typed words as an uncoded diagnosis; with no code set installed that is all it offers,
 * under a note saying an administrator imports the code set.
 */
export function Icd10Picker({
  label,
  value,
  onChange,
  single,
  allowUncoded,
  disabled,
  error,
  hint,
  onBlur,
}: Icd10PickerProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useDeferredValue(text.trim());
  const results = useQuery({
    queryKey: keys.icd10(query),
    queryFn: ({ signal }) => call('searchIcd10', { query: { q: query, limit: 12 }, signal }),
    enabled: query.length > 0,
    staleTime: Infinity,
  });
  const status = useQuery({
    queryKey: keys.icd10Status,
    queryFn: () => call('getIcd10Status'),
    // While none is installed, ask again on each mount: the administrator may have just installed it.
    staleTime: (q) => (q.state.data?.coverage === 'none' ? 0 : Infinity),
  });
  const missing = status.data?.coverage === 'none';
  const matches: Icd10Match[] = results.data?.matches ?? [];
  const showList = open && query.length > 0 && !missing;
  const typed = text.trim();
  // The "record as uncoded" option sits after the matches, reachable with the arrow keys too.
  const options = matches.length + (allowUncoded && typed ? 1 : 0);

  const add = (entry: NoteDiagnosis) => {
    const key = keyOf(entry);
    if (single) onChange([entry]);
    else if (!value.some((v) => keyOf(v) === key)) onChange([...value, entry]);
    setText('');
    setOpen(false);
    setActive(0);
  };
  const pick = (m: Icd10Match) => add({ code: m.code, description: m.description });
  const addUncoded = () => {
    if (typed) add({ uncoded: true, description: typed.slice(0, 300) });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(options - 1, 0)));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      const m = matches[active];
      if (showList && m) {
        e.preventDefault();
        pick(m);
      } else if (allowUncoded && typed && (missing || active === matches.length)) {
        e.preventDefault();
        addUncoded();
      }
    } else if (e.key === 'Escape' && showList) {
      e.preventDefault();
      setOpen(false);
    }
  };

  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const searchable = !disabled && !missing;
  const typable = searchable || (!disabled && !!allowUncoded);
  return (
    <div className={['field', 'icd-picker', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
      {typable ? (
        <label htmlFor={`${id}-input`} className="field-label">
          {label}
        </label>
      ) : (
        <p className="field-label">{label}</p>
      )}
      {value.length ? (
        <ul className="icd-chosen" aria-label={`${label}: chosen`}>
          {value.map((d, i) => (
            <li key={keyOf(d)} className="icd-chip">
              {isUncoded(d) ? <span className="badge badge-warning">Uncoded</span> : <code>{d.code}</code>}{' '}
              {d.description}
              {i === 0 && !single && value.length > 1 ? (
                <span className="badge badge-muted">Primary</span>
              ) : null}
              {!disabled ? (
                <button
                  type="button"
                  className="btn btn-link btn-small"
                  aria-label={`Remove ${isUncoded(d) ? d.description : d.code}`}
                  onClick={() => onChange(value.filter((v) => keyOf(v) !== keyOf(d)))}
                >
                  Remove diagnosis
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {!disabled && missing ? <CodeSetMissing uncoded={allowUncoded} /> : null}
      {typable ? (
        <div className="icd-combo">
          <input
            id={`${id}-input`}
            className="input"
            role="combobox"
            aria-expanded={showList}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={showList && matches[active] ? `${id}-opt-${active}` : undefined}
            aria-invalid={error ? true : undefined}
            aria-describedby={[hintId, error ? errorId : ''].filter(Boolean).join(' ')}
            autoComplete="off"
            placeholder={
              missing ? 'The diagnosis in words' : 'Code or words, e.g. F41.1 or generalized anxiety'
            }
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setOpen(true);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => {
              // Let a click on an option land before the list closes.
              setTimeout(() => setOpen(false), 150);
              onBlur?.();
            }}
          />
          {showList ? (
            <ul id={listId} role="listbox" className="icd-options" aria-label="Matching ICD-10-CM codes">
              {matches.map((m, i) => (
                <li
                  key={m.code}
                  id={`${id}-opt-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'icd-option icd-option-active' : 'icd-option'}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    pick(m);
                  }}
                >
                  <code>{m.code}</code> {m.description}
                </li>
              ))}
              {results.isSuccess && matches.length === 0 ? (
                <li className="icd-option icd-empty" role="option" aria-selected={false} aria-disabled="true">
                  No matching code. Try fewer or other words.
                </li>
              ) : null}
              {allowUncoded && typed ? (
                <li
                  id={`${id}-opt-${matches.length}`}
                  role="option"
                  aria-selected={active === matches.length}
                  className={active === matches.length ? 'icd-option icd-option-active' : 'icd-option'}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    addUncoded();
                  }}
                >
                  Record &ldquo;{typed}&rdquo; as uncoded (code it later)
                </li>
              ) : null}
              {results.data?.more ? (
                <li className="icd-option icd-empty" role="option" aria-selected={false} aria-disabled="true">
                  More codes match — type more to narrow.
                </li>
              ) : null}
            </ul>
          ) : null}
          {missing && allowUncoded ? (
            <Button size="small" onClick={addUncoded} disabled={!typed}>
              Add as uncoded diagnosis
            </Button>
          ) : null}
        </div>
      ) : null}
      {!missing ? (
        <p id={hintId} className="field-hint">
          {hint ? `${hint} ` : ''}
          {status.data?.coverage === 'full' ? `ICD-10-CM ${status.data.release}.` : ''}
          {status.data?.coverage === 'partial'
            ? `ICD-10-CM ${status.data.release}, partial: only ${status.data.codeCount.toLocaleString('en-US')} codes are installed.`
            : ''}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
