import {
  documentKindLabels,
  type ComposedDocument,
  type DocTable,
  type Letterhead,
} from '../../../domain/billing/documents';
import { heading, MARGIN, rule, startLetterheadPdf } from '../documents/letterhead-pdf';

/**
 * Draws a composed billing document (server/domain/billing/documents) on the clinic's letterhead: the
 * header facts in two columns, then each section — tables with right-aligned money and a bold totals row,
 * a boxed callout for the figure a patient looks for first, paragraphs. Nothing here decides an amount.
 */
export async function renderDocumentPdf(
  clinic: Letterhead,
  composed: ComposedDocument,
  printedAt: string,
  createdAt?: Date,
): Promise<Buffer> {
  const { doc, width, finish } = startLetterheadPdf({
    createdAt,
    clinic: { name: clinic.name, addressLines: clinic.addressLines, phone: clinic.phone },
    subtitle: composed.title,
    pdfTitle: `${clinic.name} — ${documentKindLabels[composed.kind]}`,
  });

  facts(doc, composed.header, width);
  doc.moveDown(0.4);

  for (const section of composed.sections) {
    if (section.heading) {
      ensureRoom(doc, 60);
      heading(doc, section.heading);
    }
    for (const block of section.blocks) {
      switch (block.kind) {
        case 'facts':
          facts(doc, block.facts, width);
          break;
        case 'table':
          table(doc, block.table, width);
          break;
        case 'paragraphs':
          for (const p of block.paragraphs) {
            ensureRoom(doc, 30);
            doc.font('Helvetica').fontSize(9).fillColor('#000000').text(p, MARGIN, doc.y, { width });
            doc.moveDown(0.35);
          }
          break;
        case 'callout': {
          ensureRoom(doc, 70);
          const top = doc.y + 4;
          const boxH = block.note ? 52 : 38;
          doc.rect(MARGIN, top, width, boxH).lineWidth(1).strokeColor('#333333').stroke();
          doc
            .font('Helvetica')
            .fontSize(10)
            .fillColor('#333333')
            .text(block.label, MARGIN + 10, top + 8, { width: width / 2 });
          doc
            .font('Helvetica-Bold')
            .fontSize(18)
            .fillColor('#000000')
            .text(block.value, MARGIN + width / 2, top + 8, { width: width / 2 - 10, align: 'right' });
          if (block.note) {
            doc
              .font('Helvetica')
              .fontSize(9)
              .fillColor('#333333')
              .text(block.note, MARGIN + 10, top + 34, { width: width - 20 });
          }
          doc.x = MARGIN;
          doc.y = top + boxH + 8;
          break;
        }
      }
    }
    doc.moveDown(0.3);
  }

  return finish(
    (page, pages) =>
      `${clinic.name} · ${documentKindLabels[composed.kind]} · Printed ${printedAt} · Page ${page} of ${pages}`,
  );
}

function bottom(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.bottom;
}

function ensureRoom(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > bottom(doc)) {
    doc.addPage();
    doc.x = MARGIN;
  }
}

/** Label: value pairs, two to a row when the page is wide enough for them. */
function facts(doc: PDFKit.PDFDocument, pairs: [string, string][], width: number): void {
  const colW = width / 2;
  for (let i = 0; i < pairs.length; i += 2) {
    ensureRoom(doc, 16);
    const y = doc.y;
    let maxY = y;
    for (let j = 0; j < 2 && i + j < pairs.length; j++) {
      const [label, value] = pairs[i + j]!;
      doc
        .font('Helvetica-Bold')
        .fontSize(9)
        .fillColor('#000000')
        .text(`${label}: `, MARGIN + j * colW, y, { width: colW - 8, continued: true })
        .font('Helvetica')
        .text(value);
      maxY = Math.max(maxY, doc.y);
    }
    doc.x = MARGIN;
    doc.y = maxY + 1;
  }
}

function table(doc: PDFKit.PDFDocument, t: DocTable, width: number): void {
  const total = t.columns.reduce((s, c) => s + c.weight, 0);
  const widths = t.columns.map((c) => (c.weight / total) * width);
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const pad = 3;
  const hasHeader = t.columns.some((c) => c.header);

  const drawRow = (
    cells: string[],
    font: 'Helvetica' | 'Helvetica-Bold',
    size: number,
    color = '#000000',
  ) => {
    doc.font(font).fontSize(size);
    const h = Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - pad * 2 })));
    if (doc.y + h + 4 > bottom(doc)) {
      doc.addPage();
      if (hasHeader && font !== 'Helvetica-Bold') header();
    }
    const y = doc.y;
    cells.forEach((c, i) => {
      doc
        .font(font)
        .fontSize(size)
        .fillColor(color)
        .text(c, xs[i]! + pad, y, { width: widths[i]! - pad * 2, align: t.columns[i]?.align ?? 'left' });
    });
    doc.x = MARGIN;
    doc.y = y + h + 3;
  };
  const header = () => {
    drawRow(
      t.columns.map((c) => c.header),
      'Helvetica-Bold',
      8,
      '#333333',
    );
    rule(doc);
    doc.moveUp(0.35);
  };

  if (hasHeader) header();
  if (!t.rows.length && t.empty) {
    doc
      .font('Helvetica-Oblique')
      .fontSize(9)
      .fillColor('#444444')
      .text(t.empty, MARGIN + pad, doc.y, { width });
    doc.moveDown(0.3);
  }
  for (const row of t.rows) drawRow(row, 'Helvetica', 9);
  if (t.totals?.length) {
    rule(doc);
    doc.moveUp(0.35);
    for (const row of t.totals) drawRow(row, 'Helvetica-Bold', 9);
  }
  doc.fillColor('#000000');
  doc.x = MARGIN;
}
