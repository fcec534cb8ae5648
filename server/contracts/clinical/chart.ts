import { z } from 'zod';
import { boundedDate, recordDates } from '../date-bounds';
import { idSchema, isoInstantSchema } from '../common';
import { patientSchema, patientSummarySchema } from '../patients';
import { codedDiagnosisSchema, codeSetStatusSchema, icd10CodeSchema } from './codes';
import { noteSummarySchema, personRefSchema } from './notes';

/**
 * The chart: problem list, allergies, medications as reported, vitals, alerts, encounters and the
 * timeline of everything documented. Calendar dates are `YYYY-MM-DD`; instants are UTC ISO strings.
 */

/** A calendar date or nothing ('' from an emptied field counts as nothing). */
const dateOrNull = z.union([
  boundedDate(recordDates),
  z.literal('').transform(() => null),
  z.null(),
]);
// Creating: absent means none. Updating (partial schemas): absent means unchanged, so no default there.
const optionalDate = dateOrNull.default(null);
const shortText = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);

export const patientIdParamsSchema = z.object({ id: idSchema });

// ---------------------------------------------------------------- problems

export const problemStatuses = ['active', 'resolved', 'inactive'] as const;
export const problemStatusSchema = z.enum(problemStatuses);
export const problemStatusLabels: Record<(typeof problemStatuses)[number], string> = {
  active: 'Active',
  resolved: 'Resolved',
  inactive: 'Inactive',
};

