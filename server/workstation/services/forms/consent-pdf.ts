import { formatCalendarDate, formatDateTime, zoneAbbreviation } from '../../../contracts/time-format';
import type { PortalFormSubmissionRow } from '../../../contracts/forms';
import { heading, MARGIN, startLetterheadPdf } from '../documents/letterhead-pdf';
import type { ClinicInfo } from '../../../contracts/auth';

/**
 * A signed consent as the PDF the clinic keeps: the clinic's letterhead, who signed for which patient, the
 * exact text the patient was shown (as recorded with the signature, with its version, language and
 * SHA-256), the typed name, the drawn signature, when (clinic time and UTC) and from which address. Built
 * from the signed row, which never changes once sent, with the signing time as the PDF's date: the same
 * signature always gives the same file.
 */
export async function consentPdf(
  clinic: ClinicInfo,
  patient: { legalFirstName: string; legalLastName: string; dateOfBirth: string; mrn: string },
  s: PortalFormSubmissionRow,
): Promise<Buffer> {
  const signedAt = s.signedAt ?? s.submittedAt;
  const { doc, width, finish } = startLetterheadPdf({
    clinic,
    subtitle: `Signed consent — ${s.consentTitle ?? ''}`,
    pdfTitle: `${clinic.name} — signed consent`,
    createdAt: new Date(signedAt),
  });
  const facts: [string, string][] = [
    ['Patient', `${patient.legalLastName}, ${patient.legalFirstName}`],
    ['Date of birth', formatCalendarDate(patient.dateOfBirth)],
    ['MRN', patient.mrn],
    [
      'Document',
      `${s.consentTitle ?? ''}, version ${s.consentVersion ?? ''} (${s.consentLanguage === 'es' ? 'Spanish' : 'English'})`,
    ],
  ];
  for (const [label, value] of facts)
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(`${label}: `, { continued: true })
      .font('Helvetica')
      .text(value);
  doc.moveDown(0.6);
  doc
    .font('Helvetica-Bold')
    .fontSize(13)
    .text(s.consentTitle ?? '', { width });
  doc.moveDown(0.4);
  for (const paragraph of (s.consentText ?? '').split('\n\n')) {
    doc.font('Helvetica').fontSize(10).text(paragraph, { width });
    doc.moveDown(0.5);
  }

  heading(doc, 'Signature');
  if (s.signature) {
    const png = Buffer.from(s.signature.slice(s.signature.indexOf(',') + 1), 'base64');
    if (doc.y + 90 > doc.page.height - MARGIN - 18) doc.addPage();
    const top = doc.y;
    doc.image(png, MARGIN, top, { fit: [240, 80] });
    doc
      .moveTo(MARGIN, top + 82)
      .lineTo(MARGIN + 240, top + 82)
      .lineWidth(0.5)
      .strokeColor('#888888')
      .stroke();
    doc.y = top + 88;
  }
  const when = `${formatDateTime(signedAt, clinic)} ${zoneAbbreviation(signedAt, clinic.timeZone)} (${signedAt} UTC)`;
  const lines: [string, string][] = [
    ['Typed name', s.signedName ?? ''],
    ['Signed by', s.submittedBy],
    ['Signed at', when],
    ['From address', s.signerIp ?? 'not recorded'],
    ['Where', 'the clinic’s patient portal'],
  ];
  for (const [label, value] of lines)
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(`${label}: `, MARGIN, doc.y, { continued: true, width })
      .font('Helvetica')
      .text(value);
  doc.moveDown(0.4);
  doc
    .font('Courier')
    .fontSize(7)
    .fillColor('#444444')
    .text(`SHA-256 of the text signed: ${s.consentSha256 ?? ''}`, { width });
  doc.fillColor('#000000');
  return finish((page, pages) => `${clinic.name} · signed consent · page ${page} of ${pages}`);
}
