import { z } from 'zod';
import { formatCents, parseCents } from '../../../server/contracts/billing/money';
import {
  ledgerEntryKindLabels,
  MAX_AMOUNT_CENTS,
  paymentMethodLabels,
  responsibilityLabels,
  type AccountEntry,
} from '../../../server/contracts/billing/ledger';

export { formatCents, parseCents, ledgerEntryKindLabels, paymentMethodLabels, responsibilityLabels };

/** An amount typed by a person ("25", "25.50", "$1,200"): validated as text, read with parseCents. */
export const moneyText = z
  .string()
  .trim()
  .min(1, 'Enter an amount.')
  .refine((v) => parseCents(v) !== null, 'Enter an amount like 25.00.')
  .refine((v) => (parseCents(v) ?? 0) > 0, 'Enter an amount greater than zero.')
  .refine((v) => (parseCents(v) ?? 0) <= MAX_AMOUNT_CENTS, 'That amount is too large.');

/** Cents of a value that passed `moneyText`. */
export const cents = (text: string): number => parseCents(text) ?? 0;

/** A balance with whose it is: "$40.00 owed", "$15.00 credit". */
export function balanceText(c: number): string {
  if (c === 0) return '$0.00';
  return c > 0 ? `${formatCents(c)} owed` : `${formatCents(-c)} credit`;
}

/** What a ledger row says in its description column. */
export function describeEntry(e: AccountEntry, byId: Map<string, AccountEntry>): string {
  const parts: string[] = [];
  if (e.kind === 'payment' || e.kind === 'refund') {
    parts.push(e.method ? paymentMethodLabels[e.method] : '');
    if (e.checkNumber) parts.push(`#${e.checkNumber}`);
    if (e.responsibility === 'insurance') parts.push('from insurance');
  }
  if (e.kind === 'transfer' && e.transferFrom)
    parts.push(`${responsibilityLabels[e.transferFrom]} → ${responsibilityLabels[e.responsibility]}`);
  if (e.kind === 'charge' && e.responsibility === 'insurance') parts.push('Insurance');
  if (e.kind === 'reversal' && e.reversesEntryId) {
    const t = byId.get(e.reversesEntryId);
    parts.push(t ? `of ${ledgerEntryKindLabels[t.kind].toLowerCase()} ${formatCents(t.amountCents)}` : '');
  }
  if (e.memo) parts.push(e.memo);
  return parts.filter(Boolean).join(' · ');
}
