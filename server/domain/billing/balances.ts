import type { Balances, LedgerEntryKind, Responsibility } from '../../contracts/billing/ledger';
import type { OpenChargeRef } from './allocation';

/**
 * Everything the ledger shows is derived here from the entries and allocations (the tables hold nothing
 * else): balances by responsibility, what is open on each charge, what is left of each payment, and the
 * invariants `ledger verify` and the property tests check. Pure, order-independent for the amounts
 * (entries may come in any order); responsibility buckets of a charge follow posting order.
 */

export interface EntryLike {
  id: string;
  kind: LedgerEntryKind;
  responsibility: Responsibility;
  amountCents: number;
  transferFrom: Responsibility | null;
  reversesEntryId: string | null;
  appliesToEntryId: string | null;
  serviceDate?: string | null;
  postedAt: string;
  createdAt?: string;
}

export interface AllocationLike {
  id: string;
  paymentEntryId: string;
  chargeEntryId: string;
  amountCents: number;
  reversesAllocationId: string | null;
  createdAt?: string;
}

/** Signed effect of an entry on each responsibility bucket. */
export interface Effect {
  patient: number;
  insurance: number;
}

const zero = (): Effect => ({ patient: 0, insurance: 0 });

/** +1 raises the balance (what is owed), -1 lowers it; transfers and reversals are handled apart. */
export const kindSign: Record<Exclude<LedgerEntryKind, 'transfer' | 'reversal'>, 1 | -1> = {
  charge: 1,
  refund: 1,
  payment: -1,
  adjustment: -1,
  write_off: -1,
};

/**
 * The effect of one entry. A reversal undoes the entry it names (looked up in `byId`); a reversal whose
 * entry is unknown (not replicated yet) has no effect until it arrives.
 */
export function effectOf(entry: EntryLike, byId: ReadonlyMap<string, EntryLike>): Effect {
  const e = zero();
  if (entry.kind === 'reversal') {
    const target = entry.reversesEntryId ? byId.get(entry.reversesEntryId) : undefined;
    if (!target || target.kind === 'reversal') return e;
    const undone = effectOf(target, byId);
    return { patient: -undone.patient, insurance: -undone.insurance };
  }
  if (entry.kind === 'transfer') {
    e[entry.responsibility] += entry.amountCents;
    if (entry.transferFrom) e[entry.transferFrom] -= entry.amountCents;
    return e;
  }
  e[entry.responsibility] += kindSign[entry.kind] * entry.amountCents;
  return e;
}

export const totalEffect = (e: Effect) => e.patient + e.insurance;

/** Adds `sign` × `effectOf(entry, byId)` to `into` without the intermediate objects (a fold of thousands). */
function addEffect(into: Effect, entry: EntryLike, byId: ReadonlyMap<string, EntryLike>, sign: 1 | -1): void {
  if (entry.kind === 'reversal') {
    const target = entry.reversesEntryId ? byId.get(entry.reversesEntryId) : undefined;
    if (target && target.kind !== 'reversal') addEffect(into, target, byId, sign === 1 ? -1 : 1);
    return;
  }
  if (entry.kind === 'transfer') {
    into[entry.responsibility] += sign * entry.amountCents;
    if (entry.transferFrom) into[entry.transferFrom] -= sign * entry.amountCents;
    return;
  }
  into[entry.responsibility] += sign * kindSign[entry.kind] * entry.amountCents;
}

/**
 * `totalEffect(effectOf(entry, byId))` without the intermediate objects (a running balance over thousands
 * of entries): a transfer between the two parties moves nothing in total.
 */
export function totalEffectOf(entry: EntryLike, byId: ReadonlyMap<string, EntryLike>): number {
  if (entry.kind === 'reversal') {
    const target = entry.reversesEntryId ? byId.get(entry.reversesEntryId) : undefined;
    return !target || target.kind === 'reversal' ? 0 : -totalEffectOf(target, byId);
  }
  if (entry.kind === 'transfer') return entry.transferFrom ? 0 : entry.amountCents;
  return kindSign[entry.kind] * entry.amountCents;
}

