import { DateTime } from 'luxon';
import type { VisitSummaryPreview } from '../../../contracts/portal/documents';
import { formatDateTime, zoneAbbreviation } from '../../../contracts/time-format';
import { formatDate } from '../../../domain/billing/documents';
import { composeVisitSummary, visitSummaryDocument } from '../../../domain/clinical/visit-summary';
import { AppError } from '../../../platform/errors';
import type { Store } from '../../db/store';
import { letterheadOf } from '../billing/document-settings';
import { renderDocumentPdf } from '../billing/documents-pdf';
import { getClinicInfo } from '../settings/clinic-info';
import { people, type Clinician } from './clinician';
import { encounterRowById } from './encounters';
import { openNote, toNote } from './notes';

/**
 * A signed note's visit summary for the patient's portal: which note, whose, and what the patient reads
 * (composed in server/domain/clinical/visit-summary.ts from the patient-facing fields only). Opening the
 * note goes through the chart's access checks (restricted records, emergency access) like any note read.
 */
export interface VisitSummary {
  noteId: string;
  patientId: string;
  summary: VisitSummaryPreview;
  /** The emergency-access grant the note was opened under, if any (for the audit entry). */
  grantId: string | null;
}

export function visitSummaryOf(store: Store, clin: Clinician, noteId: string): VisitSummary {
  const { row, patient, grantId } = openNote(store, clin, noteId);
  if (row.restricted)
    throw new AppError(
      409,
      'note_restricted',
      'Psychotherapy notes are kept apart from the record and are never shared in the portal.',
    );
  if (row.status !== 'signed')
    throw new AppError(
      409,
      'note_not_signed',
      row.status === 'draft'
        ? 'Sign the note before sharing a summary with the patient.'
        : 'Share the summary once the supervisor has co-signed the note.',
    );
  const note = toNote(store, clin, row);
  const clinic = getClinicInfo(store);
  const signedAt = note.cosign?.signature?.at ?? note.signature!.at;
  const encounter = row.encounterId ? encounterRowById(store, row.encounterId) : null;
  const provider = encounter
    ? people(store, [encounter.providerUserId])(encounter.providerUserId).name
    : null;
  const summary = composeVisitSummary({
    definition: note.template.definition,
    fields: note.content.fields,
    patientName: `${patient.firstNameToUse || patient.legalFirstName} ${patient.legalLastName}`,
    visitDate: encounter?.dateOfService ?? DateTime.fromISO(signedAt, { zone: clinic.timeZone }).toISODate()!,
    provider: provider ?? note.author.name,
    signedLine: `${note.signature!.by.name}, ${formatDateTime(note.signature!.at, clinic)} ${zoneAbbreviation(note.signature!.at, clinic.timeZone)}`,
  });
  if (!summary)
    throw new AppError(
      409,
      'summary_empty',
      'This note has nothing written for the patient: a summary shows the assessment, plan, follow-up, recommendations or instructions, and they are empty.',
    );
  return { noteId: row.id, patientId: patient.id, summary, grantId };
}

/** The summary drawn on the clinic's letterhead, as the billing documents are. */
export function visitSummaryPdf(store: Store, summary: VisitSummaryPreview): Promise<Buffer> {
  const letterhead = letterheadOf(store);
  const today = DateTime.fromJSDate(store.now(), { zone: letterhead.timeZone }).toISODate()!;
  return renderDocumentPdf(letterhead, visitSummaryDocument(summary), formatDate(today), store.now());
}
