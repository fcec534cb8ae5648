import { formatCentsPlain } from '../../../../contracts/billing/money';
import { centsOfX12Amount } from '../amounts';
import { el } from '../segments';
import type { LocatedSegment } from './loops';
import type { Delimiters } from '../segments';

/**
 * A readable summary of an 837P file for `tessera x12 describe`: envelopes, submitter and receiver, billing
 * providers, and per claim its control number, frequency, payer, charge and line count. Patient and subscriber
 * names, member ids and diagnoses are deliberately left out: the summary is for IT and clearinghouse work and
 * ends up in terminals, tickets and logs.
 */

export interface ClaimSummary {
  position: number;
  patientControlNumber: string;
  chargeAmount: string;
  frequency: string;
  placeOfService: string;
  payerResponsibility: string;
  payer: string;
  payerId: string;
  lines: number;
  otherPayers: number;
}

export interface TransactionSummary {
  controlNumber: string;
  guide: string;
  submitter: string;
  receiver: string;
  billingProviders: string[];
  claims: ClaimSummary[];
}

export interface InterchangeSummary {
  controlNumber: string;
  sender: string;
  receiver: string;
  date: string;
  usage: string;
  groups: { controlNumber: string; transactions: TransactionSummary[] }[];
}

export function summarize837p(located: readonly LocatedSegment[], d: Delimiters): InterchangeSummary[] {
  const out: InterchangeSummary[] = [];
  let ts: TransactionSummary | null = null;
  let claim: ClaimSummary | null = null;
  let pendingPayer = { name: '', id: '', responsibility: '' };
  for (const { segment: s, loop } of located) {
    const interchange = out[out.length - 1];
    switch (s.id) {
      case 'ISA':
        out.push({
          controlNumber: el(s, 13),
          sender: el(s, 6).trim(),
          receiver: el(s, 8).trim(),
          date: `20${el(s, 9).slice(0, 2)}-${el(s, 9).slice(2, 4)}-${el(s, 9).slice(4, 6)}`,
          usage: el(s, 15) === 'P' ? 'production' : el(s, 15) === 'T' ? 'test' : el(s, 15),
          groups: [],
        });
        break;
      case 'GS':
        interchange?.groups.push({ controlNumber: el(s, 6), transactions: [] });
        break;
      case 'ST':
        ts = { controlNumber: el(s, 2), guide: el(s, 3), submitter: '', receiver: '', billingProviders: [], claims: [] };
        interchange?.groups[interchange.groups.length - 1]?.transactions.push(ts);
        break;
      case 'SBR':
        if (loop === '2000B') pendingPayer = { name: '', id: '', responsibility: el(s, 1) };
        else if (loop === '2320' && claim) claim.otherPayers += 1;
        break;
      case 'NM1':
        if (!ts) break;
        if (loop === '1000A') ts.submitter = el(s, 3);
        else if (loop === '1000B') ts.receiver = el(s, 3);
        else if (loop === '2010AA') ts.billingProviders.push(`${el(s, 3)} (NPI ${el(s, 9)})`);
        else if (loop === '2010BB') pendingPayer = { ...pendingPayer, name: el(s, 3), id: el(s, 9) };
        break;
      case 'CLM': {
        const [pos = '', , frequency = ''] = el(s, 5).split(d.component);
        claim = {
          position: s.position + 1,
          patientControlNumber: el(s, 1),
          chargeAmount: el(s, 2),
          frequency: { '1': 'original', '7': 'replacement', '8': 'void' }[frequency] ?? frequency,
          placeOfService: pos,
          payerResponsibility: { P: 'primary', S: 'secondary', T: 'tertiary' }[pendingPayer.responsibility] ?? pendingPayer.responsibility,
          payer: pendingPayer.name,
          payerId: pendingPayer.id,
          lines: 0,
          otherPayers: 0,
        };
        ts?.claims.push(claim);
        break;
      }
      case 'LX':
        if (claim) claim.lines += 1;
        break;
      case 'HL':
        claim = null;
        break;
    }
  }
  return out;
}

/** The summary as terminal text. */
export function formatSummary(summary: readonly InterchangeSummary[]): string {
  const lines: string[] = [];
  for (const i of summary) {
    lines.push(`Interchange ${i.controlNumber} from ${i.sender} to ${i.receiver}, ${i.date} (${i.usage})`);
    for (const g of i.groups) {
      lines.push(`  Functional group ${g.controlNumber}: ${g.transactions.length} transaction set(s)`);
      for (const t of g.transactions) {
        const total = t.claims.reduce((sum, c) => sum + (centsOfX12Amount(c.chargeAmount) ?? 0), 0);
        lines.push(`    Transaction set ${t.controlNumber} (${t.guide}): ${t.claims.length} claim(s), ${formatCentsPlain(total)} billed`);
        lines.push(`      Submitter: ${t.submitter}; receiver: ${t.receiver}`);
        for (const b of t.billingProviders) lines.push(`      Billing provider: ${b}`);
        for (const c of t.claims) {
          lines.push(
            `      Claim ${c.patientControlNumber} (segment ${c.position}): ${c.frequency}, ${c.payerResponsibility} payer ${c.payer} (${c.payerId}), ` +
              `${billed(c.chargeAmount)} billed, ${c.lines} line(s), POS ${c.placeOfService}${c.otherPayers ? `, ${c.otherPayers} other payer(s)` : ''}`,
          );
        }
      }
    }
  }
  return lines.join('\n');
}

/** A claim's charge for reading ("180" → "180.00"), or as written when it is not an amount. */
function billed(amount: string): string {
  const cents = centsOfX12Amount(amount);
  return cents === null ? amount : formatCentsPlain(cents);
}