/** Posting order: posted_at, then created_at, then id (UUIDv7 ids are time-ordered). */
export function postingOrder<T extends EntryLike>(entries: readonly T[]): T[] {
  // ISO instants and UUIDv7 ids order correctly by plain code-unit comparison (no locale rules needed).
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...entries].sort(
    (a, b) => cmp(a.postedAt, b.postedAt) || cmp(a.createdAt ?? '', b.createdAt ?? '') || cmp(a.id, b.id),
  );
}

export interface ChargeState {
  entry: EntryLike;
  /** Allocated to it, net of un-allocations. */
  allocatedCents: number;
  /** Adjusted and written off against it (live entries). */
  adjustedCents: number;
  openCents: number;
  /** What is open, by who owes it (transfers of the charge move it; payments reduce their payer's part first). */
  patientOpenCents: number;
  insuranceOpenCents: number;
  reversed: boolean;
}

export interface PaymentState {
  entry: EntryLike;
  allocatedCents: number;
  /** Refunds returned from this payment (live). */
  refundedCents: number;
  /** Neither applied nor refunded. */
  unappliedCents: number;
  /** The most a further refund of this payment may be. */
  refundableCents: number;
  reversed: boolean;
}

export interface LedgerState {
  balances: Balances;
  /** The entries by id (what a reversal undoes, what an entry applies to). */
  byId: ReadonlyMap<string, EntryLike>;
  charges: Map<string, ChargeState>;
  payments: Map<string, PaymentState>;
  /** entry id -> the reversal that undoes it. */
  reversedBy: Map<string, string>;
  /** allocation id -> the allocation that undoes it. */
  allocationReversedBy: Map<string, string>;
  /** Refunds not tied to a payment (they draw on the account's credit as a whole). */
  unlinkedRefundCents: number;
}

/**
 * Folds entries and allocations into the account's state. `ordered`: the entries are already in posting
 * order and the allocations in the order they were made (read so from the indexes), so neither is sorted
 * here and their dates need not be read at all.
 */
