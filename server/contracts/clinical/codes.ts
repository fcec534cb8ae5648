import { z } from 'zod';

/**
 * ICD-10-CM codes travel in their printed form (`F41.1`): upper case, a dot after the category. Input
 * may omit the dot or use lower case; it is normalised here so every layer compares the same string.
 */
/**
 * A code without its dot: a letter, then two characters of which at least one is a digit (`F41`, `I5A`,
 * and since FY2026 the `QA0x` categories of chapter 23 with a letter second), then up to four more.
 * The one definition of a code's shape: the file parser, the search and the input schema use it.
 */
export const ICD10CM_COMPACT = /^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])[0-9A-Z]{0,4}$/;
const ICD10CM_SHAPE = /^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(\.?[0-9A-Z]{1,4})?$/;

export function formatIcd10Code(raw: string): string {
  const compact = raw.trim().toUpperCase().replace('.', '');
  return compact.length > 3 ? `${compact.slice(0, 3)}.${compact.slice(3)}` : compact;
}

export const icd10CodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(
    (s) => ICD10CM_SHAPE.test(s) || ICD10CM_COMPACT.test(s.replace(/\.(?=[0-9A-Z])/, '')),
    'Enter an ICD-10-CM code like F41.1.',
  )
  .transform(formatIcd10Code);

/** A coded diagnosis as recorded: the description is the code set's, copied when it was recorded. */
export const codedDiagnosisSchema = z.object({
  code: icd10CodeSchema,
  description: z.string().trim().min(1).max(300),
});
export type CodedDiagnosis = z.infer<typeof codedDiagnosisSchema>;

/**
 * A diagnosis recorded as the clinician's words, flagged uncoded: what a note carries while no code set is
 * installed (or no code is found), so nothing blocks signing. Signing puts it on the problem list as an
 * uncoded problem, where picking its code later is one step.
 */
export const uncodedDiagnosisSchema = z.object({
  uncoded: z.literal(true),
  description: z
    .string()
    .trim()
    .min(1, 'Describe the diagnosis in a few words.')
    .max(300, 'At most 300 characters.'),
});
export type UncodedDiagnosis = z.infer<typeof uncodedDiagnosisSchema>;

/** A note's diagnosis: coded, or free text flagged uncoded. */
export const noteDiagnosisSchema = z.union([codedDiagnosisSchema, uncodedDiagnosisSchema]);
export type NoteDiagnosis = z.infer<typeof noteDiagnosisSchema>;
export const isUncoded = (d: NoteDiagnosis): d is UncodedDiagnosis => 'uncoded' in d && d.uncoded === true;

export const icd10SearchQuerySchema = z.object({
  q: z.string().trim().min(1, 'Type a code or a word.').max(100, 'At most 100 characters.'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const icd10MatchSchema = z.object({
  code: z.string(),
  description: z.string(),
  /** Valid for submission on claims (a leaf of the classification). */
  billable: z.boolean(),
});
export type Icd10Match = z.infer<typeof icd10MatchSchema>;

/** Where an installed code set came from: a file imported on this workstation, or central. */
export const codeSetOrigins = ['file', 'central'] as const;
export const icd10SearchResultSchema = z.object({
  matches: z.array(icd10MatchSchema),
  /** More codes matched than were returned: type more to narrow. */
  more: z.boolean(),
});

/**
 * Which code set this workstation searches, so the screen can name its source and version. Tessera ships
 * no codes: until an administrator installs CDC's file the coverage is `none` and nothing can be coded.
 */
const installedCodeSetStatusSchema = z.object({
  name: z.literal('ICD-10-CM'),
  /** `full`: a complete code set (10,000 codes or more); `partial`: a smaller set installed on purpose. */
  coverage: z.enum(['full', 'partial']),
  release: z.string(),
  source: z.string(),
  codeCount: z.number().int(),
  coverageNote: z.string(),
  installedAt: z.string(),
  /** SHA-256 (hex) of the installed file: what a workstation compares with central's release. */
  digest: z.string(),
  /** Imported here from a file, or received from central. */
  origin: z.enum(codeSetOrigins),
  /** Codes earlier releases had and this one dropped (kept so records using them still resolve). */
  retiredCount: z.number().int(),
});
const missingCodeSetStatusSchema = z.object({
  name: z.literal('ICD-10-CM'),
  coverage: z.literal('none'),
  release: z.null(),
  source: z.null(),
  codeCount: z.literal(0),
  /** What an administrator does to install it. */
  coverageNote: z.string(),
  installedAt: z.null(),
  digest: z.null(),
  origin: z.null(),
  retiredCount: z.number().int(),
});
export const codeSetStatusSchema = z.discriminatedUnion('coverage', [
  installedCodeSetStatusSchema,
  missingCodeSetStatusSchema,
]);
export type CodeSetStatus = z.infer<typeof codeSetStatusSchema>;

// ---------------------------------------------------------------- importing from the screen

/** The largest file an import accepts: CDC's order file is about 15 MB, its codes file about 6.5 MB. */
export const CODE_SET_UPLOAD_MAX_BYTES = 32 * 1024 * 1024;

/** Uploading a file (the request body is the file itself, as text/plain): what to call the release. */
export const codeSetImportQuerySchema = z.object({
  release: z
    .string()
    .trim()
    .min(1, 'Name the release, e.g. FY2026 (October 1, 2025).')
    .max(100, 'At most 100 characters.'),
  /** A file under 10,000 codes (a specialty subset) is installed only when this says it is meant. */
  allowPartial: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const codeSetImportParamsSchema = z.object({ id: z.uuid() });

export const codeSetImportStates = ['reading', 'installing', 'done', 'failed'] as const;

/** An import in progress (kept in the server's memory while it runs and a while after). */
export const codeSetImportSchema = z.object({
  id: z.uuid(),
  state: z.enum(codeSetImportStates),
  release: z.string(),
  bytes: z.number().int(),
  /** Lines read so far, of `lineCount`. */
  linesRead: z.number().int(),
  lineCount: z.number().int(),
  /** Why it failed, as a sentence for the administrator. */
  message: z.string().nullable(),
  /** The installed code set once done. */
  installed: codeSetStatusSchema.nullable(),
  startedAt: z.string(),
});
export type CodeSetImport = z.infer<typeof codeSetImportSchema>;
