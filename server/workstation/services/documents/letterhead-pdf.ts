import PDFDocument from 'pdfkit';

/**
 * The clinic's letterhead for every PDF the workstation hands out (signed notes, receipts, statements,
 * superbills, estimates): US Letter, the clinic's name in bold with its address and phone beneath, what the
 * document is, a rule; and, once the content is drawn, a footer on every page with the page count.
 */

export const MARGIN = 54;

export interface LetterheadClinic {
  name: string;
  /** Address lines and phone; the signed-note PDF shows the name only. */
  addressLines?: string[];
  phone?: string;
}

export interface LetterheadPdf {
  doc: PDFKit.PDFDocument;
  /** Width between the margins. */
  width: number;
  /** Draw the footer on every page and finish the file. */
  finish(footer: (page: number, pages: number) => string): Promise<Buffer>;
}

export function startLetterheadPdf(opts: {
  clinic: LetterheadClinic;
  /** The line under the clinic's name, e.g. "Clinical note — Progress note" or "Statement". */
  subtitle: string;
  /** The PDF's Title metadata. */
  pdfTitle: string;
  /** The PDF's creation date; a kept document passes its own, so opening it again gives the same file. */
  createdAt?: Date;
}): LetterheadPdf {
  const { clinic } = opts;
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: { top: MARGIN, bottom: MARGIN + 18, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: opts.pdfTitle,
      Author: clinic.name,
      Creator: 'Tessera',
      Producer: 'Tessera',
      ...(opts.createdAt && { CreationDate: opts.createdAt }),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - MARGIN * 2;

  doc.font('Helvetica-Bold').fontSize(16).fillColor('#000000').text(clinic.name, { width });
  const contact = [...(clinic.addressLines ?? []), ...(clinic.phone ? [clinic.phone] : [])].filter(Boolean);
  if (contact.length) {
    doc.font('Helvetica').fontSize(9).fillColor('#444444').text(contact.join(' · '), { width });
  }
  doc.font('Helvetica').fontSize(10).fillColor('#444444').text(opts.subtitle, { width });
  doc.moveDown(0.3);
  rule(doc);
  doc.fillColor('#000000');

  return {
    doc,
    width,
    finish: async (footer) => {
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        // The footer sits in the bottom margin; without lifting the margin pdfkit would start a new page for it.
        doc.page.margins.bottom = 0;
        doc
          .font('Helvetica')
          .fontSize(8)
          .fillColor('#444444')
          .text(footer(i + 1, range.count), MARGIN, doc.page.height - MARGIN, {
            width,
            align: 'center',
            lineBreak: false,
          });
      }
      doc.end();
      return done;
    },
  };
}

/** A thin grey rule across the text width, then a little space. */
export function rule(doc: PDFKit.PDFDocument): void {
  const y = doc.y;
  doc
    .moveTo(MARGIN, y)
    .lineTo(doc.page.width - MARGIN, y)
    .lineWidth(0.5)
    .strokeColor('#888888')
    .stroke();
  doc.moveDown(0.5);
}

/** A section heading. */
export function heading(doc: PDFKit.PDFDocument, title: string): void {
  doc.moveDown(0.3);
  doc.font('Helvetica-Bold').fontSize(11).fillColor('#000000').text(title, MARGIN);
  doc.moveDown(0.2);
}