export function ledgerState(
  entries: readonly EntryLike[],
  allocations: readonly AllocationLike[],
  opts: { ordered?: boolean } = {},
): LedgerState {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const reversedBy = new Map<string, string>();
  for (const e of entries) {
    if (e.kind === 'reversal' && e.reversesEntryId && byId.has(e.reversesEntryId))
      reversedBy.set(e.reversesEntryId, e.id);
  }
  const live = (e: EntryLike) => !reversedBy.has(e.id);

  const balance = zero();
  const charges = new Map<string, ChargeState>();
  const payments = new Map<string, PaymentState>();
  let unlinkedRefundCents = 0;
  const ordered = opts.ordered ? entries : postingOrder(entries);

  for (const e of ordered) {
    addEffect(balance, e, byId, 1);
    if (e.kind === 'charge') {
      charges.set(e.id, {
        entry: e,
        allocatedCents: 0,
        adjustedCents: 0,
        openCents: 0,
        patientOpenCents: e.responsibility === 'patient' ? e.amountCents : 0,
        insuranceOpenCents: e.responsibility === 'insurance' ? e.amountCents : 0,
        reversed: !live(e),
      });
    } else if (e.kind === 'payment') {
      payments.set(e.id, {
        entry: e,
        allocatedCents: 0,
        refundedCents: 0,
        unappliedCents: 0,
        refundableCents: 0,
        reversed: !live(e),
      });
    }
  }

  // Reduce a charge's bucket of `resp` first, then the other one.
  const reduce = (c: ChargeState, resp: Responsibility, cents: number) => {
    const first = resp === 'patient' ? 'patientOpenCents' : 'insuranceOpenCents';
    const second = resp === 'patient' ? 'insuranceOpenCents' : 'patientOpenCents';
    const a = Math.min(cents, Math.max(0, c[first]));
    c[first] -= a;
    c[second] -= cents - a;
  };

  // Allocations, net of un-allocations.
  const allocationReversedBy = new Map<string, string>();
  const allocById = new Map(allocations.map((a) => [a.id, a]));
  const byTime = (a: AllocationLike, b: AllocationLike) => {
    const x = a.createdAt ?? '';
    const y = b.createdAt ?? '';
    return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  const orderedAllocs = opts.ordered ? allocations : [...allocations].sort(byTime);
  for (const a of orderedAllocs) {
    const sign = a.reversesAllocationId ? -1 : 1;
    if (a.reversesAllocationId) {
      if (!allocById.has(a.reversesAllocationId)) continue;
      allocationReversedBy.set(a.reversesAllocationId, a.id);
    }
    const p = payments.get(a.paymentEntryId);
    const c = charges.get(a.chargeEntryId);
    if (p) p.allocatedCents += sign * a.amountCents;
    if (c) {
      c.allocatedCents += sign * a.amountCents;
      if (sign > 0) reduce(c, p?.entry.responsibility ?? 'patient', a.amountCents);
      else reduce(c, p?.entry.responsibility === 'insurance' ? 'patient' : 'insurance', -a.amountCents);
    }
  }

  for (const e of ordered) {
    if (!live(e)) continue;
    const target = e.appliesToEntryId ? byId.get(e.appliesToEntryId) : undefined;
    if (e.kind === 'adjustment' || e.kind === 'write_off') {
      const c = target ? charges.get(target.id) : undefined;
      if (c) {
        c.adjustedCents += e.amountCents;
        reduce(c, e.responsibility, e.amountCents);
      }
    } else if (e.kind === 'transfer' && e.transferFrom) {
      const c = target ? charges.get(target.id) : undefined;
      if (c) {
        const from = e.transferFrom === 'patient' ? 'patientOpenCents' : 'insuranceOpenCents';
        const to = e.responsibility === 'patient' ? 'patientOpenCents' : 'insuranceOpenCents';
        const moved = Math.min(e.amountCents, Math.max(0, c[from]));
        c[from] -= moved;
        c[to] += moved;
      }
    } else if (e.kind === 'refund') {
      const p = target ? payments.get(target.id) : undefined;
      if (p) p.refundedCents += e.amountCents;
      else unlinkedRefundCents += e.amountCents;
    }
  }

  for (const c of charges.values()) {
    c.openCents = c.reversed ? 0 : c.entry.amountCents - c.allocatedCents - c.adjustedCents;
    if (c.reversed) {
      c.patientOpenCents = 0;
      c.insuranceOpenCents = 0;
    }
  }
  let unapplied = 0;
  for (const p of payments.values()) {
    p.unappliedCents = p.reversed ? 0 : p.entry.amountCents - p.allocatedCents - p.refundedCents;
    p.refundableCents = p.reversed ? 0 : p.entry.amountCents - p.refundedCents;
    unapplied += p.unappliedCents;
  }

  return {
    balances: {
      totalCents: balance.patient + balance.insurance,
      patientCents: balance.patient,
      insuranceCents: balance.insurance,
      unappliedCreditCents: unapplied - unlinkedRefundCents,
    },
    byId,
    charges,
    payments,
    reversedBy,
    allocationReversedBy,
    unlinkedRefundCents,
  };
}

/** The account's balances: total, patient, insurance pending, unapplied credit. */
export function balancesOf(entries: readonly EntryLike[], allocations: readonly AllocationLike[]): Balances {
  return ledgerState(entries, allocations).balances;
}

/** Open charges for allocation (oldest first is applied by the allocator). */
export function openChargesOf(state: Pick<LedgerState, 'charges'>): (OpenChargeRef & ChargeState)[] {
  return [...state.charges.values()]
    .filter((c) => c.openCents > 0)
    .map((c) => ({
      ...c,
      entryId: c.entry.id,
      serviceDate: c.entry.serviceDate ?? null,
      postedAt: c.entry.postedAt,
    }));
}

/**
 * Every rule a ledger must keep, as sentences (empty = sound). `ledger verify` runs it per patient and the
 * property tests run it after any sequence of postings.
 */
export function ledgerProblems(
  entries: readonly EntryLike[],
  allocations: readonly AllocationLike[],
): string[] {
  const problems: string[] = [];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const seenReversal = new Set<string>();
  for (const e of entries) {
    if (!Number.isSafeInteger(e.amountCents) || e.amountCents <= 0)
      problems.push(`Entry ${e.id} has an amount that is not a positive number of cents.`);
    if (e.kind === 'reversal') {
      const t = e.reversesEntryId ? byId.get(e.reversesEntryId) : undefined;
      if (!t) problems.push(`Reversal ${e.id} names an entry that is not on this account.`);
      else {
        if (t.kind === 'reversal') problems.push(`Reversal ${e.id} reverses another reversal.`);
        if (t.amountCents !== e.amountCents)
          problems.push(`Reversal ${e.id} is for a different amount than the entry it reverses.`);
        if (seenReversal.has(t.id)) problems.push(`Entry ${t.id} is reversed more than once.`);
        seenReversal.add(t.id);
      }
    }
    if (e.kind === 'transfer' && (!e.transferFrom || e.transferFrom === e.responsibility))
      problems.push(`Transfer ${e.id} does not move the amount between patient and insurance.`);
  }
  const allocIds = new Map(allocations.map((a) => [a.id, a]));
  const seenUnalloc = new Set<string>();
  for (const a of allocations) {
    if (!Number.isSafeInteger(a.amountCents) || a.amountCents <= 0)
      problems.push(`Allocation ${a.id} has an amount that is not a positive number of cents.`);
    const p = byId.get(a.paymentEntryId);
    const c = byId.get(a.chargeEntryId);
    if (!p || p.kind !== 'payment')
      problems.push(`Allocation ${a.id} does not come from a payment on this account.`);
    if (!c || c.kind !== 'charge')
      problems.push(`Allocation ${a.id} is not applied to a charge on this account.`);
    if (a.reversesAllocationId) {
      const t = allocIds.get(a.reversesAllocationId);
      if (!t || t.reversesAllocationId) problems.push(`Un-allocation ${a.id} does not undo an allocation.`);
      else if (
        t.amountCents !== a.amountCents ||
        t.paymentEntryId !== a.paymentEntryId ||
        t.chargeEntryId !== a.chargeEntryId
      )
        problems.push(`Un-allocation ${a.id} does not match the allocation it undoes.`);
      if (seenUnalloc.has(a.reversesAllocationId))
        problems.push(`Allocation ${a.reversesAllocationId} is undone twice.`);
      seenUnalloc.add(a.reversesAllocationId);
    }
  }

  const state = ledgerState(entries, allocations);
  const b = state.balances;
  // Balances equal the plain sum of the entries' signed amounts, computed a second, independent way.
  let plain = 0;
  for (const e of entries) plain += signedTotal(e, byId);
  if (b.totalCents !== plain) problems.push('The total balance does not equal the sum of the entries.');
  if (b.totalCents !== b.patientCents + b.insuranceCents)
    problems.push('The patient and insurance balances do not add up to the total.');
  for (const c of state.charges.values()) {
    if (c.allocatedCents < 0) problems.push(`Charge ${c.entry.id} has a negative amount applied to it.`);
    if (!c.reversed && c.openCents < 0)
      problems.push(`Charge ${c.entry.id} has more applied to it than it is for.`);
    if (c.reversed && c.allocatedCents !== 0)
      problems.push(`Charge ${c.entry.id} is reversed but payments are still applied to it.`);
  }
  let paid = 0;
  for (const p of state.payments.values()) {
    if (p.allocatedCents < 0) problems.push(`Payment ${p.entry.id} has a negative amount applied.`);
    if (!p.reversed && p.unappliedCents < 0)
      problems.push(`Payment ${p.entry.id} is applied or refunded beyond its amount.`);
    if (p.reversed && (p.allocatedCents !== 0 || p.refundedCents !== 0))
      problems.push(`Payment ${p.entry.id} is reversed but is still applied or refunded.`);
    if (!p.reversed) paid += p.entry.amountCents;
  }
  let refunded = 0;
  for (const e of entries) if (e.kind === 'refund' && !state.reversedBy.has(e.id)) refunded += e.amountCents;
  if (refunded > paid) problems.push('More has been refunded than was paid.');
  if (b.unappliedCreditCents < 0) problems.push('The unapplied credit is negative.');
  return problems;
}

/** Signed effect on the total, computed without the bucket logic (the verifier's second opinion). */
function signedTotal(e: EntryLike, byId: ReadonlyMap<string, EntryLike>): number {
  switch (e.kind) {
    case 'charge':
    case 'refund':
      return e.amountCents;
    case 'payment':
    case 'adjustment':
    case 'write_off':
      return -e.amountCents;
    case 'transfer':
      return 0;
    case 'reversal': {
      const t = e.reversesEntryId ? byId.get(e.reversesEntryId) : undefined;
      return t && t.kind !== 'reversal' ? -signedTotal(t, byId) : 0;
    }
  }
}