export const problemSchema = z.object({
  id: idSchema,
  /** '' while uncoded: the description is then the clinician's own words. */
  code: z.string(),
  uncoded: z.boolean(),
  /** The words an uncoded diagnosis was recorded as (kept after it is coded). */
  recordedAs: z.string().nullable(),
  /** The signed note an uncoded diagnosis came from. */
  sourceNoteId: z.string().nullable(),
  /** Set when a newer code-set release dropped the code: it stays on the record, not valid for new use. */
  codeRetiredIn: z.string().nullable(),
  description: z.string(),
  codeSetRelease: z.string(),
  status: problemStatusSchema,
  onsetDate: z.string().nullable(),
  resolvedDate: z.string().nullable(),
  note: z.string(),
  recordedBy: personRefSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Problem = z.infer<typeof problemSchema>;

export const problemCreateSchema = z
  .object({
    code: icd10CodeSchema.optional(),
    /** Instead of a code: the diagnosis in words, recorded as uncoded (code it later). */
    uncodedText: shortText(300).optional(),
    status: problemStatusSchema.default('active'),
    onsetDate: optionalDate,
    note: shortText(2000).default(''),
  })
  .superRefine((v, ctx) => {
    if (!v.code && !v.uncodedText)
      ctx.addIssue({
        code: 'custom',
        path: ['code'],
        message: 'Pick a diagnosis from the search, or record it as text (uncoded).',
      });
    if (v.code && v.uncodedText)
      ctx.addIssue({ code: 'custom', path: ['uncodedText'], message: 'Give a code or text, not both.' });
  });
export const problemUpdateSchema = z
  .object({
    status: problemStatusSchema,
    onsetDate: dateOrNull,
    resolvedDate: dateOrNull,
    note: shortText(2000),
    /** Code an uncoded problem: the code set's description replaces the words, which stay as recordedAs. */
    code: icd10CodeSchema,
    /** Recorded by mistake: it leaves the list (kept, tombstoned, audited). */
    enteredInError: z.literal(true),
  })
  .partial();

// ---------------------------------------------------------------- allergies

export const allergyTypes = ['drug', 'food', 'environmental', 'other', 'nka'] as const;
export const allergyTypeSchema = z.enum(allergyTypes);
export const allergyTypeLabels: Record<(typeof allergyTypes)[number], string> = {
  drug: 'Drug',
  food: 'Food',
  environmental: 'Environmental',
  other: 'Other',
  nka: 'No known allergies',
};
export const allergySeverities = ['mild', 'moderate', 'severe', 'unknown'] as const;
export const allergyStatuses = ['active', 'inactive'] as const;
export const medicationStatuses = ['active', 'stopped'] as const;
export const allergySeveritySchema = z.enum(allergySeverities);

export const allergySchema = z.object({
  id: idSchema,
  type: allergyTypeSchema,
  allergen: z.string(),
  reaction: z.string(),
  severity: allergySeveritySchema,
  status: z.enum(allergyStatuses),
  onsetDate: z.string().nullable(),
  recordedBy: personRefSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Allergy = z.infer<typeof allergySchema>;

export const allergyCreateSchema = z
  .object({
    type: allergyTypeSchema,
    allergen: shortText(200).default(''),
    reaction: shortText(500).default(''),
    severity: allergySeveritySchema.default('unknown'),
    onsetDate: optionalDate,
  })
  .superRefine((a, ctx) => {
    if (a.type !== 'nka' && !a.allergen) {
      ctx.addIssue({ code: 'custom', path: ['allergen'], message: 'Name the allergen.' });
    }
  });
export const allergyUpdateSchema = z
  .object({
    reaction: shortText(500),
    severity: allergySeveritySchema,
    status: z.enum(allergyStatuses),
    onsetDate: dateOrNull,
    enteredInError: z.literal(true),
  })
  .partial();

// ---------------------------------------------------------------- medications (as reported)

export const medicationSchema = z.object({
  id: idSchema,
  name: z.string(),
  dose: z.string(),
  route: z.string(),
  frequency: z.string(),
  status: z.enum(medicationStatuses),
  startDate: z.string().nullable(),
  stopDate: z.string().nullable(),
  note: z.string(),
  recordedBy: personRefSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Medication = z.infer<typeof medicationSchema>;

export const medicationCreateSchema = z.object({
  name: shortText(200).min(1, 'Name the medication.'),
  dose: shortText(100).default(''),
  route: shortText(60).default(''),
  frequency: shortText(100).default(''),
  startDate: optionalDate,
  note: shortText(1000).default(''),
});
export const medicationUpdateSchema = z
  .object({
    dose: shortText(100),
    route: shortText(60),
    frequency: shortText(100),
    status: z.enum(medicationStatuses),
    stopDate: dateOrNull,
    note: shortText(1000),
    enteredInError: z.literal(true),
  })
  .partial();

// ---------------------------------------------------------------- vitals

/**
 * Stored in one unit system (kg, cm, °C, mmHg); entered and shown in the unit the user picks. Each
 * value carries its unit, so nothing is guessed.
 */
const measure = <U extends string>(units: readonly [U, ...U[]]) =>
  z.object({ value: z.number().finite(), unit: z.enum(units) });

export const vitalsCreateSchema = z
  .object({
    takenAt: isoInstantSchema.optional(),
    encounterId: idSchema.nullable().default(null),
    systolic: z
      .number()
      .int()
      .min(40, 'Systolic 40–300 mmHg.')
      .max(300, 'Systolic 40–300 mmHg.')
      .nullable()
      .default(null),
    diastolic: z
      .number()
      .int()
      .min(20, 'Diastolic 20–200 mmHg.')
      .max(200, 'Diastolic 20–200 mmHg.')
      .nullable()
      .default(null),
    heartRate: z
      .number()
      .int()
      .min(20, 'Pulse 20–250 /min.')
      .max(250, 'Pulse 20–250 /min.')
      .nullable()
      .default(null),
    respiratoryRate: z
      .number()
      .int()
      .min(4, 'Respirations 4–80 /min.')
      .max(80, 'Respirations 4–80 /min.')
      .nullable()
      .default(null),
    temperature: measure(['F', 'C'] as const)
      .nullable()
      .default(null),
    weight: measure(['lb', 'kg'] as const)
      .nullable()
      .default(null),
    height: measure(['in', 'cm'] as const)
      .nullable()
      .default(null),
    spo2: z.number().int().min(50, 'SpO₂ 50–100 %.').max(100, 'SpO₂ 50–100 %.').nullable().default(null),
    painScore: z.number().int().min(0, 'Pain 0–10.').max(10, 'Pain 0–10.').nullable().default(null),
  })
  .superRefine((v, ctx) => {
    const any = [
      v.systolic,
      v.diastolic,
      v.heartRate,
      v.respiratoryRate,
      v.temperature,
      v.weight,
      v.height,
      v.spo2,
      v.painScore,
    ];
    if (any.every((x) => x === null)) {
      ctx.addIssue({ code: 'custom', path: ['systolic'], message: 'Enter at least one measurement.' });
    }
    if ((v.systolic === null) !== (v.diastolic === null)) {
      ctx.addIssue({ code: 'custom', path: ['diastolic'], message: 'Enter both blood pressure numbers.' });
    }
    if (v.systolic !== null && v.diastolic !== null && v.diastolic >= v.systolic) {
      ctx.addIssue({
        code: 'custom',
        path: ['diastolic'],
        message: 'Diastolic must be lower than systolic.',
      });
    }
  });
export type VitalsCreate = z.infer<typeof vitalsCreateSchema>;

export const vitalsSchema = z.object({
  id: idSchema,
  takenAt: z.string(),
  encounterId: idSchema.nullable(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  heartRate: z.number().nullable(),
  respiratoryRate: z.number().nullable(),
  temperatureC: z.number().nullable(),
  weightKg: z.number().nullable(),
  heightCm: z.number().nullable(),
  bmi: z.number().nullable(),
  spo2: z.number().nullable(),
  painScore: z.number().nullable(),
  recordedBy: personRefSchema,
});
export type Vitals = z.infer<typeof vitalsSchema>;
export const vitalsListSchema = z.object({ vitals: z.array(vitalsSchema) });
export const vitalsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const vitalsErrorSchema = z.object({
  reason: z.string().trim().min(3, 'Say what was wrong (at least 3 characters).').max(500),
});

// ---------------------------------------------------------------- alerts

export const alertSeverities = ['info', 'warning', 'critical'] as const;
export const alertSeveritySchema = z.enum(alertSeverities);
export const alertSchema = z.object({
  id: idSchema,
  text: z.string(),
  severity: alertSeveritySchema,
  active: z.boolean(),
  createdBy: personRefSchema,
  createdAt: z.string(),
});
export type PatientAlert = z.infer<typeof alertSchema>;
export const alertListSchema = z.object({ alerts: z.array(alertSchema) });
export const alertCreateSchema = z.object({
  text: z.string().trim().min(1, 'Write the alert.').max(200, 'At most 200 characters.'),
  severity: alertSeveritySchema.default('warning'),
});
export const alertUpdateSchema = z
  .object({ text: z.string().trim().min(1).max(200), severity: alertSeveritySchema, active: z.boolean() })
  .partial();

// ---------------------------------------------------------------- encounters

export const encounterTypes = ['office', 'telehealth', 'phone', 'other'] as const;
export const encounterTypeSchema = z.enum(encounterTypes);
export const encounterTypeLabels: Record<(typeof encounterTypes)[number], string> = {
  office: 'Office visit',
  telehealth: 'Telehealth',
  phone: 'Phone',
  other: 'Other',
};

export const encounterSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  provider: personRefSchema,
  appointmentId: idSchema.nullable(),
  dateOfService: z.string(),
  startAt: z.string(),
  timeZone: z.string(),
  locationName: z.string(),
  type: encounterTypeSchema,
  reason: z.string(),
  diagnoses: z.array(codedDiagnosisSchema),
  notes: z.array(noteSummarySchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Encounter = z.infer<typeof encounterSchema>;

export const encounterCreateSchema = z.object({
  patientId: idSchema,
  providerId: idSchema,
  dateOfService: boundedDate(recordDates),
  startTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time like 09:30.')
    .optional(),
  type: encounterTypeSchema.default('office'),
  locationName: shortText(200).default(''),
  reason: shortText(500).default(''),
});
export type EncounterCreate = z.infer<typeof encounterCreateSchema>;

export const encounterUpdateSchema = z
  .object({ type: encounterTypeSchema, locationName: shortText(200), reason: shortText(500) })
  .partial();

export const encounterDiagnosesSchema = z.object({
  codes: z.array(icd10CodeSchema).max(12, 'At most 12 diagnoses on an encounter.'),
});

/** Someone who can be an encounter's provider or a supervisor: staff who write notes. */
export const clinicalProviderListSchema = z.object({ providers: z.array(personRefSchema) });

// ---------------------------------------------------------------- timeline and chart summary

export const timelineItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('encounter'),
    at: z.string(),
    encounter: encounterSchema,
  }),
  z.object({ kind: z.literal('note'), at: z.string(), note: noteSummarySchema }),
  z.object({
    kind: z.literal('treatment_plan'),
    at: z.string(),
    plan: z.object({
      id: idSchema,
      title: z.string(),
      version: z.number().int(),
      status: z.string(),
    }),
  }),
]);
export type TimelineItem = z.infer<typeof timelineItemSchema>;

export const timelineQuerySchema = z.object({
  cursor: z
    .string()
    .regex(/^[0-9TZ:.+-]+~[0-9a-f-]{36}$/, 'That page link is not valid; reload the chart.')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export const timelinePageSchema = z.object({
  items: z.array(timelineItemSchema),
  nextCursor: z.string().nullable(),
});
export type TimelinePage = z.infer<typeof timelinePageSchema>;

export const planSummarySchema = z.object({
  id: idSchema,
  title: z.string(),
  version: z.number().int(),
  status: z.string(),
  reviewDate: z.string().nullable(),
  objectivesTotal: z.number().int(),
  objectivesAchieved: z.number().int(),
});

export const chartSchema = z.object({
  patient: patientSchema,
  alerts: z.array(alertSchema),
  problems: z.array(problemSchema),
  allergies: z.array(allergySchema),
  medications: z.array(medicationSchema),
  /** Newest first; enough for simple trends. */
  vitals: z.array(vitalsSchema),
  treatmentPlans: z.array(planSummarySchema),
  counts: z.object({ encounters: z.number().int(), notes: z.number().int(), drafts: z.number().int() }),
  timeline: timelinePageSchema,
  codeSet: codeSetStatusSchema,
});
export type Chart = z.infer<typeof chartSchema>;

// ---------------------------------------------------------------- a clinician's day

export const myDaySchema = z.object({
  /** The clinic's calendar date the list is for. */
  date: z.string(),
  /** Today's appointments with this clinician, in time order, and the encounter each one has if any. */
  visits: z.array(
    z.object({
      appointmentId: idSchema,
      patient: patientSummarySchema,
      startsAt: z.string(),
      status: z.string(),
      locationName: z.string(),
      encounterId: idSchema.nullable(),
    }),
  ),
  drafts: z.array(z.object({ note: noteSummarySchema, patient: patientSummarySchema })),
  awaitingCosign: z.array(z.object({ note: noteSummarySchema, patient: patientSummarySchema })),
});
export type MyDay = z.infer<typeof myDaySchema>;
