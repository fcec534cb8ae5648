import {
  agingBucketLabels,
  agingBuckets,
  agingOf,
  effectOf,
  entryDate,
  type Aging,
  type LedgerItem,
} from './ledger-view';
import { formatCents, formatDate, type ComposedDocument, type DocSection, type DocTable } from './model';

export interface PatientOnDocument {
  name: string;
  mrn: string;
  dateOfBirth: string;
  addressLines: string[];
}

export interface HowToPay {
  /** The clinic's own words (Billing > Statements > Document settings): portal link, phone, hours. */
  instructions: string[];
  payableTo: string;
  phone: string;
}

export interface StatementInput {
  patient: PatientOnDocument;
  /** The guarantor the statement is addressed to, when someone other than the patient is responsible. */
  billTo?: { name: string; addressLines: string[] } | null;
  from: string;
  to: string;
  /** Every entry of the patient posted up to the end of `to` (earlier ones make the beginning balance). */
  entries: readonly LedgerItem[];
  statementDate: string;
  dueDate: string;
  howToPay: HowToPay;
  localDateOf: (iso: string) => string;
}

export interface StatementFigures {
  beginningCents: number;
  chargesCents: number;
  creditsCents: number;
  endingCents: number;
  patientCents: number;
  insuranceCents: number;
  amountDueCents: number;
  aging: Aging;
  lines: number;
}

const KIND_WORDS: Record<LedgerItem['kind'], string> = {
  charge: 'Charge',
  payment: 'Payment',
  adjustment: 'Adjustment',
  write_off: 'Write-off',
  refund: 'Refund',
  transfer: 'Transfer',
  reversal: 'Correction',
};

const METHOD_WORDS = { cash: 'cash', check: 'check', card: 'card', other: 'other' } as const;

/** The words on a ledger line of a patient document: what it was, in plain language. */
export function describeEntry(
  e: LedgerItem,
  byId: ReadonlyMap<string, LedgerItem>,
  localDateOf: (iso: string) => string,
): string {
  const whose = e.responsibility === 'insurance' ? 'Insurance ' : '';
  switch (e.kind) {
    case 'charge':
      return e.description?.trim() || 'Charge';
    case 'payment': {
      const by = e.responsibility === 'insurance' ? 'Insurance payment' : 'Payment';
      const how = e.method ? ` — ${METHOD_WORDS[e.method]}` : '';
      const check = e.method === 'check' && e.checkNumber ? ` #${e.checkNumber}` : '';
      return `${by}${how}${check}`;
    }
    case 'adjustment':
      return `${whose}Adjustment${e.memo ? ` — ${e.memo}` : ''}`;
    case 'write_off':
      return `${whose}Write-off${e.memo ? ` — ${e.memo}` : ''}`;
    case 'refund':
      return e.responsibility === 'insurance' ? 'Refund to insurance' : 'Refund to you';
    case 'transfer':
      return e.responsibility === 'patient'
        ? `Moved from insurance to you (${formatCents(e.amountCents)})`
        : `Moved from you to insurance (${formatCents(e.amountCents)})`;
    case 'reversal': {
      const o = e.reversesEntryId ? byId.get(e.reversesEntryId) : undefined;
      return o
        ? `Correction: ${KIND_WORDS[o.kind].toLowerCase()} of ${formatDate(entryDate(o, localDateOf))} reversed`
        : 'Correction';
    }
  }
}

/** The tables of one account's statement, shared by the patient's own and the guarantor's combined one. */
export interface StatementParts {
  figures: StatementFigures;
  summary: DocTable;
  activity: DocTable;
  aging: DocTable;
}

export function agingTable(aging: Aging): DocTable {
  return {
    columns: agingBuckets.map((b) => ({ header: agingBucketLabels[b], weight: 1, align: 'right' as const })),
    rows: [agingBuckets.map((b) => formatCents(aging[b]))],
  };
}

/**
 * One account over a date range: the balance carried in, every entry posted in the range with the running
 * balance, the balance carried out, whose it is, and how old the patient's share is. Entries are placed by
 * the day they were posted, so beginning + activity = ending always holds; a charge also shows its date of
 * service.
 */
