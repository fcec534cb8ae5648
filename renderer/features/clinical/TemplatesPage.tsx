import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  templateFieldTypeLabels,
  templateFieldTypes,
  templateKindLabels,
  type NoteTemplate,
  type TemplateDefinition,
  type TemplateField,
} from '../../../server/contracts/clinical';
import { ApiError, call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
import { formatShortDateTime } from '../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import './clinical.css';
import { useConfirm } from '../../ui/ConfirmDialog';

/**
 * Note templates are data: sections, fields, required flags and pick lists. Saving a change makes a new
 * version; notes already written keep the version they were written with.
 */
export function TemplatesPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: keys.noteTemplates, queryFn: () => call('listNoteTemplates') });
  const [editing, setEditing] = useState<NoteTemplate | 'new' | null>(null);
  const [confirmDialog, confirm] = useConfirm();
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.noteTemplates });

  if (editing) {
    return (
      <TemplateEditor
        template={editing === 'new' ? null : editing}
        onDone={(message) => {
          setEditing(null);
          setNotice(message);
          refresh();
        }}
        onCancel={() => setEditing(null)}
      />
    );
  }
  return (
    <section className="page">
      {confirmDialog}
      <PageHeader
        title="Note templates"
        actions={
          <Button variant="primary" onClick={() => setEditing('new')}>
            Create template
          </Button>
        }
      >
        <p>Changes make a new version; notes keep the version they were written with.</p>
      </PageHeader>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {list.isPending ? <Loading /> : null}
      {list.data?.templates.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Template</th>
                <th scope="col">Kind</th>
                <th scope="col">Version</th>
                <th scope="col">Sections</th>
                <th scope="col">Saved</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.templates.map((t) => (
                <tr key={t.id}>
                  <th scope="row">
                    {t.name}{' '}
                    {t.restrictedDefault ? <span className="badge badge-danger">Restricted</span> : null}
                  </th>
                  <td>{templateKindLabels[t.kind]}</td>
                  <td>{t.version}</td>
                  <td>{t.definition.sections.map((s) => s.title).join(', ')}</td>
                  <td className="small">
                    {formatShortDateTime(t.createdAt, session.clinic.timeZone)}
                    {t.createdByName ? ` · ${t.createdByName}` : ''}
                  </td>
                  <td>
                    <span className="row-actions">
                      <Button size="small" onClick={() => setEditing(t)} aria-label={`Edit ${t.name}`}>
                        Edit template
                      </Button>
                      <Button
                        size="small"
                        variant="link"
                        aria-label={`Retire ${t.name}`}
                        onClick={async () => {
                          const sure = await confirm({
                            title: `Retire ${t.name}?`,
                            message: 'No new notes can be started from it; existing notes are unchanged.',
                            confirmLabel: 'Retire template',
                            cancelLabel: 'Keep offering it',
                          });
                          if (!sure) return;
                          void call('retireNoteTemplate', { params: { id: t.id } }).then(
                            () => {
                              setNotice(`${t.name} retired. Existing notes are unchanged.`);
                              refresh();
                            },
                            (err: unknown) => setError(errorMessage(err)),
                          );
                        }}
                      >
                        Retire
                      </Button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : list.isSuccess ? (
        <EmptyState>No active templates. Create one so clinicians can write notes.</EmptyState>
      ) : null}
    </section>
  );
}

const slug = (text: string, fallback: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, 'f_$1')
    .slice(0, 40) || fallback;

type EditableField = TemplateField & { optionsText: string };
type EditableSection = { id: string; title: string; fields: EditableField[] };

function toEditable(def: TemplateDefinition): EditableSection[] {
  return def.sections.map((s) => ({
    ...s,
    fields: s.fields.map((f) => ({ ...f, optionsText: f.options.join('\n') })),
  }));
}

function toDefinition(sections: EditableSection[]): TemplateDefinition {
  return {
    sections: sections.map((s, si) => ({
      id: s.id || slug(s.title, `section_${si + 1}`),
      title: s.title,
      fields: s.fields.map((f, fi) => ({
        id: f.id || slug(f.label, `field_${si + 1}_${fi + 1}`),
        label: f.label,
        type: f.type,
        required: f.required,
        hint: f.hint,
        options:
          f.type === 'choice' || f.type === 'multichoice'
            ? f.optionsText
                .split('\n')
                .map((o) => o.trim())
                .filter(Boolean)
            : [],
      })),
    })),
  };
}

const blankField = (): EditableField => ({
  id: '',
  label: '',
  type: 'textarea',
  required: false,
  options: [],
  hint: '',
  optionsText: '',
});

function TemplateEditor({
  template,
  onDone,
  onCancel,
}: {
  template: NoteTemplate | null;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(template?.name ?? '');
  const [restrictedDefault, setRestricted] = useState(template?.restrictedDefault ?? false);
  const [sections, setSections] = useState<EditableSection[]>(
    template
      ? toEditable(template.definition)
      : [{ id: '', title: 'Note', fields: [{ ...blankField(), label: 'Note', required: true }] }],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setSection = (i: number, patch: Partial<EditableSection>) =>
    setSections(sections.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const setField = (si: number, fi: number, patch: Partial<EditableField>) =>
    setSection(si, { fields: sections[si]!.fields.map((f, j) => (j === fi ? { ...f, ...patch } : f)) });

  const save = async () => {
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      const definition = toDefinition(sections);
      if (template) {
        await call('reviseNoteTemplate', {
          params: { id: template.id },
          body: { baseVersion: template.version, name, restrictedDefault, definition },
        });
        onDone(
          `${name}: version ${template.version + 1} saved. New notes use it; existing notes keep their version.`,
        );
      } else {
        await call('createNoteTemplate', { body: { name, restrictedDefault, definition } });
        onDone(`${name} created.`);
      }
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fields);
      setError(formErrorMessage(err));
      setBusy(false);
    }
  };
  const err = (path: string) => errors[`definition.${path}`];

  return (
    <section className="page">
      <PageHeader title={template ? `Edit template: ${template.name}` : 'New note template'}>
        {template ? <p>Saving creates version {template.version + 1}.</p> : null}
      </PageHeader>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="form form-narrow">
        <TextField
          label="Template name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          data-autofocus
        />
        <Checkbox
          label="Psychotherapy note: notes from this template are restricted by default"
          checked={restrictedDefault}
          onChange={(e) => setRestricted(e.target.checked)}
        />
        {sections.map((s, si) => (
          <fieldset key={si} className="fieldset template-section">
            <legend className="section-title">Section {si + 1}</legend>
            <TextField
              label="Section title"
              value={s.title}
              onChange={(e) => setSection(si, { title: e.target.value })}
              error={err(`sections.${si}.title`)}
            />
            {s.fields.map((f, fi) => (
              <div key={fi} className="template-field">
                <div className="form-grid">
                  <TextField
                    label={`Field ${fi + 1} label`}
                    value={f.label}
                    onChange={(e) => setField(si, fi, { label: e.target.value })}
                    error={err(`sections.${si}.fields.${fi}.label`)}
                  />
                  <SelectField
                    label="Kind of answer"
                    value={f.type}
                    onChange={(e) => setField(si, fi, { type: e.target.value as TemplateField['type'] })}
                  >
                    {templateFieldTypes.map((t) => (
                      <option key={t} value={t}>
                        {templateFieldTypeLabels[t]}
                      </option>
                    ))}
                  </SelectField>
                </div>
                {f.type === 'choice' || f.type === 'multichoice' ? (
                  <div
                    className={err(`sections.${si}.fields.${fi}.options`) ? 'field field-invalid' : 'field'}
                  >
                    <label className="field-label" htmlFor={`opts-${si}-${fi}`}>
                      Pick-list options (one per line)
                    </label>
                    <textarea
                      id={`opts-${si}-${fi}`}
                      className="input"
                      rows={3}
                      value={f.optionsText}
                      onChange={(e) => setField(si, fi, { optionsText: e.target.value })}
                    />
                    {err(`sections.${si}.fields.${fi}.options`) ? (
                      <p className="field-error">{err(`sections.${si}.fields.${fi}.options`)}</p>
                    ) : null}
                  </div>
                ) : null}
                <TextField
                  label="Hint (optional)"
                  value={f.hint}
                  onChange={(e) => setField(si, fi, { hint: e.target.value })}
                />
                <div className="button-row">
                  <Checkbox
                    label="Required before signing"
                    checked={f.required}
                    onChange={(e) => setField(si, fi, { required: e.target.checked })}
                  />
                  {s.fields.length > 1 ? (
                    <Button
                      size="small"
                      variant="link"
                      onClick={() => setSection(si, { fields: s.fields.filter((_, j) => j !== fi) })}
                    >
                      Remove field
                    </Button>
                  ) : null}
                </div>
              </div>
            ))}
            <div className="button-row">
              <Button size="small" onClick={() => setSection(si, { fields: [...s.fields, blankField()] })}>
                Add field
              </Button>
              {sections.length > 1 ? (
                <Button
                  size="small"
                  variant="link"
                  onClick={() => setSections(sections.filter((_, j) => j !== si))}
                >
                  Remove section
                </Button>
              ) : null}
            </div>
          </fieldset>
        ))}
        <div className="button-row">
          <Button onClick={() => setSections([...sections, { id: '', title: '', fields: [blankField()] }])}>
            Add section
          </Button>
        </div>
        <div className="button-row">
          <Button variant="primary" busy={busy} busyLabel="Saving…" onClick={() => void save()}>
            {template ? 'Save new version' : 'Create template'}
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </div>
    </section>
  );
}
