import { z } from 'zod';
import { idSchema } from '../common';

/**
 * Health tracking (issue 11): what a patient enters in the portal (weight, blood pressure, glucose, sleep,
 * mood, exercise, water) and the ranges a clinician sets per patient on the chart. One definition of the
 * units, the plausible ranges and the fixed-point storage, used by central (which checks again and stores),
 * the portal's form (in the patient's language) and the workstation's chart.
 *
 * Stored as integers, one unit per kind (never floating point):
 * | kind           | entered as                     | stored (`value`, `value2`)           | accepted         |
 * | weight         | lb or kg, one decimal          | grams                                | 2–1000 lb        |
 * | blood_pressure | systolic / diastolic mmHg      | systolic, diastolic                  | 60–260 / 30–160  |
 * | glucose        | mg/dL                          | mg/dL                                | 20–600           |
 * | sleep          | hours, one decimal             | minutes                              | 0–24 h           |
 * | mood           | 1 (very low) … 5 (very good)   | 1–5                                  |                  |
 * | exercise       | minutes                        | minutes                              | 0–1440           |
 * | water          | cups (8 fl oz), one decimal    | tenths of a cup                      | 0–40 cups        |
 */

export const trackingKinds = [
  'weight',
  'blood_pressure',
  'glucose',
  'sleep',
  'mood',
  'exercise',
  'water',
] as const;
export type TrackingKind = (typeof trackingKinds)[number];
export const weightUnits = ['lb', 'kg'] as const;
export type WeightUnit = (typeof weightUnits)[number];

const GRAMS_PER_LB = 453.59237;

/** The sentences of every refusal, by key: English here; the portal passes its own catalogue's keys. */
export const trackingErrors = {
  number: 'Enter a number, like 72 or 7.5.',
  weight: 'Enter a weight between 2 and 1000 lb (1 and 450 kg).',
  systolic: 'Enter the top number, between 60 and 260.',
  diastolic: 'Enter the bottom number, between 30 and 160, lower than the top number.',
  glucose: 'Enter a glucose reading between 20 and 600 mg/dL.',
  sleep: 'Enter hours of sleep between 0 and 24.',
  mood: 'Choose how you feel, from 1 to 5.',
  exercise: 'Enter minutes of exercise between 0 and 1440.',
  water: 'Enter cups of water between 0 and 40.',
  rangeOrder: 'The low end must be below the high end.',
  rangeEmpty: 'Set a low end, a high end, or both.',
} as const;
export type TrackingErrorKey = keyof typeof trackingErrors;

/** A decimal as typed ("72", "7.5", "7,5") with at most `decimals` places, else null. */
export function parseDecimal(text: string, decimals: number): number | null {
  const t = text.trim().replace(',', '.');
  const re = decimals > 0 ? new RegExp(`^\\d{1,5}(\\.\\d{1,${decimals}})?$`) : /^\d{1,5}$/;
  if (!re.test(t)) return null;
  return Number(t);
}

/**
 * A typed value of `kind` in stored units, or the key of the sentence that refuses it. `second` is the
 * diastolic number of a blood pressure; `unit` the weight's unit.
 */
export function toStored(
  kind: TrackingKind,
  first: string,
  second: string,
  unit: WeightUnit,
): { value: number; value2: number | null } | { error: TrackingErrorKey; field: 'value' | 'value2' } {
  const bad = (error: TrackingErrorKey, field: 'value' | 'value2' = 'value') => ({ error, field });
  switch (kind) {
    case 'weight': {
      const n = parseDecimal(first, 1);
      if (n === null) return bad('number');
      const grams = Math.round(unit === 'kg' ? n * 1000 : n * GRAMS_PER_LB);
      if (grams < 900 || grams > 453_600) return bad('weight');
      return { value: grams, value2: null };
    }
    case 'blood_pressure': {
      const sys = parseDecimal(first, 0);
      if (sys === null || sys < 60 || sys > 260) return bad('systolic');
      const dia = parseDecimal(second, 0);
      if (dia === null || dia < 30 || dia > 160 || dia >= sys) return bad('diastolic', 'value2');
      return { value: sys, value2: dia };
    }
    case 'glucose': {
      const n = parseDecimal(first, 0);
      if (n === null || n < 20 || n > 600) return bad('glucose');
      return { value: n, value2: null };
    }
    case 'sleep': {
      const n = parseDecimal(first, 1);
      if (n === null || n > 24) return bad('sleep');
      return { value: Math.round(n * 60), value2: null };
    }
    case 'mood': {
      const n = parseDecimal(first, 0);
      if (n === null || n < 1 || n > 5) return bad('mood');
      return { value: n, value2: null };
    }
    case 'exercise': {
      const n = parseDecimal(first, 0);
      if (n === null || n > 1440) return bad('exercise');
      return { value: n, value2: null };
    }
    case 'water': {
      const n = parseDecimal(first, 1);
      if (n === null || n > 40) return bad('water');
      return { value: Math.round(n * 10), value2: null };
    }
  }
}

