import type { Balances, PatientAccount } from '../../../contracts/billing/ledger';
import { effectOf, ledgerState, totalEffect, type EntryLike } from '../../../domain/billing/balances';
import type { Store } from '../../db/store';
import { openChargesView, toAccountEntry, userNames } from './account';
import {
  ALLOCATION_COLUMNS,
  allocationFromArray,
  ENTRY_COLUMNS,
  entryFromArray,
  type AllocationRow,
  type EntryRow,
} from './ledger';

/**
 * The account screen as it opens (no filters; the newest `limit` entries), read without folding the whole
 * ledger: an account of 5,000 entries must open in under 20 ms (docs/billing.md, Speed), and reading its
 * 5,000 rows alone costs more. What the fold would give is read from the maintained summaries instead:
 * - balances from `ledger_balance_summary` (migration 0012), the unapplied credit and what is open or left
 *   on each charge and payment from `ledger_item_state` (0017), both kept by triggers on every ledger row;
 * - the patient/insurance split of the open charges (which depends on posting order) by the domain's fold
 *   of just those charges and the rows that touch them (their allocations, those payments, adjustments,
 *   transfers, and reversals of any of these);
 * - the running balance of the page by walking back from the total balance.
 * Every figure equals the full view's (`accountView`), which filtered views still use:
 * tests/integration/billing/ledger-properties.test.ts compares the two after any sequence of postings.
 */

/** A charge, payment or refund as `ledger_item_state` keeps it (see migration 0017). */
export interface ItemState {
  entryId: string;
  kind: 'charge' | 'payment' | 'refund';
  amountCents: number;
  appliedCents: number;
  reducedCents: number;
  reversed: boolean;
  linked: boolean;
  postedAt: string;
  createdAt: string;
  method: EntryRow['method'];
  checkNumber: string | null;
}

type Statement = ReturnType<Store['db']['prepare']>;
interface Statements {
  items: Statement;
  balances: Statement;
  count: Statement;
  page: Statement;
  entriesById: Statement;
  applying: Statement;
  reversals: Statement;
  allocationsToCharges: Statement;
  allocationsShown: Statement;
  allocationReversals: Statement;
}
const prepared = new WeakMap<Store['db'], Statements>();
const ids = 'SELECT value FROM json_each(?)';
// Lookups by id name the account with `+patient_id` (no index on that term): otherwise SQLite may walk
// the patient's index, i.e. every row of the account, which is what this page exists to avoid.

