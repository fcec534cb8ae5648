import type { NoteFieldValue, TemplateDefinition, TemplateField } from '../../contracts/clinical';
import type { VisitSummaryPreview } from '../../contracts/portal/documents';
import type { ComposedDocument } from '../billing/documents/model';
import { formatDate } from '../billing/documents/model';

/**
 * A signed note's patient-facing summary (issue 11: "signed-note summaries" in the portal). Templates are
 * data and have no "show the patient" switch, so what the patient may read is decided here, by field id:
 * only fields whose id says they are written for the patient (assessment, plan, follow-up, recommendations,
 * instructions…) and only of plain types (text, long text, pick lists, dates, numbers). Everything else
 * stays internal: the subjective and objective findings, risk ratings, mental status, history, coded
 * diagnoses, treatment-plan progress, addenda, digests. Restricted (psychotherapy) notes and drafts never
 * get a summary. Admins make a custom template's field patient-facing by giving it one of these ids.
 */
export const PATIENT_FACING_FIELD_IDS: readonly string[] = [
  'assessment',
  'plan',
  'follow_up',
  'recommendations',
  'instructions',
  'patient_instructions',
  'next_steps',
  'homework',
];
const PATIENT_FACING_TYPES: readonly TemplateField['type'][] = [
  'text',
  'textarea',
  'choice',
  'multichoice',
  'date',
  'number',
];

export function isPatientFacing(field: TemplateField): boolean {
  return PATIENT_FACING_FIELD_IDS.includes(field.id) && PATIENT_FACING_TYPES.includes(field.type);
}

export interface VisitSummaryInput {
  definition: TemplateDefinition;
  fields: Record<string, NoteFieldValue>;
  patientName: string;
  /** The visit's date (the encounter's date of service, else the day the note was signed), ISO. */
  visitDate: string;
  /** Who saw the patient: the encounter's provider, else the note's author. */
  provider: string;
  /** "Signed by … on …", in the clinic's words and clock. */
  signedLine: string;
}

function valueText(field: TemplateField, value: NoteFieldValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return field.type === 'date' ? formatDate(value) : value.trim();
  return value.filter((v): v is string => typeof v === 'string').join(', ');
}

/**
 * The summary's content, or null when the note has nothing written for the patient (no patient-facing
 * field with a value). The preview the clinician sees and the PDF are both made from this.
 */
export function composeVisitSummary(input: VisitSummaryInput): VisitSummaryPreview | null {
  const sections: VisitSummaryPreview['sections'] = [];
  for (const section of input.definition.sections) {
    const items = section.fields
      .filter(isPatientFacing)
      .map((f) => ({ label: f.label, text: valueText(f, input.fields[f.id]) }))
      .filter((i) => i.text !== '');
    if (items.length) sections.push({ heading: section.title, items });
  }
  if (!sections.length) return null;
  return {
    title: `Visit summary — ${formatDate(input.visitDate)}`,
    header: [
      ['Patient', input.patientName],
      ['Visit date', formatDate(input.visitDate)],
      ['Provider', input.provider],
      ['Signed', input.signedLine],
    ],
    sections,
  };
}

/** The summary as a document for the billing documents' letterhead renderer. */
export function visitSummaryDocument(summary: VisitSummaryPreview): ComposedDocument {
  return {
    kind: 'visit_summary',
    title: summary.title,
    header: summary.header,
    sections: [
      ...summary.sections.map((s) => ({
        heading: s.heading,
        blocks: [
          {
            kind: 'paragraphs' as const,
            // A field named like its section ("Plan" under "Plan") is not labelled twice.
            paragraphs: s.items.map((i) => (i.label === s.heading ? i.text : `${i.label}: ${i.text}`)),
          },
        ],
      })),
      {
        blocks: [
          {
            kind: 'paragraphs' as const,
            paragraphs: [
              'This summary is what your care team wrote for you after the visit. If something is unclear, send a message through the portal or call the clinic. In an emergency call 911, or call or text 988.',
            ],
          },
        ],
      },
    ],
    footerNote: '',
  };
}