export function statementParts(
  input: Pick<StatementInput, 'entries' | 'from' | 'to' | 'localDateOf'>,
): StatementParts {
  const { entries, from, to, localDateOf } = input;
  const byId = new Map(entries.map((e) => [e.id, e]));
  const posted = (e: LedgerItem) => localDateOf(e.postedAt);
  const before = entries.filter((e) => posted(e) < from);
  const during = entries
    .filter((e) => posted(e) >= from && posted(e) <= to)
    .sort((a, b) => (a.postedAt < b.postedAt ? -1 : a.postedAt > b.postedAt ? 1 : a.id < b.id ? -1 : 1));
  const upTo = entries.filter((e) => posted(e) <= to);

  const total = (list: readonly LedgerItem[]) =>
    list.reduce((sum, e) => {
      const eff = effectOf(e, byId);
      return sum + eff.patientCents + eff.insuranceCents;
    }, 0);
  const beginningCents = total(before);
  let running = beginningCents;
  let chargesCents = 0;
  let creditsCents = 0;
  const rows: string[][] = [];
  for (const e of during) {
    const eff = effectOf(e, byId);
    const delta = eff.patientCents + eff.insuranceCents;
    running += delta;
    if (delta > 0) chargesCents += delta;
    else creditsCents -= delta;
    const service =
      e.kind === 'charge' && e.serviceDate && e.serviceDate !== posted(e)
        ? ` (service on ${formatDate(e.serviceDate)})`
        : '';
    rows.push([
      formatDate(posted(e)),
      `${describeEntry(e, byId, localDateOf)}${service}`,
      delta > 0 ? formatCents(delta) : '',
      delta < 0 ? formatCents(-delta) : '',
      formatCents(running),
    ]);
  }
  const { patient: aging, balances } = agingOf(upTo, to, localDateOf);
  const endingCents = beginningCents + chargesCents - creditsCents;
  const amountDueCents = Math.max(0, balances.patientCents);
  return {
    figures: {
      beginningCents,
      chargesCents,
      creditsCents,
      endingCents,
      patientCents: balances.patientCents,
      insuranceCents: balances.insuranceCents,
      amountDueCents,
      aging,
      lines: rows.length,
    },
    summary: {
      columns: [
        { header: '', weight: 3 },
        { header: 'Amount', weight: 1, align: 'right' },
      ],
      rows: [
        [`Balance on ${formatDate(from)}`, formatCents(beginningCents)],
        ['New charges', formatCents(chargesCents)],
        ['Payments and credits', formatCents(-creditsCents)],
      ],
      totals: [
        [`Balance on ${formatDate(to)}`, formatCents(endingCents)],
        ['  of which insurance is expected to pay', formatCents(balances.insuranceCents)],
        ['  of which is yours to pay', formatCents(balances.patientCents)],
      ],
    },
    activity: {
      columns: [
        { header: 'Date', weight: 1.1 },
        { header: 'Description', weight: 4 },
        { header: 'Charges', weight: 1.1, align: 'right' },
        { header: 'Payments and credits', weight: 1.3, align: 'right' },
        { header: 'Balance', weight: 1.1, align: 'right' },
      ],
      rows,
      empty: 'No charges, payments or credits in this period.',
    },
    aging: agingTable(aging),
  };
}

/** "How to pay": the clinic's words, whom checks are payable to and the account number to write on them. */
export function howToPayParagraphs(howToPay: HowToPay, accountNumbers: string): string[] {
  return [
    ...howToPay.instructions,
    `Make checks payable to ${howToPay.payableTo} and write ${accountNumbers} on the check.`,
    ...(howToPay.phone ? [`Questions about this statement? Call ${howToPay.phone}.`] : []),
  ];
}

/** "Please pay by …", or the credit, or nothing due. */
export function dueNote(amountDueCents: number, patientCents: number, dueDate: string): string {
  return amountDueCents > 0
    ? `Please pay by ${formatDate(dueDate)}.`
    : patientCents < 0
      ? `You have a credit of ${formatCents(-patientCents)}. Nothing is due.`
      : 'Nothing is due. Thank you.';
}

/** A statement for a date range (see `statementParts`), with the amount due and how to pay. */
export function composeStatement(input: StatementInput): {
  document: ComposedDocument;
  figures: StatementFigures;
} {
  const { from, to } = input;
  const { figures, summary, activity, aging } = statementParts(input);
  const sections: DocSection[] = [
    {
      blocks: [
        {
          kind: 'callout',
          label: 'Amount due from you',
          value: formatCents(figures.amountDueCents),
          note: dueNote(figures.amountDueCents, figures.patientCents, input.dueDate),
        },
      ],
    },
    { heading: 'Summary', blocks: [{ kind: 'table', table: summary }] },
    {
      heading: `Activity from ${formatDate(from)} to ${formatDate(to)}`,
      blocks: [{ kind: 'table', table: activity }],
    },
    { heading: 'How old your balance is', blocks: [{ kind: 'table', table: aging }] },
    {
      heading: 'How to pay',
      blocks: [
        {
          kind: 'paragraphs',
          paragraphs: howToPayParagraphs(input.howToPay, `your account number ${input.patient.mrn}`),
        },
      ],
    },
  ];

  return {
    document: {
      kind: 'statement',
      title: `Statement — ${formatDate(from)} to ${formatDate(to)}`,
      header: [
        ...(input.billTo
          ? ([['Bill to', [input.billTo.name, ...input.billTo.addressLines].join(', ')]] as [
              string,
              string,
            ][])
          : []),
        ['Patient', input.patient.name],
        ['Account', input.patient.mrn],
        ['Statement date', formatDate(input.statementDate)],
        ['Due by', formatDate(input.dueDate)],
        ...(!input.billTo && input.patient.addressLines.length
          ? ([['Address', input.patient.addressLines.join(', ')]] as [string, string][])
          : []),
      ],
      sections,
      footerNote: 'Statement',
    },
    figures,
  };
}
