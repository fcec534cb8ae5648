import { describe, expect, it } from 'vitest';
import { templateDefinitionSchema, type NoteContent } from '../../../server/contracts/clinical';
import { contentErrors, diagnosesIn, normalizeContent } from '../../../server/domain/clinical/note-content';
import { defaultTemplates } from '../../../server/workstation/services/clinical/default-templates';

const dap = defaultTemplates.find((t) => t.key === 'progress_dap')!.definition;
const content = (fields: NoteContent['fields']): NoteContent => ({ fields, planProgress: [] });

describe('default templates', () => {
  it('are valid template definitions with the sections each note type calls for', () => {
    for (const t of defaultTemplates)
      expect(templateDefinitionSchema.safeParse(t.definition).success, t.key).toBe(true);
    const titles = (key: string) =>
      defaultTemplates.find((t) => t.key === key)!.definition.sections.map((s) => s.title);
    expect(titles('soap')).toEqual(['Subjective', 'Objective', 'Assessment', 'Plan']);
    expect(titles('progress_dap')).toEqual(['Session', 'Data', 'Assessment', 'Plan']);
    expect(titles('progress_birp')).toEqual(['Session', 'Behavior', 'Intervention', 'Response', 'Plan']);
  });

  it('refuses a definition with duplicate ids or a one-option pick list', () => {
    const dup = templateDefinitionSchema.safeParse({
      sections: [
        {
          id: 's',
          title: 'S',
          fields: [
            { id: 'a', label: 'A', type: 'text' },
            { id: 'a', label: 'B', type: 'text' },
          ],
        },
      ],
    });
    expect(dup.success).toBe(false);
  });
});

describe('note content against its template', () => {
  it('keeps anything typed in a draft but checks types and pick lists', () => {
    expect(contentErrors(dap, content({ data: 'Half a sentence' }), { forSigning: false })).toEqual({});
    expect(
      contentErrors(dap, content({ modality: 'Telepathy', duration_minutes: 'fifty', stray: 'x' }), {
        forSigning: false,
      }),
    ).toEqual({
      modality: 'Modality: pick one of the listed options.',
      duration_minutes: 'Duration (minutes) takes a number.',
      stray: 'This field is not part of the note template.',
    });
  });

  it('needs every required field to sign', () => {
    const errors = contentErrors(dap, content({ data: '  ' }), { forSigning: true });
    expect(Object.keys(errors).sort()).toEqual([
      'assessment',
      'data',
      'duration_minutes',
      'modality',
      'plan',
      'risk',
    ]);
    expect(errors.data).toBe('Data is required before signing.');
  });

  it('normalises text to what gets digested, and collects coded diagnoses', () => {
    const normalized = normalizeContent(
      content({
        data: 'line\r\nnext',
        diagnoses: [{ code: 'F41.1', description: 'Generalized anxiety disorder' }],
      }),
    );
    expect(normalized.fields.data).toBe('line\nnext');
    expect(diagnosesIn(dap, normalized)).toEqual([
      { code: 'F41.1', description: 'Generalized anxiety disorder' },
    ]);
  });
});