/** A stored value in the unit it is shown in (lb for weight, hours for sleep, cups for water). */
export function displayNumber(kind: TrackingKind, stored: number): number {
  switch (kind) {
    case 'weight':
      return Math.round((stored / GRAMS_PER_LB) * 10) / 10;
    case 'sleep':
      return Math.round((stored / 60) * 10) / 10;
    case 'water':
      return stored / 10;
    default:
      return stored;
  }
}

/** The unit shown after a value (the same in English and Spanish). */
export const displayUnits: Record<TrackingKind, string> = {
  weight: 'lb',
  blood_pressure: 'mmHg',
  glucose: 'mg/dL',
  sleep: 'h',
  mood: '/ 5',
  exercise: 'min',
  water: 'cups',
};

/** "165.2 lb", "128/82 mmHg", "7.5 h" … */
export function formatTracking(kind: TrackingKind, value: number, value2: number | null): string {
  if (kind === 'blood_pressure') return `${value}/${value2 ?? '?'} mmHg`;
  return `${displayNumber(kind, value)} ${displayUnits[kind]}`;
}

/**
 * The patient's entry as the form sends it: the numbers as typed (the rules above turn them into stored
 * integers). `messages` gives each refusal's text: English sentences at central, catalogue keys in the
 * portal's form (which shows them in the patient's language).
 */
export function trackingEntrySchemaWith(messages: Record<TrackingErrorKey, string>) {
  return z
    .object({
      kind: z.enum(trackingKinds),
      value: z.string().max(20),
      value2: z.string().max(20).default(''),
      unit: z.enum(weightUnits).default('lb'),
    })
    .transform((input, ctx) => {
      const stored = toStored(input.kind, input.value, input.value2, input.unit);
      if ('error' in stored) {
        ctx.addIssue({ code: 'custom', path: [stored.field], message: messages[stored.error] });
        return z.NEVER;
      }
      return { kind: input.kind, ...stored };
    });
}
export const trackingEntrySchema = trackingEntrySchemaWith(trackingErrors);
export type TrackingEntryInput = z.input<typeof trackingEntrySchema>;

/** One entry as the portal and the chart show it (stored units). */
export const trackingEntrySchemaOut = z.object({
  id: idSchema,
  kind: z.enum(trackingKinds),
  value: z.number().int(),
  value2: z.number().int().nullable(),
  observedAt: z.string(),
});
export type TrackingEntry = z.infer<typeof trackingEntrySchemaOut>;

export const portalTrackingSchema = z.object({ entries: z.array(trackingEntrySchemaOut) });
export type PortalTracking = z.infer<typeof portalTrackingSchema>;

/** Replicated rows (property names as the workstation's drizzle tables have them). */
export type TrackingEntryRow = {
  id: string;
  clinicId: string;
  patientId: string;
  kind: TrackingKind;
  value: number;
  value2: number | null;
  enteredByName: string;
  observedAt: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
};

// ---- ranges (set by the clinician on the chart) ----

/**
 * A range as the clinician types it, in the shown unit (lb, mg/dL, hours, cups …); for blood pressure the
 * systolic range in `low`/`high` and the diastolic in `low2`/`high2`. Either end may be empty.
 */
export const trackingRangeInputSchema = z
  .object({
    low: z.string().max(20).default(''),
    high: z.string().max(20).default(''),
    low2: z.string().max(20).default(''),
    high2: z.string().max(20).default(''),
  })
  .strict();

