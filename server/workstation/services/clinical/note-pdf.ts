import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import {
  amendmentStatusSchema,
  progressRatingLabels,
  type Note,
  type NoteFieldValue,
} from '../../../contracts/clinical';
import type { Store } from '../../db/store';
import { AppError } from '../../../platform/errors';
import { getClinicInfo } from '../settings/clinic-info';
import { heading, startLetterheadPdf } from '../documents/letterhead-pdf';
import type { Clinician } from './clinician';
import { encounterRowById } from './encounters';
import { openNote, toNote } from './notes';
import { parseStructure, planRowById } from './treatment-plans';
import { people } from './clinician';
import { formatCalendarDate, formatDateTime, zoneAbbreviation } from '../../../contracts/time-format';

/**
 * A signed note as a PDF a clinic would hand out: the clinic's name at the top, who the note is about, the
 * note's sections, the signatures with their digests, addenda and amendment decisions, and a footer on
 * every page. Only signed notes (and those waiting for co-signature) are exported; the export is audited
 * and the file name carries no patient data.
 */
export async function noteToPdf(
  store: Store,
  clin: Clinician,
  id: string,
): Promise<{ pdf: Buffer; fileName: string }> {
  const { row, patient, grantId } = openNote(store, clin, id);
  if (row.status === 'draft') {
    throw new AppError(409, 'note_draft', 'Sign the note before exporting it; drafts are not exported.');
  }
  const note = toNote(store, clin, row);
  const clinic = getClinicInfo(store);
  const zone = clinic.timeZone;
  // The same words and clock as the screens (contracts/time-format.ts), with the zone named: paper travels.
  const when = (iso: string) => `${formatDateTime(iso, clinic)} ${zoneAbbreviation(iso, zone)}`;
  const encounter = row.encounterId ? encounterRowById(store, row.encounterId) : null;
  const provider = encounter ? people(store, [encounter.providerUserId])(encounter.providerUserId) : null;

  // Audited before the file is produced: a failed download still shows that someone asked for it.
  store.audit(clin.actor, {
    action: 'record.export',
    patientId: patient.id,
    detail: { what: 'note', noteId: id, format: 'pdf', ...(grantId && { emergencyGrantId: grantId }) },
  });

  const { doc, width, finish } = startLetterheadPdf({
    clinic,
    subtitle: `Clinical note — ${note.template.name}`,
    pdfTitle: `${clinic.name} — clinical note`,
  });

  const facts: [string, string][] = [
    ['Patient', `${patient.legalLastName}, ${patient.legalFirstName}`],
    ['Date of birth', formatCalendarDate(patient.dateOfBirth)],
    ['MRN', patient.mrn],
  ];
  if (encounter) {
    facts.push(['Date of service', formatCalendarDate(encounter.dateOfService)]);
    if (provider) facts.push(['Provider', provider.name]);
    if (encounter.locationName) facts.push(['Location', encounter.locationName]);
  }
  facts.push(['Author', note.author.name]);
  for (const [label, value] of facts) {
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(`${label}: `, { continued: true })
      .font('Helvetica')
      .text(value);
  }
  doc.moveDown(0.6);
  if (note.restricted) {
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor('#8c1d17')
      .text(
        'PSYCHOTHERAPY NOTE — RESTRICTED. Kept apart from the medical record; do not disclose without authorization.',
        { width },
      );
    doc.fillColor('#000000').moveDown(0.5);
  }
  doc.font('Helvetica-Bold').fontSize(13).text(note.title, { width });
  doc.moveDown(0.4);

  for (const section of note.template.definition.sections) {
    heading(doc, section.title);
    for (const field of section.fields) {
      const value = formatValue(note.content.fields[field.id] ?? null);
      doc.font('Helvetica-Bold').fontSize(9).text(field.label, { width });
      doc
        .font('Helvetica')
        .fontSize(10)
        .text(value || '—', { width });
      doc.moveDown(0.35);
    }
  }

  if (note.content.planProgress.length) {
    heading(doc, 'Treatment plan progress');
    for (const p of note.content.planProgress) {
      let objective = p.objectiveId;
      try {
        const plan = planRowById(store, p.planId);
        for (const problem of parseStructure(plan).problems) {
          for (const goal of problem.goals)
            for (const o of goal.objectives) if (o.id === p.objectiveId) objective = o.text;
        }
      } catch {
        // The plan is gone from this workstation's copy; the objective id still identifies it.
      }
      doc.font('Helvetica-Bold').fontSize(9).text(objective, { width });
      doc
        .font('Helvetica')
        .fontSize(10)
        .text(`${progressRatingLabels[p.rating]}${p.comment ? ` — ${p.comment}` : ''}`, { width });
      doc.moveDown(0.35);
    }
  }

  heading(doc, 'Signatures');
  signatureLine(doc, note, when, width);

  if (note.addenda.length) {
    heading(doc, 'Addenda');
    for (const a of note.addenda) {
      doc
        .font('Helvetica-Bold')
        .fontSize(9)
        .text(`${a.amendmentId ? 'Amendment' : 'Addendum'} by ${a.author.name}, signed ${when(a.signedAt)}`, {
          width,
        });
      doc.font('Helvetica').fontSize(10).text(a.text, { width });
      doc.font('Courier').fontSize(7).fillColor('#444444').text(`SHA-256 ${a.digest}`, { width });
      doc.fillColor('#000000').moveDown(0.4);
    }
  }
  const decided = note.amendments.filter((a) => a.status !== 'pending');
  if (decided.length) {
    heading(doc, 'Amendment requests');
    for (const a of decided) {
      const status = amendmentStatusSchema.parse(a.status);
      doc
        .font('Helvetica-Bold')
        .fontSize(9)
        .text(
          `Requested by ${a.requestedBy} on ${formatCalendarDate(a.receivedOn)} — ${status === 'accepted' ? 'Accepted' : 'Denied'} by ${a.decidedBy?.name ?? ''} ${a.decidedAt ? when(a.decidedAt) : ''}`,
          { width },
        );
      doc.font('Helvetica').fontSize(10).text(`Request: ${a.requestText}`, { width });
      doc.text(`Reason: ${a.decisionReason ?? ''}`, { width });
      doc.moveDown(0.4);
    }
  }

  // Footer on every page, written last so the page count is known.
  const pdf = await finish(
    (page, pages) =>
      `${clinic.name} · Confidential patient information · Exported ${when(store.nowIso())} · Page ${page} of ${pages}`,
  );
  const stamp = DateTime.fromJSDate(store.now(), { zone }).toFormat('yyyyLLdd-HHmmss');
  return { pdf, fileName: `tessera-note-${stamp}-${crypto.randomBytes(2).toString('hex')}.pdf` };
}

