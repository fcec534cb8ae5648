import { useId } from 'react';
import type { CodeNode } from '../../../server/contracts/patients';
import { Checkbox } from '../../ui/Field';

interface CodePickerProps {
  legend: string;
  tree: readonly CodeNode[];
  value: string[] | 'declined';
  onChange: (value: string[] | 'declined') => void;
  error?: string | undefined;
  hint?: string;
}

/** Every code under a node (its detail, to any depth). */
function descendants(node: CodeNode): CodeNode[] {
  return (node.children ?? []).flatMap((c) => [c, ...descendants(c)]);
}

/**
 * A multi-select over a code tree (CDC race or ethnicity): the top-level categories as checkboxes, with the
 * detailed codes of each behind "More detail", and "Declined to specify" that clears and disables the rest.
 */
export function CodePicker({ legend, tree, value, onChange, error, hint }: CodePickerProps) {
  const errorId = useId();
  const hintId = useId();
  const declined = value === 'declined';
  const chosen = new Set(declined ? [] : value);
  const toggle = (code: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(code);
    else next.delete(code);
    onChange([...next]);
  };
  return (
    <fieldset
      className={['fieldset', 'code-picker', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}
      aria-describedby={[hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined}
    >
      <legend className="field-label">{legend}</legend>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {tree.map((node) => {
        const detail = descendants(node);
        const detailChosen = detail.filter((d) => chosen.has(d.code)).length;
        return (
          <div key={node.code}>
            <Checkbox
              label={node.display}
              checked={chosen.has(node.code)}
              disabled={declined}
              onChange={(e) => toggle(node.code, e.target.checked)}
            />
            {detail.length ? (
              <details open={detailChosen > 0}>
                <summary>
                  More detail for {node.display}
                  {detailChosen ? ` (${detailChosen} chosen)` : ''}
                </summary>
                <div className="code-picker-detail">
                  {detail.map((d) => (
                    <Checkbox
                      key={d.code}
                      label={d.display}
                      checked={chosen.has(d.code)}
                      disabled={declined}
                      onChange={(e) => toggle(d.code, e.target.checked)}
                    />
                  ))}
                </div>
              </details>
            ) : null}
          </div>
        );
      })}
      <Checkbox
        label="Declined to specify"
        checked={declined}
        onChange={(e) => onChange(e.target.checked ? 'declined' : [])}
      />
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
