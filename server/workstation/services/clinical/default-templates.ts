import type { TemplateDefinition, TemplateField, TemplateKind } from '../../../contracts/clinical';

/**
 * The note templates every clinic starts with (version 1). They are ordinary template rows: admins revise
 * or retire them like any other, and notes keep the version they were written with.
 */
export interface DefaultTemplate {
  key: string;
  name: string;
  kind: TemplateKind;
  restrictedDefault: boolean;
  definition: TemplateDefinition;
}

const field = (
  type: TemplateField['type'],
  id: string,
  label: string,
  required: boolean,
  hint: string,
  options: string[] = [],
): TemplateField => ({ id, label, type, required, options, hint });
const text = (id: string, label: string, required = false, hint = '') =>
  field('text', id, label, required, hint);
const long = (id: string, label: string, required = false, hint = '') =>
  field('textarea', id, label, required, hint);
const pick = (id: string, label: string, options: string[], required = false, hint = '') =>
  field('choice', id, label, required, hint, options);
const picks = (id: string, label: string, options: string[], required = false, hint = '') =>
  field('multichoice', id, label, required, hint, options);
const number = (id: string, label: string, required = false, hint = '') =>
  field('number', id, label, required, hint);
const diagnoses = (id: string, label: string, required = false) =>
  field('diagnoses', id, label, required, 'Search ICD-10-CM by code or words.');

const followUp = ['1 week', '2 weeks', '1 month', '3 months', '6 months', 'As needed', 'None'];
const risk = ['None identified', 'Low', 'Moderate', 'High'];
const modality = ['Individual', 'Couples', 'Family', 'Group'];
const interventions = [
  'Cognitive behavioral therapy',
  'Dialectical behavior therapy skills',
  'Motivational interviewing',
  'Psychoeducation',
  'Supportive therapy',
  'Mindfulness',
  'Exposure',
  'Problem solving',
  'Safety planning',
];

export const defaultTemplates: readonly DefaultTemplate[] = [
  {
    key: 'soap',
    name: 'SOAP note',
    kind: 'soap',
    restrictedDefault: false,
    definition: {
      sections: [
        {
          id: 'subjective',
          title: 'Subjective',
          fields: [
            text('chief_complaint', 'Chief complaint', true),
            long(
              'hpi',
              'History of present illness',
              false,
              "The patient's account, in their words where useful.",
            ),
          ],
        },
        { id: 'objective', title: 'Objective', fields: [long('findings', 'Examination and observations')] },
        {
          id: 'assessment',
          title: 'Assessment',
          fields: [diagnoses('diagnoses', 'Diagnoses', true), long('assessment', 'Assessment', true)],
        },
        {
          id: 'plan',
          title: 'Plan',
          fields: [long('plan', 'Plan', true), pick('follow_up', 'Follow-up', followUp)],
        },
      ],
    },
  },
  {
    key: 'progress_dap',
    name: 'Progress note (DAP)',
    kind: 'dap',
    restrictedDefault: false,
    definition: {
      sections: [
        {
          id: 'session',
          title: 'Session',
          fields: [
            pick('modality', 'Modality', modality, true),
            number('duration_minutes', 'Duration (minutes)', true),
          ],
        },
        {
          id: 'data',
          title: 'Data',
          fields: [long('data', 'Data', true, 'What the client reported and what you observed.')],
        },
        {
          id: 'assessment',
          title: 'Assessment',
          fields: [
            long('assessment', 'Assessment', true),
            pick('risk', 'Risk of harm to self or others', risk, true),
            diagnoses('diagnoses', 'Diagnoses'),
          ],
        },
        {
          id: 'plan',
          title: 'Plan',
          fields: [long('plan', 'Plan', true), pick('follow_up', 'Next session', followUp)],
        },
      ],
    },
  },
  {
    key: 'progress_birp',
    name: 'Progress note (BIRP)',
    kind: 'birp',
    restrictedDefault: false,
    definition: {
      sections: [
        {
          id: 'session',
          title: 'Session',
          fields: [
            pick('modality', 'Modality', modality, true),
            number('duration_minutes', 'Duration (minutes)', true),
          ],
        },
        {
          id: 'behavior',
          title: 'Behavior',
          fields: [long('behavior', 'Behavior', true, 'Presentation, mood, what the client said.')],
        },
        {
          id: 'intervention',
          title: 'Intervention',
          fields: [
            picks('interventions_used', 'Interventions used', interventions),
            long('intervention', 'Intervention', true),
          ],
        },
        { id: 'response', title: 'Response', fields: [long('response', 'Response', true)] },
        {
          id: 'plan',
          title: 'Plan',
          fields: [
            long('plan', 'Plan', true),
            pick('risk', 'Risk of harm to self or others', risk, true),
            diagnoses('diagnoses', 'Diagnoses'),
          ],
        },
      ],
    },
  },
  {
    key: 'intake',
    name: 'Intake assessment',
    kind: 'intake',
    restrictedDefault: false,
    definition: {
      sections: [
        {
          id: 'presenting',
          title: 'Presenting problem',
          fields: [
            long('presenting_problem', 'Presenting problem', true),
            long('history_present', 'History of the presenting problem'),
          ],
        },
        {
          id: 'history',
          title: 'History',
          fields: [
            long('psychiatric_history', 'Psychiatric history'),
            long('medical_history', 'Medical history'),
            pick('substance_use', 'Substance use', ['None reported', 'Past use', 'Current use'], true),
            long('substance_details', 'Substance use details'),
            long('family_social', 'Family and social history'),
          ],
        },
        {
          id: 'mental_status',
          title: 'Mental status',
          fields: [
            pick('appearance', 'Appearance', ['Well groomed', 'Disheveled', 'Unremarkable', 'Other']),
            pick('mood', 'Mood (reported)', [
              'Euthymic',
              'Depressed',
              'Anxious',
              'Irritable',
              'Elevated',
              'Other',
            ]),
            pick('affect', 'Affect', ['Full range', 'Constricted', 'Blunted', 'Flat', 'Labile']),
            pick('thought_process', 'Thought process', [
              'Linear and goal-directed',
              'Tangential',
              'Circumstantial',
              'Disorganized',
            ]),
            picks('orientation', 'Oriented to', ['Person', 'Place', 'Time', 'Situation']),
          ],
        },
        {
          id: 'risk',
          title: 'Risk assessment',
          fields: [
            pick(
              'suicidal_ideation',
              'Suicidal ideation',
              ['Denies', 'Passive', 'Active without plan', 'Active with plan'],
              true,
            ),
            pick('homicidal_ideation', 'Homicidal ideation', ['Denies', 'Present'], true),
            long('risk_notes', 'Risk notes and safety plan'),
          ],
        },
        {
          id: 'formulation',
          title: 'Diagnosis and recommendations',
          fields: [
            diagnoses('diagnoses', 'Diagnoses', true),
            long('recommendations', 'Recommendations', true),
          ],
        },
      ],
    },
  },
  {
    key: 'freeform',
    name: 'Free-form note',
    kind: 'freeform',
    restrictedDefault: false,
    definition: { sections: [{ id: 'note', title: 'Note', fields: [long('body', 'Note', true)] }] },
  },
  {
    key: 'psychotherapy',
    name: 'Psychotherapy note',
    kind: 'psychotherapy',
    restrictedDefault: true,
    definition: {
      sections: [
        {
          id: 'process',
          title: 'Process notes',
          fields: [
            long(
              'process',
              'Process notes',
              true,
              'Kept apart from the chart: visible to you and to clinicians using emergency access only.',
            ),
          ],
        },
      ],
    },
  },
];
