import { useId } from 'react';
import type {
  NoteDiagnosis,
  NoteContent,
  NoteFieldValue,
  TemplateDefinition,
  TemplateField,
} from '../../../server/contracts/clinical';
import { Checkbox, Fieldset, SelectField, TextField } from '../../ui/Field';
import { formatCalendarDate } from '../../ui/format';
import { isUncoded } from '../../../server/contracts/clinical/codes';
import { Icd10Picker } from './Icd10Picker';

/** A note's sections as the template version defines them: editable for a draft, read-only once signed. */
export function NoteFields({
  definition,
  content,
  errors,
  editable,
  onField,
  onBlur,
}: {
  definition: TemplateDefinition;
  content: NoteContent;
  errors: Record<string, string>;
  editable: boolean;
  onField: (id: string, value: NoteFieldValue) => void;
  onBlur: () => void;
}) {
  return (
    <div className="note-sections">
      {definition.sections.map((section) => (
        <section key={section.id} className="note-section" aria-labelledby={`section-${section.id}`}>
          <h2 id={`section-${section.id}`} className="section-title">
            {section.title}
          </h2>
          {editable ? (
            section.fields.map((field) => (
              <FieldInput
                key={field.id}
                field={field}
                value={content.fields[field.id] ?? null}
                error={errors[field.id]}
                onChange={(v) => onField(field.id, v)}
                onBlur={onBlur}
              />
            ))
          ) : (
            <dl className="note-values">
              {section.fields.map((field) => (
                <div key={field.id}>
                  <dt>{field.label}</dt>
                  <dd>{readOnlyValue(field, content.fields[field.id] ?? null)}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
      ))}
    </div>
  );
}

function readOnlyValue(field: TemplateField, value: NoteFieldValue) {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0))
    return <span className="muted">—</span>;
  if (field.type === 'diagnoses') {
    return (
      <ul className="plain-list">
        {(value as NoteDiagnosis[]).map((d) => (
          <li key={isUncoded(d) ? `text:${d.description}` : d.code}>
            {isUncoded(d) ? <span className="badge badge-warning">Uncoded</span> : <code>{d.code}</code>}{' '}
            {d.description}
          </li>
        ))}
      </ul>
    );
  }
  if (field.type === 'date' && typeof value === 'string') return formatCalendarDate(value);
  if (Array.isArray(value)) return (value as string[]).join(', ');
  return <span className="note-text">{String(value)}</span>;
}

const label = (field: TemplateField) => (field.required ? `${field.label} (required to sign)` : field.label);

function FieldInput({
  field,
  value,
  error,
  onChange,
  onBlur,
}: {
  field: TemplateField;
  value: NoteFieldValue;
  error: string | undefined;
  onChange: (v: NoteFieldValue) => void;
  onBlur: () => void;
}) {
  const id = useId();
  switch (field.type) {
    case 'text':
      return (
        <TextField
          label={label(field)}
          hint={field.hint || undefined}
          error={error}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
        />
      );
    case 'number':
      return (
        <TextField
          label={label(field)}
          hint={field.hint || undefined}
          error={error}
          inputMode="decimal"
          className="input-short"
          value={typeof value === 'number' ? String(value) : ''}
          onChange={(e) => {
            const t = e.target.value.trim();
            onChange(t === '' ? null : Number.isFinite(Number(t)) ? Number(t) : null);
          }}
          onBlur={onBlur}
        />
      );
    case 'date':
      return (
        <TextField
          label={label(field)}
          type="date"
          error={error}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value || null)}
          onBlur={onBlur}
        />
      );
    case 'textarea':
      return (
        <div className={error ? 'field field-invalid' : 'field'}>
          <label htmlFor={id} className="field-label">
            {label(field)}
          </label>
          <textarea
            id={id}
            className="input note-textarea"
            rows={4}
            value={typeof value === 'string' ? value : ''}
            aria-invalid={error ? true : undefined}
            aria-describedby={
              [field.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') ||
              undefined
            }
            onChange={(e) => onChange(e.target.value)}
            onBlur={onBlur}
          />
          {field.hint ? (
            <p id={`${id}-hint`} className="field-hint">
              {field.hint}
            </p>
          ) : null}
          {error ? (
            <p id={`${id}-error`} className="field-error">
              {error}
            </p>
          ) : null}
        </div>
      );
    case 'choice':
      if (field.options.length > 5) {
        return (
          <SelectField
            label={label(field)}
            error={error}
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => onChange(e.target.value || null)}
            onBlur={onBlur}
          >
            <option value="">Choose…</option>
            {field.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </SelectField>
        );
      }
      return (
        <Fieldset legend={label(field)} error={error} className="choice-row">
          {field.options.map((o) => (
            <div key={o} className="checkbox">
              <input
                type="radio"
                id={`${id}-${o}`}
                name={id}
                checked={value === o}
                onChange={() => onChange(o)}
                onBlur={onBlur}
              />
              <label htmlFor={`${id}-${o}`}>{o}</label>
            </div>
          ))}
        </Fieldset>
      );
    case 'multichoice': {
      const picked = Array.isArray(value) ? (value as string[]) : [];
      return (
        <Fieldset legend={label(field)} error={error} className="choice-row">
          {field.options.map((o) => (
            <Checkbox
              key={o}
              label={o}
              checked={picked.includes(o)}
              onChange={(e) => onChange(e.target.checked ? [...picked, o] : picked.filter((p) => p !== o))}
              onBlur={onBlur}
            />
          ))}
        </Fieldset>
      );
    }
    case 'diagnoses':
      return (
        <Icd10Picker
          label={label(field)}
          allowUncoded
          value={Array.isArray(value) ? (value as NoteDiagnosis[]) : []}
          onChange={(v) => onChange(v)}
          error={error}
          onBlur={onBlur}
        />
      );
  }
}
