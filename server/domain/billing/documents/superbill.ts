import type { Letterhead } from './model';
import { formatCents, formatDate, type ComposedDocument } from './model';
import type { PatientOnDocument } from './statement';

export interface ProviderOnDocument {
  name: string;
  credentials: string;
  npi: string;
  /** State license, e.g. "CA LMFT 123456"; empty when the clinic has not entered it. */
  license: string;
}

export interface SuperbillLine {
  dateOfService: string;
  code: string;
  description: string;
  modifiers: string[];
  /** 1-based positions in `diagnoses`, ordered (1–4). */
  diagnosisPointers: number[];
  units: number;
  placeOfService: string;
  feeCents: number;
}

export interface SuperbillInput {
  clinic: Letterhead;
  patient: PatientOnDocument;
  insurance: { payerName: string; memberId: string; groupNumber: string; subscriber: string } | null;
  provider: ProviderOnDocument;
  diagnoses: { code: string; description: string }[];
  lines: SuperbillLine[];
  /** What the patient has paid towards these services. */
  paidCents: number;
  issuedDate: string;
}

const pointerLetters = 'ABCDEFGHIJKL';

/**
 * A superbill: everything an insurer needs to reimburse the patient for services paid out of pocket —
 * the rendering provider with NPI and license, the billing clinic with its tax id, the diagnoses (ICD-10-CM,
 * lettered as on a claim form), each service with code, modifiers, diagnosis pointers, units, place of
 * service and fee, and what the patient paid.
 */
export function composeSuperbill(input: SuperbillInput): {
  document: ComposedDocument;
  figures: { totalCents: number; paidCents: number; balanceCents: number };
} {
  const totalCents = input.lines.reduce((s, l) => s + l.feeCents, 0);
  const balanceCents = totalCents - input.paidCents;
  const p = input.provider;
  const document: ComposedDocument = {
    kind: 'superbill',
    title: 'Superbill — statement of services for insurance reimbursement',
    header: [
      ['Patient', input.patient.name],
      ['Date of birth', formatDate(input.patient.dateOfBirth)],
      ['Account', input.patient.mrn],
      ['Issued', formatDate(input.issuedDate)],
      ...(input.patient.addressLines.length
        ? ([['Address', input.patient.addressLines.join(', ')]] as [string, string][])
        : []),
    ],
    sections: [
      {
        heading: 'Provider',
        blocks: [
          {
            kind: 'facts',
            facts: [
              ['Rendering provider', `${p.name}${p.credentials ? `, ${p.credentials}` : ''}`],
              ['Provider NPI', p.npi || 'Not on file'],
              ['License', p.license || 'Not on file'],
              ['Billing practice', input.clinic.name],
              ['Practice address', input.clinic.addressLines.join(', ') || 'Not on file'],
              ['Tax ID (EIN)', input.clinic.taxId || 'Not on file'],
              ...(input.clinic.npi ? ([['Practice NPI', input.clinic.npi]] as [string, string][]) : []),
              ...(input.clinic.phone ? ([['Phone', input.clinic.phone]] as [string, string][]) : []),
            ],
          },
        ],
      },
      ...(input.insurance
        ? [
            {
              heading: 'Insurance',
              blocks: [
                {
                  kind: 'facts' as const,
                  facts: [
                    ['Payer', input.insurance.payerName],
                    ['Member ID', input.insurance.memberId],
                    ...(input.insurance.groupNumber
                      ? ([['Group', input.insurance.groupNumber]] as [string, string][])
                      : []),
                    ['Subscriber', input.insurance.subscriber],
                  ] as [string, string][],
                },
              ],
            },
          ]
        : []),
      {
        heading: 'Diagnoses (ICD-10-CM)',
        blocks: [
          {
            kind: 'table',
            table: {
              columns: [
                { header: '', weight: 0.4 },
                { header: 'Code', weight: 1 },
                { header: 'Description', weight: 6 },
              ],
              rows: input.diagnoses.map((d, i) => [
                pointerLetters[i] ?? String(i + 1),
                d.code,
                d.description,
              ]),
              empty: 'No diagnosis recorded for these services.',
            },
          },
        ],
      },
      {
        heading: 'Services',
        blocks: [
          {
            kind: 'table',
            table: {
              columns: [
                { header: 'Date', weight: 1.1 },
                { header: 'Code', weight: 0.8 },
                { header: 'Description', weight: 2.6 },
                { header: 'Modifiers', weight: 0.9 },
                { header: 'Dx', weight: 0.6 },
                { header: 'POS', weight: 0.5 },
                { header: 'Units', weight: 0.5, align: 'right' },
                { header: 'Fee', weight: 1, align: 'right' },
              ],
              rows: input.lines.map((l) => [
                formatDate(l.dateOfService),
                l.code,
                l.description,
                l.modifiers.join(' '),
                l.diagnosisPointers.map((n) => pointerLetters[n - 1] ?? String(n)).join(''),
                l.placeOfService,
                String(l.units),
                formatCents(l.feeCents),
              ]),
              totals: [
                ['', '', 'Total charges', '', '', '', '', formatCents(totalCents)],
                ['', '', 'Paid by patient', '', '', '', '', formatCents(input.paidCents)],
                ['', '', 'Balance', '', '', '', '', formatCents(balanceCents)],
              ],
              empty: 'No services on this superbill.',
            },
          },
        ],
      },
      {
        blocks: [
          {
            kind: 'paragraphs',
            paragraphs: [
              'This is a statement of services you received, for you to send to your insurance company to ask for reimbursement. It is not a bill.',
              `I certify that the services listed above were provided by the rendering provider named here. ${p.name}${p.credentials ? `, ${p.credentials}` : ''}.`,
            ],
          },
        ],
      },
    ],
    footerNote: 'Superbill',
  };
  return { document, figures: { totalCents, paidCents: input.paidCents, balanceCents } };
}
