import { z } from 'zod';
import { idSchema } from '../common';

/**
 * Medication adherence (issue 11): per medication on the clinic's list and per day, what the patient
 * reports (taken / partly taken / missed, an optional short note). One report per medication per clinic day:
 * a later report for the same day replaces it (same row, updated at central). Written at central from the
 * portal, replicated to the workstations (`medication_adherence`), read-only on the chart.
 */

export const adherenceStatuses = ['taken', 'partial', 'missed'] as const;
export type AdherenceStatus = (typeof adherenceStatuses)[number];

export const ADHERENCE_NOTE_MAX = 200;

/** What the portal sends: the medication (must be the session patient's), the answer, a note. */
export const adherenceReportSchema = z
  .object({
    medicationId: idSchema,
    status: z.enum(adherenceStatuses),
    note: z
      .string()
      .trim()
      .max(ADHERENCE_NOTE_MAX, `Keep the note to ${ADHERENCE_NOTE_MAX} characters or fewer.`)
      .default(''),
  })
  .strict();
export type AdherenceReportInput = z.input<typeof adherenceReportSchema>;

/** One report as the portal and the chart show it (`day` is the clinic's calendar day, YYYY-MM-DD). */
export const adherenceReportSchemaOut = z.object({
  id: idSchema,
  medicationId: idSchema,
  day: z.string(),
  status: z.enum(adherenceStatuses),
  note: z.string(),
  reportedAt: z.string(),
});
export type AdherenceReport = z.infer<typeof adherenceReportSchemaOut>;

/** The patient's reports of the last days and the clinic's today (so the page knows which day "today" is). */
export const portalAdherenceSchema = z.object({
  today: z.string(),
  reports: z.array(adherenceReportSchemaOut),
});
export type PortalAdherence = z.infer<typeof portalAdherenceSchema>;

/** The chart's view: the reports of the last days, newest first, and the workstation's clinic today. */
export const patientAdherenceSchema = portalAdherenceSchema;
export type PatientAdherence = PortalAdherence;

/** Replicated row (property names as the workstation's drizzle table has them). */
export type AdherenceRow = {
  id: string;
  clinicId: string;
  patientId: string;
  medicationId: string;
  day: string;
  status: AdherenceStatus;
  note: string;
  enteredByName: string;
  reportedAt: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
};

/** The `n` calendar days ending with `today` (YYYY-MM-DD), oldest first. */
export function lastDays(today: string, n: number): string[] {
  const end = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) =>
    new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

/**
 * "% taken" over the days the patient reported on (a day without a report is not counted as missed: the
 * patient simply did not answer); partly taken counts half. Null when nothing was reported: the chart says
 * so in a sentence rather than showing 0 %.
 */
export function adherencePercent(reports: readonly Pick<AdherenceReport, 'status'>[]): number | null {
  if (reports.length === 0) return null;
  const points = reports.reduce((s, r) => s + (r.status === 'taken' ? 2 : r.status === 'partial' ? 1 : 0), 0);
  return Math.round((points * 100) / (2 * reports.length));
}
