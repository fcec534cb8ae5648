import { describe, expect, it } from 'vitest';
import {
  composeGoodFaithEstimate,
  composeStatement,
  type LedgerItem,
} from '../../../server/domain/billing/documents';
import { renderDocumentPdf } from '../../../server/workstation/services/billing/documents-pdf';
import { pdfText as rawPdfText } from '../clinical/pdf-text';

/** pdfText decodes WinAnsi as Latin-1; put the dashes pdfkit encoded (0x96, 0x97) back. */
const pdfText = (pdf: Buffer) => rawPdfText(pdf).replace(/\x96/g, '–').replace(/\x97/g, '—');

const day = (iso: string) => iso.slice(0, 10);
const clinic = {
  name: 'Maple Street Counseling',
  addressLines: ['9 Oak Ave, Springfield, IL 62701'],
  phone: '(555) 010-0100',
  email: '',
  taxId: '12-3456789',
  npi: '1528060837',
};
const patient = {
  name: 'Rivera, Ana',
  mrn: '123456782',
  dateOfBirth: '1980-02-03',
  addressLines: ['1 Main St'],
};

describe('billing PDFs on the letterhead', () => {
  it('a statement PDF reads: clinic, patient, balances, each line, aging, how to pay', async () => {
    const entries: LedgerItem[] = [];
    for (let i = 0; i < 60; i++) {
      entries.push({
        id: `c${i}`,
        kind: 'charge',
        responsibility: 'patient',
        amountCents: 12345,
        transferFrom: null,
        reversesEntryId: null,
        appliesToEntryId: null,
        serviceDate: `2026-11-${String((i % 28) + 1).padStart(2, '0')}`,
        postedAt: `2026-11-${String((i % 28) + 1).padStart(2, '0')}T15:00:00Z`,
        method: null,
        checkNumber: null,
        memo: null,
        description: `T100${i % 3} Therapy session`,
      });
    }
    entries.push({
      id: 'p1',
      kind: 'payment',
      responsibility: 'patient',
      amountCents: 10000,
      transferFrom: null,
      reversesEntryId: null,
      appliesToEntryId: null,
      serviceDate: null,
      postedAt: '2026-11-29T15:00:00Z',
      method: 'check',
      checkNumber: '1042',
      memo: null,
    });
    const { document, figures } = composeStatement({
      patient,
      from: '2026-11-01',
      to: '2026-11-30',
      entries,
      statementDate: '2026-12-01',
      dueDate: '2026-12-31',
      howToPay: {
        instructions: ['Pay online at pay.example.org.'],
        payableTo: clinic.name,
        phone: clinic.phone,
      },
      localDateOf: day,
    });
    const pdf = await renderDocumentPdf(clinic, document, '1 Dec 2026');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Maple Street Counseling');
    expect(text).toContain('Statement — 1 Nov 2026 to 30 Nov 2026');
    expect(text).toContain('Rivera, Ana');
    expect(text).toContain('Amount due from you');
    expect(figures.amountDueCents).toBe(60 * 12345 - 10000);
    expect(text).toContain('$7,307.00');
    expect(text).toContain('Payment — check #1042');
    expect(text).toContain('Over 120 days');
    expect(text).toContain('31–60 days');
    expect(text).toContain('Pay online at pay.example.org.');
    // Sixty lines do not fit on one page: the table continues and every page has its footer.
    expect(text).toMatch(/Page 1 of [2-9]/);
    expect(text.match(/Therapy session/g)?.length).toBe(60);
  });

  it('a good-faith estimate PDF carries the provider ids, the charges and the dispute rights', async () => {
    const { document } = composeGoodFaithEstimate({
      clinic,
      patient: { ...patient, contact: '(555) 010-0111' },
      provider: {
        name: 'Dr. Jordan Lee',
        credentials: 'PsyD',
        npi: '1234567893',
        license: '',
        taxId: clinic.taxId,
        location: '9 Oak Ave',
      },
      primaryService: 'Weekly psychotherapy for 12 weeks',
      trigger: { kind: 'scheduled', scheduledOn: '2026-11-06', serviceDate: '2026-11-20' },
      issuedDate: '2026-11-06',
      serviceDate: '2026-11-20',
      items: [
        {
          code: 'T1002',
          description: 'Therapy session, 53 minutes',
          units: 1,
          unitFeeCents: 15000,
          quantity: 12,
        },
      ],
      diagnoses: [],
      separatelyScheduled: ['Psychological testing'],
    });
    const text = pdfText(await renderDocumentPdf(clinic, document, '6 Nov 2026'));
    expect(text).toContain('Good Faith Estimate for Health Care Items and Services');
    expect(text).toContain('1234567893');
    expect(text).toContain('12-3456789');
    expect(text).toContain('$1,800.00');
    expect(text).toContain('$400.00 or more');
    expect(text).toContain('www.cms.gov/nosurprises');
    expect(text).toContain('11 Nov 2026');
  });
});