function statements(store: Store): Statements {
  let s = prepared.get(store.db);
  if (s) return s;
  const db = store.db;
  s = {
    items: db
      .prepare(
        `SELECT entry_id, kind, amount_cents, applied_cents, reduced_cents, reversed, linked, posted_at, created_at,
                method, check_number
           FROM ledger_item_state WHERE clinic_id = ? AND patient_id = ?
            AND (kind <> 'charge' OR (reversed = 0 AND amount_cents - applied_cents - reduced_cents <> 0))`,
      )
      .raw(),
    balances: db
      .prepare(
        'SELECT responsibility, balance_cents FROM ledger_balance_summary WHERE clinic_id = ? AND patient_id = ?',
      )
      .raw(),
    // Counted on the patient index alone (naming the clinic too would read every row for its clinic_id);
    // the patient was resolved within this clinic before.
    count: db.prepare('SELECT count(*) FROM ledger_entries WHERE patient_id = ?').pluck(),
    page: db
      .prepare(
        `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE clinic_id = ? AND patient_id = ?
          ORDER BY posted_at DESC, created_at DESC, id DESC LIMIT ?`,
      )
      .raw(),
    entriesById: db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE id IN (${ids}) AND +patient_id = ?`)
      .raw(),
    applying: db
      .prepare(
        `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE applies_to_entry_id IN (${ids}) AND +patient_id = ?`,
      )
      .raw(),
    reversals: db
      .prepare(
        `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE reverses_entry_id IN (${ids}) AND +patient_id = ?`,
      )
      .raw(),
    allocationsToCharges: db
      .prepare(
        `SELECT ${ALLOCATION_COLUMNS} FROM ledger_allocations WHERE charge_entry_id IN (${ids}) AND +patient_id = ?`,
      )
      .raw(),
    allocationsShown: db
      .prepare(
        `SELECT ${ALLOCATION_COLUMNS} FROM ledger_allocations
          WHERE (payment_entry_id IN (${ids}) OR charge_entry_id IN (${ids})) AND +patient_id = ?
          ORDER BY created_at, id`,
      )
      .raw(),
    allocationReversals: db
      .prepare(
        `SELECT reverses_allocation_id, id FROM ledger_allocations WHERE reverses_allocation_id IN (${ids}) AND +patient_id = ?`,
      )
      .raw(),
  };
  prepared.set(db, s);
  return s;
}

/** The maintained item rows of one account: payments, refunds, and the charges still open. */
export function itemStates(store: Store, patientId: string): ItemState[] {
  const rows = statements(store).items.all([store.requireClinicId(), patientId]) as unknown[][];
  return rows.map((r) => ({
    entryId: r[0] as string,
    kind: r[1] as ItemState['kind'],
    amountCents: r[2] as number,
    appliedCents: r[3] as number,
    reducedCents: r[4] as number,
    reversed: r[5] === 1,
    linked: r[6] === 1,
    postedAt: r[7] as string,
    createdAt: r[8] as string,
    method: r[9] as EntryRow['method'],
    checkNumber: r[10] as string | null,
  }));
}

/** What is open on a charge, or unapplied on a payment, from its item row (as the domain's fold has it). */
export const openOf = (i: ItemState) => (i.reversed ? 0 : i.amountCents - i.appliedCents - i.reducedCents);
const refundableOf = (i: ItemState) => (i.reversed ? 0 : i.amountCents - i.reducedCents);

/** The account's balances from the maintained summaries (what `ledgerState(...).balances` folds to). */
export function summaryBalances(store: Store, patientId: string, items: readonly ItemState[]): Balances {
  let patientCents = 0;
  let insuranceCents = 0;
  for (const [resp, cents] of statements(store).balances.all([store.requireClinicId(), patientId]) as [
    string,
    number,
  ][]) {
    if (resp === 'patient') patientCents = cents;
    else insuranceCents = cents;
  }
  let credit = 0;
  for (const i of items) {
    if (i.kind === 'payment') credit += openOf(i);
    else if (i.kind === 'refund' && !i.reversed && !i.linked) credit -= i.amountCents;
  }
  return {
    totalCents: patientCents + insuranceCents,
    patientCents,
    insuranceCents,
    unappliedCreditCents: credit,
  };
}

const json = (xs: Iterable<string>) => JSON.stringify([...xs]);
const byPosting = (a: { postedAt: string; createdAt: string; id: string }, b: typeof a) =>
  a.postedAt < b.postedAt
    ? -1
    : a.postedAt > b.postedAt
      ? 1
      : a.createdAt < b.createdAt
        ? -1
        : a.createdAt > b.createdAt
          ? 1
          : a.id < b.id
            ? -1
            : a.id > b.id
              ? 1
              : 0;

/** The account view of the newest `limit` entries (all when undefined), unfiltered. */
export function accountPage(
  store: Store,
  patientId: string,
  limit: number | undefined,
): Omit<PatientAccount, 'patient'> {
  const clinicId = store.requireClinicId();
  const q = statements(store);
  const items = itemStates(store, patientId);
  const balances = summaryBalances(store, patientId, items);
  const itemById = new Map(items.map((i) => [i.entryId, i]));

  // The page, oldest first, and the entries its reversals undo (for their effect).
  const page = (q.page.all([clinicId, patientId, limit ?? -1]) as unknown[][]).map(entryFromArray).reverse();
  const byId = new Map<string, EntryLike>(page.map((e) => [e.id, e]));
  const missing = page
    .filter((e) => e.reversesEntryId && !byId.has(e.reversesEntryId))
    .map((e) => e.reversesEntryId!);
  if (missing.length)
    for (const r of q.entriesById.all([json(missing), patientId]) as unknown[][]) {
      const e = entryFromArray(r);
      byId.set(e.id, e);
    }
  const pageIds = json(page.map((e) => e.id));
  const reversedBy = new Map<string, string>();
  for (const r of q.reversals.all([pageIds, patientId]) as unknown[][]) {
    const e = entryFromArray(r);
    reversedBy.set(e.reversesEntryId!, e.id);
  }
  const names = userNames(
    store,
    page.flatMap((e) => [e.postedBy, e.providerUserId]),
  );
  const effects = page.map((e) => totalEffect(effectOf(e, byId)));
  let running = balances.totalCents;
  const runningAt = new Array<number>(page.length);
  for (let i = page.length - 1; i >= 0; i--) {
    runningAt[i] = running;
    running -= effects[i]!;
  }
  const entries = page.map((e, i) => {
    const item = itemById.get(e.id);
    return toAccountEntry(e, {
      effectCents: effects[i]!,
      runningBalanceCents: runningAt[i]!,
      reversedByEntryId: reversedBy.get(e.id) ?? null,
      // Charges not among the items are settled (nothing open); payments and refunds are all there.
      openCents:
        e.kind === 'charge' ? (item ? openOf(item) : 0) : e.kind === 'payment' && item ? openOf(item) : null,
      names,
    });
  });

  // Allocations of the payments and charges shown, and which of them were undone.
  const allocations = (q.allocationsShown.all([pageIds, pageIds, patientId]) as unknown[][]).map(
    allocationFromArray,
  );
  const undoneBy = new Map<string, string>();
  if (allocations.length)
    for (const [undone, by] of q.allocationReversals.all([json(allocations.map((a) => a.id)), patientId]) as [
      string,
      string,
    ][])
      undoneBy.set(undone, by);

  const credits = items
    .filter((i) => i.kind === 'payment' && !i.reversed && (openOf(i) > 0 || refundableOf(i) > 0))
    .sort((a, b) => byPosting({ ...a, id: a.entryId }, { ...b, id: b.entryId }))
    .map((i) => ({
      entryId: i.entryId,
      postedAt: i.postedAt,
      method: i.method,
      checkNumber: i.checkNumber,
      amountCents: i.amountCents,
      unappliedCents: openOf(i),
      refundableCents: refundableOf(i),
    }));

  const total = q.count.get([patientId]) as number;
  return {
    patientId,
    balances,
    entries,
    totalEntries: total,
    matchingEntries: total,
    openCharges: openCharges(store, patientId, items),
    credits,
    allocations: allocations.map((a) => ({ ...a, reversedByAllocationId: undoneBy.get(a.id) ?? null })),
  };
}

/**
 * The open charges with their patient/insurance split: the domain's fold over just the open charges and
 * the rows that bear on them (the split follows posting order, so it is folded, not summed).
 */
function openCharges(store: Store, patientId: string, items: readonly ItemState[]) {
  const open = items.filter((i) => i.kind === 'charge' && openOf(i) > 0).map((i) => i.entryId);
  if (!open.length) return [];
  const q = statements(store);
  const allocs: AllocationRow[] = (q.allocationsToCharges.all([json(open), patientId]) as unknown[][]).map(
    allocationFromArray,
  );
  const rows = new Map<string, EntryRow>();
  const add = (list: unknown[][]) => {
    for (const r of list) {
      const e = entryFromArray(r);
      rows.set(e.id, e);
    }
  };
  add(
    q.entriesById.all([
      json(new Set([...open, ...allocs.map((a) => a.paymentEntryId)])),
      patientId,
    ]) as unknown[][],
  );
  add(q.applying.all([json(open), patientId]) as unknown[][]);
  add(q.reversals.all([json(rows.keys()), patientId]) as unknown[][]);
  return openChargesView(ledgerState([...rows.values()], allocs));
}
