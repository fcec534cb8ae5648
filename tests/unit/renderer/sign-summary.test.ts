import { describe, expect, it } from 'vitest';
import { signSummary } from '../../../renderer/features/clinical/sign-summary';

const sections = [
  {
    id: 'subjective',
    title: 'Subjective',
    fields: [
      { id: 'cc', label: 'Chief complaint', type: 'text', required: true, options: [], hint: '' },
      { id: 'hpi', label: 'History', type: 'textarea', required: false, options: [], hint: '' },
    ],
  },
  {
    id: 'assessment',
    title: 'Assessment',
    fields: [
      { id: 'dx', label: 'Diagnoses', type: 'diagnoses', required: true, options: [], hint: '' },
      { id: 'score', label: 'PHQ-9', type: 'number', required: false, options: [], hint: '' },
    ],
  },
] as never;

describe('what signing a note locks', () => {
  it('lists the fields with content (lists with their count) and the ones left empty', () => {
    const summary = signSummary(sections, {
      fields: {
        cc: 'Poor sleep',
        hpi: '   ',
        dx: [
          { code: 'F41.1', description: 'Generalized anxiety disorder' },
          { code: 'G47.00', description: 'Insomnia' },
        ] as never,
        score: 0,
      },
      planProgress: [{}] as never,
    });
    expect(summary).toEqual({
      locked: ['Subjective: Chief complaint', 'Assessment: Diagnoses (2)', 'Assessment: PHQ-9'],
      empty: ['Subjective: History'],
      planProgress: 1,
    });
  });
});