const storedEnd = (kind: TrackingKind, text: string, second: boolean): number | null | 'bad' => {
  if (!text.trim()) return null;
  if (kind === 'blood_pressure') {
    const n = parseDecimal(text, 0);
    if (n === null) return 'bad';
    return second ? (n >= 30 && n <= 160 ? n : 'bad') : n >= 60 && n <= 260 ? n : 'bad';
  }
  // Any valid entry of the kind is a valid end of a range; blood pressure is the only two-number kind.
  const r = toStored(kind, text, '', 'lb');
  return 'error' in r ? 'bad' : r.value;
};

/** A range in stored units, or the field and sentence that refuse it. */
export function rangeToStored(
  kind: TrackingKind,
  input: z.infer<typeof trackingRangeInputSchema>,
):
  | { low: number | null; high: number | null; low2: number | null; high2: number | null }
  | { field: 'low' | 'high' | 'low2' | 'high2'; message: string } {
  const ends = {
    low: storedEnd(kind, input.low, false),
    high: storedEnd(kind, input.high, false),
    low2: kind === 'blood_pressure' ? storedEnd(kind, input.low2, true) : null,
    high2: kind === 'blood_pressure' ? storedEnd(kind, input.high2, true) : null,
  };
  for (const f of ['low', 'high', 'low2', 'high2'] as const)
    if (ends[f] === 'bad')
      return {
        field: f,
        message:
          kind === 'blood_pressure'
            ? trackingErrors[f.endsWith('2') ? 'diastolic' : 'systolic']
            : trackingErrors[kind === 'weight' ? 'weight' : kind],
      };
  const e = ends as { low: number | null; high: number | null; low2: number | null; high2: number | null };
  if (e.low !== null && e.high !== null && e.low >= e.high)
    return { field: 'high', message: trackingErrors.rangeOrder };
  if (e.low2 !== null && e.high2 !== null && e.low2 >= e.high2)
    return { field: 'high2', message: trackingErrors.rangeOrder };
  if ([e.low, e.high, e.low2, e.high2].every((v) => v === null))
    return { field: 'low', message: trackingErrors.rangeEmpty };
  return e;
}

export const trackingRangeSchemaOut = z.object({
  kind: z.enum(trackingKinds),
  low: z.number().int().nullable(),
  high: z.number().int().nullable(),
  low2: z.number().int().nullable(),
  high2: z.number().int().nullable(),
  setByName: z.string(),
  updatedAt: z.string(),
});
export type TrackingRange = z.infer<typeof trackingRangeSchemaOut>;

export type TrackingRangeRow = {
  id: string;
  clinicId: string;
  patientId: string;
  kind: TrackingKind;
  low: number | null;
  high: number | null;
  low2: number | null;
  high2: number | null;
  setBy: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
};

/** Where an entry falls against the clinician's range: below it, above it, or inside (or no range). */
export function rangeFlag(
  entry: Pick<TrackingEntry, 'value' | 'value2'>,
  range: Pick<TrackingRange, 'low' | 'high' | 'low2' | 'high2'> | null | undefined,
): 'low' | 'high' | null {
  if (!range) return null;
  const below = (v: number | null, lo: number | null) => v !== null && lo !== null && v < lo;
  const above = (v: number | null, hi: number | null) => v !== null && hi !== null && v > hi;
  if (above(entry.value, range.high) || above(entry.value2, range.high2)) return 'high';
  if (below(entry.value, range.low) || below(entry.value2, range.low2)) return 'low';
  return null;
}

/** The chart's view of a patient's tracking: entries newest first and the clinician's ranges by kind. */
export const patientTrackingSchema = z.object({
  entries: z.array(trackingEntrySchemaOut.extend({ enteredByName: z.string() })),
  ranges: z.array(trackingRangeSchemaOut),
});
export type PatientTracking = z.infer<typeof patientTrackingSchema>;

export const trackingRangeParamsSchema = z.object({
  patientId: idSchema,
  kind: z.enum(trackingKinds),
});

/**
 * The medication list as the clinic recorded it (the chart's `medications`, active ones), shown read-only in
 * the portal beside the tracking; the clinic's note on a medication stays on the chart.
 */
export const portalMedicationsSchema = z.object({
  medications: z.array(
    z.object({
      id: idSchema,
      name: z.string(),
      dose: z.string(),
      route: z.string(),
      frequency: z.string(),
      startDate: z.string().nullable(),
    }),
  ),
});
export type PortalMedications = z.infer<typeof portalMedicationsSchema>;
