import type {
  NoteContent,
  NoteFieldValue,
  TemplateDefinition,
  TemplateField,
} from '../../contracts/clinical';
import { isUncoded, type NoteDiagnosis } from '../../contracts/clinical/codes';
import { boundedDate, recordDates } from '../../contracts/date-bounds';
import { normalizeDocumentText } from './canonical-json';

const noteDateSchema = boundedDate(recordDates, 'enter a real date as YYYY-MM-DD.');

/**
 * A note's content checked against the template version it was written with. Drafts may be incomplete
 * (anything typed is kept); signing needs every required field. Errors are keyed by field id, with
 * messages a clinician can act on.
 */
export function contentErrors(
  definition: TemplateDefinition,
  content: NoteContent,
  opts: { forSigning: boolean },
): Record<string, string> {
  const errors: Record<string, string> = {};
  const fields = new Map<string, TemplateField>();
  for (const section of definition.sections) for (const field of section.fields) fields.set(field.id, field);

  for (const id of Object.keys(content.fields)) {
    if (!fields.has(id)) errors[id] = 'This field is not part of the note template.';
  }
  for (const field of fields.values()) {
    const value = content.fields[field.id] ?? null;
    const problem = valueProblem(field, value);
    if (problem) errors[field.id] = problem;
    else if (opts.forSigning && field.required && isEmpty(value))
      errors[field.id] = `${field.label} is required before signing.`;
  }
  return errors;
}

function valueProblem(field: TemplateField, value: NoteFieldValue): string | null {
  if (value === null) return null;
  switch (field.type) {
    case 'text':
    case 'textarea':
      return typeof value === 'string' ? null : `${field.label} takes text.`;
    case 'date': {
      if (value === '') return null;
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))
        return `${field.label}: enter the date as YYYY-MM-DD.`;
      const checked = noteDateSchema.safeParse(value);
      return checked.success ? null : `${field.label}: ${checked.error.issues[0]!.message}`;
    }
    case 'number':
      return typeof value === 'number' ? null : `${field.label} takes a number.`;
    case 'choice':
      if (typeof value !== 'string') return `${field.label}: pick one option.`;
      return value === '' || field.options.includes(value)
        ? null
        : `${field.label}: pick one of the listed options.`;
    case 'multichoice':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        return `${field.label}: pick from the list.`;
      return (value as string[]).every((v) => field.options.includes(v))
        ? null
        : `${field.label}: pick from the listed options.`;
    case 'diagnoses':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null)) {
        return `${field.label}: add diagnoses from the ICD-10-CM search.`;
      }
      return null;
  }
}

function isEmpty(value: NoteFieldValue): boolean {
  if (value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** Text normalised (NFC, `\n` line ends) before storing, so what is stored is what gets digested. */
export function normalizeContent(content: NoteContent): NoteContent {
  const fields: NoteContent['fields'] = {};
  for (const [id, value] of Object.entries(content.fields)) {
    if (typeof value === 'string') fields[id] = normalizeDocumentText(value);
    else if (Array.isArray(value)) {
      fields[id] = value.map((v) =>
        typeof v === 'string'
          ? normalizeDocumentText(v)
          : isUncoded(v)
            ? { uncoded: true as const, description: normalizeDocumentText(v.description) }
            : { code: v.code, description: normalizeDocumentText(v.description) },
      ) as NoteFieldValue;
    } else fields[id] = value;
  }
  return {
    fields,
    planProgress: content.planProgress.map((p) => ({ ...p, comment: normalizeDocumentText(p.comment) })),
  };
}

/** Every coded diagnosis in a note's diagnosis fields, first occurrence first. */
export function diagnosesIn(
  definition: TemplateDefinition,
  content: NoteContent,
): { code: string; description: string }[] {
  const out = new Map<string, { code: string; description: string }>();
  for (const d of allDiagnoses(definition, content))
    if (!isUncoded(d) && !out.has(d.code)) out.set(d.code, d);
  return [...out.values()];
}

/** The diagnoses recorded as text (uncoded), first occurrence of each wording first. */
export function uncodedDiagnosesIn(definition: TemplateDefinition, content: NoteContent): string[] {
  const out = new Map<string, string>();
  for (const d of allDiagnoses(definition, content)) {
    const key = d.description.toLowerCase();
    if (isUncoded(d) && !out.has(key)) out.set(key, d.description);
  }
  return [...out.values()];
}

function allDiagnoses(definition: TemplateDefinition, content: NoteContent): NoteDiagnosis[] {
  const out: NoteDiagnosis[] = [];
  for (const section of definition.sections) {
    for (const field of section.fields) {
      if (field.type !== 'diagnoses') continue;
      const value = content.fields[field.id];
      if (!Array.isArray(value)) continue;
      for (const d of value) if (typeof d === 'object' && d) out.push(d);
    }
  }
  return out;
}

/** A note's title when the author gave none: the template name and the date. */
export function defaultNoteTitle(templateName: string, localDate: string): string {
  return `${templateName} — ${localDate}`;
}
