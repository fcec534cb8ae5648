/**
 * A patient's ledger as documents and reports read it. Entries follow the ledger's shape
 * (docs/billing.md): `amountCents` is always positive and its effect follows from `kind` — charge and refund
 * raise the balance of their responsibility; payment, adjustment and write-off lower it; a transfer moves the
 * amount from `transferFrom` to `responsibility`; a reversal undoes the entry it reverses.
 */

import type {
  LedgerEntryKind as EntryKind,
  PaymentMethod,
  Responsibility,
} from '../../../contracts/billing/ledger';
import { effectOf as ledgerEffectOf } from '../balances';

export type { EntryKind, PaymentMethod, Responsibility };

export interface LedgerItem {
  id: string;
  kind: EntryKind;
  responsibility: Responsibility;
  amountCents: number;
  transferFrom: Responsibility | null;
  reversesEntryId: string | null;
  /** Refunds: the payment; adjustments, write-offs, transfers: the charge they concern (optional). */
  appliesToEntryId: string | null;
  /** Date of service for charges (YYYY-MM-DD), when known. */
  serviceDate: string | null;
  /** ISO instant the entry was posted. */
  postedAt: string;
  method: PaymentMethod | null;
  checkNumber: string | null;
  memo: string | null;
  /** What a person reads on the line: "90837 Psychotherapy, 60 minutes" for a charge. */
  description?: string | null;
}

export interface Effect {
  patientCents: number;
  insuranceCents: number;
}

/** The effect of one entry on the two responsibilities (the ledger's own rule, server/domain/billing/balances.ts). */
export function effectOf(entry: LedgerItem, byId: ReadonlyMap<string, LedgerItem>): Effect {
  const e = ledgerEffectOf(entry, byId);
  return { patientCents: e.patient, insuranceCents: e.insurance };
}

/** The date an entry belongs to on a document: the date of service for charges, else the day it was posted. */
export function entryDate(entry: LedgerItem, localDateOf: (iso: string) => string): string {
  return entry.kind === 'charge' && entry.serviceDate ? entry.serviceDate : localDateOf(entry.postedAt);
}

export const agingBuckets = ['0_30', '31_60', '61_90', '91_120', '120_plus'] as const;
export type AgingBucket = (typeof agingBuckets)[number];
export const agingBucketLabels: Record<AgingBucket, string> = {
  '0_30': '0–30 days',
  '31_60': '31–60 days',
  '61_90': '61–90 days',
  '91_120': '91–120 days',
  '120_plus': 'Over 120 days',
};

export type Aging = Record<AgingBucket, number>;
export const emptyAging = (): Aging => ({ '0_30': 0, '31_60': 0, '61_90': 0, '91_120': 0, '120_plus': 0 });

/** Whole days from `from` to `to` (both YYYY-MM-DD), computed on the calendar, not on clock time. */
export function daysBetween(from: string, to: string): number {
  const day = (d: string) =>
    Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((day(to) - day(from)) / 86_400_000);
}

export function bucketOf(ageDays: number): AgingBucket {
  if (ageDays <= 30) return '0_30';
  if (ageDays <= 60) return '31_60';
  if (ageDays <= 90) return '61_90';
  if (ageDays <= 120) return '91_120';
  return '120_plus';
}

/**
 * Balance-forward aging: what is owed is taken to be the newest debits (payments go to the oldest charges
 * first, as the ledger allocates them by default), so the balance is spread over the debits' buckets from
 * the newest bucket back. `debits` are the amounts that raised this responsibility's balance, by bucket
 * (already net of reversed debits). A balance of zero or less ages nothing (a credit is reported apart).
 */
export function ageBalance(balanceCents: number, debits: Aging): Aging {
  const out = emptyAging();
  let left = balanceCents;
  for (const b of agingBuckets) {
    if (left <= 0) break;
    const take = Math.min(left, Math.max(0, debits[b]));
    out[b] = take;
    left -= take;
  }
  // More owed than the debits explain (e.g. a refund of an unrecorded payment): the rest is the oldest.
  if (left > 0) out['120_plus'] += left;
  return out;
}

/** Per-responsibility debits by bucket as of a date, from a patient's entries. */
export function debitsByBucket(
  entries: readonly LedgerItem[],
  asOf: string,
  localDateOf: (iso: string) => string,
): Record<Responsibility, Aging> {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const out: Record<Responsibility, Aging> = { patient: emptyAging(), insurance: emptyAging() };
  const debit = (e: LedgerItem, r: Responsibility, cents: number) => {
    const age = Math.max(0, daysBetween(entryDate(e, localDateOf), asOf));
    out[r][bucketOf(age)] += cents;
  };
  const debitsOf = (e: LedgerItem, sign: 1 | -1) => {
    if (e.kind === 'charge' || e.kind === 'refund') debit(e, e.responsibility, sign * e.amountCents);
    else if (e.kind === 'transfer') debit(e, e.responsibility, sign * e.amountCents);
  };
  for (const e of entries) {
    if (e.kind === 'reversal') {
      const original = e.reversesEntryId ? byId.get(e.reversesEntryId) : undefined;
      // Undoing a debit takes it out of the bucket it was in; undoing a credit changes only the balance.
      if (original) debitsOf(original, -1);
    } else debitsOf(e, 1);
  }
  return out;
}

export function balancesOfItems(entries: readonly LedgerItem[]): Effect {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const total: Effect = { patientCents: 0, insuranceCents: 0 };
  for (const e of entries) {
    const eff = effectOf(e, byId);
    total.patientCents += eff.patientCents;
    total.insuranceCents += eff.insuranceCents;
  }
  return total;
}

export function agingOf(
  entries: readonly LedgerItem[],
  asOf: string,
  localDateOf: (iso: string) => string,
): { patient: Aging; insurance: Aging; balances: Effect } {
  const balances = balancesOfItems(entries);
  const debits = debitsByBucket(entries, asOf, localDateOf);
  return {
    patient: ageBalance(balances.patientCents, debits.patient),
    insurance: ageBalance(balances.insuranceCents, debits.insurance),
    balances,
  };
}
