import { describeEntry, type HowToPay, type PatientOnDocument } from './statement';
import type { LedgerItem } from './ledger-view';
import { formatCents, formatDate, type ComposedDocument } from './model';

export interface ReceiptInput {
  patient: PatientOnDocument;
  payment: LedgerItem;
  /** The charges this payment was applied to, and how much went to each. */
  appliedTo: { charge: LedgerItem; amountCents: number }[];
  /** The patient's balance (their responsibility) once this payment is counted. */
  balanceAfterCents: number;
  receivedBy: string;
  localDateOf: (iso: string) => string;
  /** e.g. "2:05 PM" in the clinic's zone. */
  localTimeOf: (iso: string) => string;
}

export interface ReceiptFigures {
  amountCents: number;
  appliedCents: number;
  unappliedCents: number;
  balanceAfterCents: number;
}

const methodWords = { cash: 'Cash', check: 'Check', card: 'Card', other: 'Other' } as const;

/** A receipt for one payment: how much, how, when, what it paid for, and what is left to pay. */
export function composeReceipt(input: ReceiptInput): { document: ComposedDocument; figures: ReceiptFigures } {
  const { payment, localDateOf } = input;
  if (payment.kind !== 'payment') throw new RangeError('A receipt is for a payment.');
  const byId = new Map(input.appliedTo.map((a) => [a.charge.id, a.charge]));
  const appliedCents = input.appliedTo.reduce((s, a) => s + a.amountCents, 0);
  const unappliedCents = payment.amountCents - appliedCents;
  const method = payment.method ? methodWords[payment.method] : 'Payment';
  const document: ComposedDocument = {
    kind: 'receipt',
    title: 'Payment receipt',
    header: [
      ['Received from', input.patient.name],
      ['Account', input.patient.mrn],
      ['Receipt number', receiptNumber(payment.id)],
      ['Date', `${formatDate(localDateOf(payment.postedAt))}, ${input.localTimeOf(payment.postedAt)}`],
      ['Received by', input.receivedBy],
    ],
    sections: [
      {
        blocks: [
          {
            kind: 'callout',
            label: 'Amount paid',
            value: formatCents(payment.amountCents),
            note: `${method}${payment.method === 'check' && payment.checkNumber ? ` #${payment.checkNumber}` : ''}`,
          },
        ],
      },
      {
        heading: 'Applied to',
        blocks: [
          {
            kind: 'table',
            table: {
              columns: [
                { header: 'Date of service', weight: 1.2 },
                { header: 'Service', weight: 4 },
                { header: 'Applied', weight: 1.2, align: 'right' },
              ],
              rows: input.appliedTo.map((a) => [
                formatDate(a.charge.serviceDate ?? localDateOf(a.charge.postedAt)),
                describeEntry(a.charge, byId, localDateOf),
                formatCents(a.amountCents),
              ]),
              totals: [
                ...(unappliedCents > 0
                  ? [['', 'Kept as credit on your account', formatCents(unappliedCents)]]
                  : []),
                ['', 'Total', formatCents(payment.amountCents)],
              ],
              empty: 'Kept as credit on your account, to be applied to your next visit.',
            },
          },
        ],
      },
      {
        blocks: [
          {
            kind: 'facts',
            facts: [
              [
                'Your balance after this payment',
                input.balanceAfterCents < 0
                  ? `${formatCents(-input.balanceAfterCents)} credit`
                  : formatCents(input.balanceAfterCents),
              ],
            ],
          },
          {
            kind: 'paragraphs',
            paragraphs: ['Thank you for your payment. Keep this receipt for your records.'],
          },
        ],
      },
    ],
    footerNote: 'Receipt',
  };
  return {
    document,
    figures: {
      amountCents: payment.amountCents,
      appliedCents,
      unappliedCents,
      balanceAfterCents: input.balanceAfterCents,
    },
  };
}

/** A short number a person can read out on the phone, derived from the entry id (UUIDv7: its random tail). */
export function receiptNumber(entryId: string): string {
  return entryId.replace(/-/g, '').slice(-10).toUpperCase();
}

export interface InvoiceLine {
  charge: LedgerItem;
  /** Paid (by anyone) and adjusted so far against this charge. */
  paidCents: number;
  adjustedCents: number;
}

export interface InvoiceInput {
  patient: PatientOnDocument;
  invoiceNumber: string;
  issuedDate: string;
  dueDate: string;
  lines: InvoiceLine[];
  howToPay: HowToPay;
  localDateOf: (iso: string) => string;
}

/** An invoice for a visit's charges: each service, what was paid or adjusted, and what is due by when. */
export function composeInvoice(input: InvoiceInput): {
  document: ComposedDocument;
  figures: { chargedCents: number; paidCents: number; adjustedCents: number; dueCents: number };
} {
  const byId = new Map(input.lines.map((l) => [l.charge.id, l.charge]));
  let chargedCents = 0;
  let paidCents = 0;
  let adjustedCents = 0;
  const rows = input.lines.map((l) => {
    chargedCents += l.charge.amountCents;
    paidCents += l.paidCents;
    adjustedCents += l.adjustedCents;
    const open = l.charge.amountCents - l.paidCents - l.adjustedCents;
    return [
      formatDate(l.charge.serviceDate ?? input.localDateOf(l.charge.postedAt)),
      describeEntry(l.charge, byId, input.localDateOf),
      formatCents(l.charge.amountCents),
      formatCents(l.paidCents + l.adjustedCents),
      formatCents(open),
    ];
  });
  const dueCents = Math.max(0, chargedCents - paidCents - adjustedCents);
  return {
    document: {
      kind: 'invoice',
      title: 'Invoice',
      header: [
        ['Bill to', input.patient.name],
        ['Account', input.patient.mrn],
        ['Invoice number', input.invoiceNumber],
        ['Issued', formatDate(input.issuedDate)],
        ['Due by', formatDate(input.dueDate)],
        ...(input.patient.addressLines.length
          ? ([['Address', input.patient.addressLines.join(', ')]] as [string, string][])
          : []),
      ],
      sections: [
        {
          blocks: [
            {
              kind: 'callout',
              label: 'Amount due',
              value: formatCents(dueCents),
              note: dueCents > 0 ? `Please pay by ${formatDate(input.dueDate)}.` : 'Paid in full. Thank you.',
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
                  { header: 'Date of service', weight: 1.2 },
                  { header: 'Service', weight: 3.6 },
                  { header: 'Charge', weight: 1.1, align: 'right' },
                  { header: 'Paid or adjusted', weight: 1.3, align: 'right' },
                  { header: 'Due', weight: 1.1, align: 'right' },
                ],
                rows,
                totals: [
                  [
                    '',
                    'Total',
                    formatCents(chargedCents),
                    formatCents(paidCents + adjustedCents),
                    formatCents(dueCents),
                  ],
                ],
                empty: 'No charges on this invoice.',
              },
            },
          ],
        },
        {
          heading: 'How to pay',
          blocks: [
            {
              kind: 'paragraphs',
              paragraphs: [
                ...input.howToPay.instructions,
                `Make checks payable to ${input.howToPay.payableTo} and write invoice number ${input.invoiceNumber} on the check.`,
                ...(input.howToPay.phone ? [`Questions? Call ${input.howToPay.phone}.`] : []),
              ],
            },
          ],
        },
      ],
      footerNote: 'Invoice',
    },
    figures: { chargedCents, paidCents, adjustedCents, dueCents },
  };
}
