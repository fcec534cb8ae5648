import { formatCents as sharedFormatCents } from '../../../contracts/billing/money';

/**
 * The shape every billing document is composed into before it is drawn: plain data, so the composition
 * (what a patient relies on: amounts, dates, codes, deadlines) is tested without a PDF, and one renderer
 * (server/workstation/services/billing/documents-pdf.ts) draws any document on the clinic's letterhead.
 */

export type DocumentKind =
  | 'receipt'
  | 'invoice'
  | 'statement'
  | 'family_statement'
  | 'superbill'
  | 'good_faith_estimate'
  /** A signed note's patient-facing summary (server/domain/clinical/visit-summary.ts), same letterhead. */
  | 'visit_summary';

export const documentKindLabels: Record<DocumentKind, string> = {
  receipt: 'Receipt',
  invoice: 'Invoice',
  statement: 'Statement',
  family_statement: 'Family statement',
  superbill: 'Superbill',
  good_faith_estimate: 'Good faith estimate',
  visit_summary: 'Visit summary',
};

/** What the letterhead shows: the clinic as it bills (Billing > Statements > Document settings). */
export interface Letterhead {
  name: string;
  addressLines: string[];
  phone: string;
  email: string;
  /** Federal tax identification number (EIN) — superbills and good-faith estimates carry it. */
  taxId: string;
  /** The clinic's (group) NPI, when it has one. */
  npi: string;
}

export type Align = 'left' | 'right';

export interface TableColumn {
  header: string;
  /** Relative width; the renderer shares the page width by these weights. */
  weight: number;
  align?: Align;
}

export interface DocTable {
  columns: TableColumn[];
  rows: string[][];
  /** Rows drawn in bold under a rule (totals). */
  totals?: string[][];
  /** Said instead of an empty table. */
  empty?: string;
}

export type DocBlock =
  | { kind: 'facts'; facts: [string, string][] }
  | { kind: 'table'; table: DocTable }
  | { kind: 'paragraphs'; paragraphs: string[] }
  /** A boxed figure the eye finds first (amount due, estimated total). */
  | { kind: 'callout'; label: string; value: string; note?: string };

export interface DocSection {
  heading?: string;
  blocks: DocBlock[];
}

export interface ComposedDocument {
  kind: DocumentKind;
  /** Shown under the clinic's name, e.g. "Statement — 1 Nov 2026 to 30 Nov 2026". */
  title: string;
  /** Who and what at a glance, beside the title (patient, account, dates). */
  header: [string, string][];
  sections: DocSection[];
  /** Left off the footer of patient-facing documents; kept for the footer line. */
  footerNote: string;
}

/**
 * $1,234.56 from integer cents (the ledger's formatter), with an ASCII minus: the PDF's standard fonts
 * (WinAnsi) have no U+2212, and a minus that vanishes would turn a credit into a debt on paper.
 */
export function formatCents(cents: number): string {
  return sharedFormatCents(cents).replace('\u2212', '-');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 2026-11-03 → "3 Nov 2026" (dates on documents are read by people, not parsed). */
export function formatDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}
