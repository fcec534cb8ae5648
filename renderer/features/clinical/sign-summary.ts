import type { NoteContent, NoteFieldValue } from '../../../server/contracts/clinical';
import type { TemplateSection } from '../../../server/contracts/clinical/templates';

export interface SignSummary {
  /** Fields with something in them, as "Section: Field" (with a count for lists): what signing locks. */
  locked: string[];
  /** Fields left empty: locked empty too, so the clinician sees them before signing. */
  empty: string[];
  /** Treatment-plan objectives whose progress is recorded with the note. */
  planProgress: number;
}

function filled(value: NoteFieldValue | undefined): number | boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (typeof value === 'number') return true;
  return value.length > 0 ? value.length : false;
}

/** What signing a draft will make permanent, read from its template and content. */
export function signSummary(sections: readonly TemplateSection[], content: NoteContent): SignSummary {
  const locked: string[] = [];
  const empty: string[] = [];
  for (const section of sections) {
    for (const field of section.fields) {
      const name = `${section.title}: ${field.label}`;
      const has = filled(content.fields[field.id]);
      if (has === false) empty.push(name);
      else locked.push(typeof has === 'number' && has > 1 ? `${name} (${has})` : name);
    }
  }
  return { locked, empty, planProgress: content.planProgress.length };
}