function signatureLine(doc: PDFKit.PDFDocument, note: Note, when: (iso: string) => string, width: number) {
  if (note.signature) {
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(`Electronically signed by ${note.signature.by.name} on ${when(note.signature.at)}`, { width });
    doc.font('Courier').fontSize(7).fillColor('#444444').text(`SHA-256 ${note.signature.digest}`, { width });
    doc.fillColor('#000000');
  }
  if (note.cosign) {
    if (note.cosign.signature) {
      doc
        .font('Helvetica')
        .fontSize(10)
        .text(
          `Co-signed by ${note.cosign.signature.by.name} (supervisor) on ${when(note.cosign.signature.at)}`,
          { width },
        );
      doc
        .font('Courier')
        .fontSize(7)
        .fillColor('#444444')
        .text(`SHA-256 ${note.cosign.signature.digest}`, { width });
      doc.fillColor('#000000');
    } else {
      doc
        .font('Helvetica-Bold')
        .fontSize(10)
        .text(`Pending co-signature by ${note.cosign.supervisor.name}`, { width });
    }
  }
}

function formatValue(value: NoteFieldValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  return (value as (string | { code: string; description: string })[])
    .map((v) => (typeof v === 'string' ? v : `${v.code} — ${v.description}`))
    .join(typeof value[0] === 'string' ? ', ' : '\n');
}
