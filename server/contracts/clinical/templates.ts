import { z } from 'zod';
import { idSchema } from '../common';

/**
 * Note templates are data: admins edit them, every edit is a new version, and a note keeps the exact
 * version it was written with so an old note always renders with the sections it was signed with.
 */

export const templateFieldTypes = [
  'text',
  'textarea',
  'choice',
  'multichoice',
  'number',
  'date',
  'diagnoses',
] as const;
export const templateFieldTypeSchema = z.enum(templateFieldTypes);
export type TemplateFieldType = z.infer<typeof templateFieldTypeSchema>;

export const templateFieldTypeLabels: Record<TemplateFieldType, string> = {
  text: 'Short text',
  textarea: 'Long text',
  choice: 'Pick one',
  multichoice: 'Pick any',
  number: 'Number',
  date: 'Date',
  diagnoses: 'Coded diagnoses (ICD-10-CM)',
};

/** Field and section ids are keys of the stored note content, so they stay short and plain. */
export const templateKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'Use lower-case letters, digits and _ (start with a letter).');

export const templateFieldSchema = z.object({
  id: templateKeySchema,
  label: z.string().trim().min(1, 'Give the field a label.').max(120, 'At most 120 characters.'),
  type: templateFieldTypeSchema,
  required: z.boolean().default(false),
  /** The pick list of a choice / multichoice field. */
  options: z.array(z.string().trim().min(1, 'An option cannot be empty.').max(120)).max(50).default([]),
  hint: z.string().trim().max(300, 'At most 300 characters.').default(''),
});
export type TemplateField = z.infer<typeof templateFieldSchema>;

export const templateSectionSchema = z.object({
  id: templateKeySchema,
  title: z.string().trim().min(1, 'Give the section a title.').max(120, 'At most 120 characters.'),
  fields: z.array(templateFieldSchema).min(1, 'A section needs at least one field.').max(40),
});
export type TemplateSection = z.infer<typeof templateSectionSchema>;

export const templateDefinitionSchema = z
  .object({
    sections: z.array(templateSectionSchema).min(1, 'A template needs at least one section.').max(20),
  })
  .superRefine((def, ctx) => {
    const sectionIds = new Set<string>();
    const fieldIds = new Set<string>();
    def.sections.forEach((section, s) => {
      if (sectionIds.has(section.id)) {
        ctx.addIssue({ code: 'custom', path: ['sections', s, 'id'], message: 'Section ids must be unique.' });
      }
      sectionIds.add(section.id);
      section.fields.forEach((field, f) => {
        const path = ['sections', s, 'fields', f];
        if (fieldIds.has(field.id)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: 'Field ids must be unique.' });
        }
        fieldIds.add(field.id);
        const isChoice = field.type === 'choice' || field.type === 'multichoice';
        if (isChoice && field.options.length < 2) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'options'],
            message: 'A pick list needs two or more options.',
          });
        }
        if (!isChoice && field.options.length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'options'],
            message: 'Only pick lists have options.',
          });
        }
        if (new Set(field.options).size !== field.options.length) {
          ctx.addIssue({ code: 'custom', path: [...path, 'options'], message: 'Options must be unique.' });
        }
      });
    });
  });
export type TemplateDefinition = z.infer<typeof templateDefinitionSchema>;

export const templateKinds = [
  'soap',
  'dap',
  'birp',
  'intake',
  'freeform',
  'psychotherapy',
  'custom',
] as const;
export const templateKindSchema = z.enum(templateKinds);
export type TemplateKind = z.infer<typeof templateKindSchema>;
export const templateKindLabels: Record<TemplateKind, string> = {
  soap: 'SOAP note',
  dap: 'Progress note (DAP)',
  birp: 'Progress note (BIRP)',
  intake: 'Intake assessment',
  freeform: 'Free-form note',
  psychotherapy: 'Psychotherapy note',
  custom: 'Custom',
};

export const templateStatuses = ['active', 'superseded', 'retired'] as const;
export const templateStatusSchema = z.enum(templateStatuses);

export const noteTemplateSchema = z.object({
  id: idSchema,
  /** Stable across versions: "the SOAP template", whichever version is current. */
  key: z.string(),
  name: z.string(),
  kind: templateKindSchema,
  version: z.number().int(),
  /** Notes from this template start as restricted psychotherapy notes. */
  restrictedDefault: z.boolean(),
  definition: templateDefinitionSchema,
  status: templateStatusSchema,
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});
export type NoteTemplate = z.infer<typeof noteTemplateSchema>;

export const noteTemplateListSchema = z.object({ templates: z.array(noteTemplateSchema) });

export const templateNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the template a name.')
  .max(120, 'At most 120 characters.');

export const templateCreateSchema = z.object({
  name: templateNameSchema,
  kind: templateKindSchema.default('custom'),
  restrictedDefault: z.boolean().default(false),
  definition: templateDefinitionSchema,
});
export type TemplateCreate = z.infer<typeof templateCreateSchema>;

export const templateReviseSchema = z.object({
  /** The version being edited; a newer one saved meanwhile is a conflict, not silently overwritten. */
  baseVersion: z.number().int().min(1),
  name: templateNameSchema,
  restrictedDefault: z.boolean(),
  definition: templateDefinitionSchema,
});
export type TemplateRevise = z.infer<typeof templateReviseSchema>;
