import { emptyAging, type Aging, type LedgerItem } from './ledger-view';
import { formatCents, formatDate, type ComposedDocument, type DocSection } from './model';
import {
  agingTable,
  dueNote,
  howToPayParagraphs,
  statementParts,
  type HowToPay,
  type PatientOnDocument,
  type StatementFigures,
} from './statement';

/**
 * A guarantor's combined statement (docs/billing.md, "Guarantor accounts"): one document for the person
 * responsible for several accounts (a parent for their children, and their own account when they are a
 * patient too). The family total and how old it is come first, then each patient's own section — the
 * same beginning balance, itemised activity and ending balance their own statement would show — and how
 * to pay, once.
 */

export interface FamilyStatementInput {
  /** Whom it is addressed to: the guarantor, with their address. */
  billTo: { name: string; addressLines: string[] };
  /** Each account the guarantor answers for, in the order printed; `entries` as for `composeStatement`. */
  accounts: readonly { patient: PatientOnDocument; entries: readonly LedgerItem[] }[];
  from: string;
  to: string;
  statementDate: string;
  dueDate: string;
  howToPay: HowToPay;
  localDateOf: (iso: string) => string;
}

export interface FamilyStatementFigures {
  accounts: { mrn: string; figures: StatementFigures }[];
  /** The family's share together (a credit on one account lowers it); due is this, never below zero. */
  patientCents: number;
  /** Credits on the accounts (not aged): aged total − credits = patientCents. */
  creditsCents: number;
  insuranceCents: number;
  amountDueCents: number;
  aging: Aging;
}

export function composeFamilyStatement(input: FamilyStatementInput): {
  document: ComposedDocument;
  figures: FamilyStatementFigures;
} {
  if (input.accounts.length === 0) throw new Error('A family statement covers at least one account.');
  const { from, to } = input;
  const parts = input.accounts.map((a) => ({
    patient: a.patient,
    ...statementParts({ ...a, from, to, localDateOf: input.localDateOf }),
  }));
  const patientCents = parts.reduce((t, p) => t + p.figures.patientCents, 0);
  const insuranceCents = parts.reduce((t, p) => t + p.figures.insuranceCents, 0);
  const amountDueCents = Math.max(0, patientCents);
  const creditsCents = parts.reduce((t, p) => t + Math.max(0, -p.figures.patientCents), 0);
  const aging = emptyAging();
  for (const p of parts)
    for (const b of Object.keys(aging) as (keyof Aging)[]) aging[b] += p.figures.aging[b];

  const sections: DocSection[] = [
    {
      blocks: [
        {
          kind: 'callout',
          label: 'Amount due for the family',
          value: formatCents(amountDueCents),
          note: dueNote(amountDueCents, patientCents, input.dueDate),
        },
      ],
    },
    {
      heading: 'Family summary',
      blocks: [
        {
          kind: 'table',
          table: {
            columns: [
              { header: 'Patient', weight: 2.6 },
              { header: 'Account', weight: 1.1 },
              { header: `Balance on ${formatDate(from)}`, weight: 1.3, align: 'right' },
              { header: 'Charges', weight: 1, align: 'right' },
              { header: 'Payments and credits', weight: 1.3, align: 'right' },
              { header: `Balance on ${formatDate(to)}`, weight: 1.3, align: 'right' },
              { header: 'Yours to pay', weight: 1.1, align: 'right' },
            ],
            rows: parts.map((p) => [
              p.patient.name,
              p.patient.mrn,
              formatCents(p.figures.beginningCents),
              formatCents(p.figures.chargesCents),
              formatCents(-p.figures.creditsCents),
              formatCents(p.figures.endingCents),
              formatCents(p.figures.patientCents),
            ]),
            totals: [
              [
                'Family total',
                '',
                formatCents(parts.reduce((t, p) => t + p.figures.beginningCents, 0)),
                formatCents(parts.reduce((t, p) => t + p.figures.chargesCents, 0)),
                formatCents(-parts.reduce((t, p) => t + p.figures.creditsCents, 0)),
                formatCents(parts.reduce((t, p) => t + p.figures.endingCents, 0)),
                formatCents(patientCents),
              ],
              ['  of which insurance is expected to pay', '', '', '', '', formatCents(insuranceCents), ''],
            ],
          },
        },
      ],
    },
    {
      heading: 'How old the family balance is',
      blocks: [
        { kind: 'table', table: agingTable(aging) },
        ...(creditsCents > 0
          ? [
              {
                kind: 'paragraphs' as const,
                paragraphs: [
                  `Credits of ${formatCents(creditsCents)} on an account are not aged; they lower the amount due.`,
                ],
              },
            ]
          : []),
      ],
    },
    ...parts.flatMap((p): DocSection[] => [
      {
        heading: `${p.patient.name} — account ${p.patient.mrn}`,
        blocks: [{ kind: 'table', table: p.summary }],
      },
      {
        heading: `${p.patient.name}: activity from ${formatDate(from)} to ${formatDate(to)}`,
        blocks: [{ kind: 'table', table: p.activity }],
      },
    ]),
    {
      heading: 'How to pay',
      blocks: [
        {
          kind: 'paragraphs',
          paragraphs: [
            ...howToPayParagraphs(
              input.howToPay,
              `the account number${parts.length > 1 ? 's' : ''} ${parts.map((p) => p.patient.mrn).join(', ')}`,
            ),
            'Paying for more than one account? Write on the check how much is for each account number.',
          ],
        },
      ],
    },
  ];

  return {
    document: {
      kind: 'family_statement',
      title: `Family statement — ${formatDate(from)} to ${formatDate(to)}`,
      header: [
        ['Bill to', [input.billTo.name, ...input.billTo.addressLines].join(', ')],
        ['Patients', parts.map((p) => p.patient.name).join('; ')],
        ['Statement date', formatDate(input.statementDate)],
        ['Due by', formatDate(input.dueDate)],
      ],
      sections,
      footerNote: 'Family statement',
    },
    figures: {
      accounts: parts.map((p) => ({ mrn: p.patient.mrn, figures: p.figures })),
      patientCents,
      creditsCents,
      insuranceCents,
      amountDueCents,
      aging,
    },
  };
}
