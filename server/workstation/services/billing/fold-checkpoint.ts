import { randomUUID } from 'node:crypto';
import type { Balances, LedgerEntry } from '../../../contracts/billing/ledger';
import {
  effectOf,
  ledgerState,
  type AllocationLike,
  type ChargeState,
  type EntryLike,
  type LedgerState,
  type PaymentState,
} from '../../../domain/billing/balances';
import type { Store } from '../../db/store';
import type { EntryRow, FoldAllocation, FoldEntry } from './ledger';

/**
 * A fold checkpoint per account (docs/billing.md, Speed; table from migration 0026): opening a 5,000-entry
 * account spent most of its time reading every entry to fold it. The checkpoint holds what the screen's
 * first view needs of `ledgerState` for the entries up to a position in posting order and the allocations
 * up to a position in the order they were made: the two balances, every payment's unapplied and
 * refundable amounts (all payments, in posting order: the credits list keeps that order), each charge that
 * is not settled with its open amount and patient/insurance split, and the few rows whose meaning waits on
 * a row not yet there (a reversal or un-allocation whose target had not arrived, a refund not tied to a
 * payment here).
 *
 * An open reads the checkpoint and only the rows after it (the tail). The fold is not a plain left fold
 * (allocations are applied before adjustments and transfers, a reversal changes what came before it), so
 * the tail is not folded onto the saved states: each charge or payment the tail touches is folded again
 * from its own rows (`refold`, by the indexes on what an entry applies to, allocations by payment and
 * charge, and reversals by target), which is exactly what `ledgerState` does for it over the whole account.
 * Everything else keeps its saved state. A tail longer than `TAIL_LIMIT` is folded whole again and the
 * checkpoint replaced. Triggers drop the checkpoint when a row arrives at or before its position or a
 * ledger row changes (a merge), so a checkpoint that exists is always a prefix of the account.
 *
 * The parsed checkpoint is kept in memory between opens (`parsedCheckpoint`: a few accounts per database),
 * so an open of a large account does not parse ~240 kB of JSON into ~2,200 states again (those
 * allocations, every open, made V8's young-generation scavenges the tail of the open's time). It is keyed
 * by the checkpoint's nonce: a random UUID written as the first field of every saved state. The row is
 * only ever written whole by `saveCheckpoint` (a new nonce each time) or deleted by the triggers, so a row
 * carrying the cached nonce holds exactly the state that was parsed; a re-saved checkpoint, even at the
 * same position, carries another nonce. The rows after the checkpoint are read on every open, as before.
 */

/** Format of the stored state; a checkpoint of another format is ignored (and replaced on the next open). */
const FORMAT = 2;
/** Rows after the checkpoint (entries and allocations) an open folds from it before it folds whole again. */
export const TAIL_LIMIT = 64;

type Resp = EntryRow['responsibility'];
/** id, postedAt, method, checkNumber, amount, responsibility, unapplied, refundable. */
type SavedPayment = [string, string, EntryRow['method'], string | null, number, Resp, number, number];
/** id, postedAt, serviceDate, amount, responsibility, open, patient open, insurance open, encounter, memo. */
type SavedCharge = [
  string,
  string,
  string | null,
  number,
  Resp,
  number,
  number,
  number,
  string | null,
  string,
];

interface Saved {
  /** Nonce, first so an open reads it without the rest (`NONCE_AT`): which save this is. */
  n: string;
  v: typeof FORMAT;
  entries: number;
  allocations: number;
  patientCents: number;
  insuranceCents: number;
  payments: SavedPayment[];
  charges: SavedCharge[];
  /** Reversals whose entry had not arrived: [reversal, entry]. */
  pendingReversals: [string, string][];
  /** Un-allocations whose allocation had not arrived: [allocation, payment, charge]. */
  pendingUnallocations: [string, string, string][];
  /** Standing refunds not tied to a payment here: [refund, the entry it names, amount]. */
  unlinkedRefunds: [string, string | null, number][];
}

export interface Position {
  postedAt: string;
  createdAt: string;
  id: string;
}

/** What the first view needs of the fold: balances, charges (the unsettled ones at least) and every payment. */
export interface FoldSummary {
  balances: Balances;
  charges: ReadonlyMap<string, ChargeState>;
  payments: ReadonlyMap<string, PaymentState>;
  totalEntries: number;
}

const FOLD_COLUMNS = `id, kind, responsibility, amount_cents, transfer_from, reverses_entry_id, applies_to_entry_id,
  service_date, posted_at, method, check_number, created_at`;
type RefoldEntry = FoldEntry & { createdAt: string };
const refoldEntry = (r: unknown[]): RefoldEntry => ({
  id: r[0] as string,
  kind: r[1] as EntryRow['kind'],
  responsibility: r[2] as Resp,
  amountCents: r[3] as number,
  transferFrom: r[4] as EntryRow['transferFrom'],
  reversesEntryId: r[5] as string | null,
  appliesToEntryId: r[6] as string | null,
  serviceDate: r[7] as string | null,
  postedAt: r[8] as string,
  method: r[9] as EntryRow['method'],
  checkNumber: r[10] as string | null,
  createdAt: r[11] as string,
});
const ALLOCATION_FOLD =
  'id, payment_entry_id, charge_entry_id, amount_cents, reverses_allocation_id, created_at';
type RefoldAllocation = FoldAllocation & { createdAt: string };
const refoldAllocation = (r: unknown[]): RefoldAllocation => ({
  id: r[0] as string,
  paymentEntryId: r[1] as string,
  chargeEntryId: r[2] as string,
  amountCents: r[3] as number,
  reversesAllocationId: r[4] as string | null,
  createdAt: r[5] as string,
});
/** `+clinic_id`, `+patient_id`: the account's rows, found by the index the rest of the WHERE names. */
const ON_ACCOUNT = '+clinic_id = @c AND +patient_id = @p';
/** How every saved state starts (`JSON.stringify` keeps `Saved`'s field order): the nonce follows. */
const NONCE_AT = '{"n":"';
const IDS = 'IN (SELECT value FROM json_each(@ids))';

type Db = Store['db'];
type Statement = ReturnType<Db['prepare']>;
const build = (db: Db) => {
  const p = (sql: string): Statement => db.prepare(sql).raw();
  return {
    read: p(`SELECT entry_posted_at, entry_created_at, entry_id, allocation_created_at, allocation_id,
                    substr(state, 1, ${NONCE_AT.length + 36})
               FROM ledger_fold_checkpoints WHERE patient_id = @p AND clinic_id = @c`),
    readState: p(`SELECT state FROM ledger_fold_checkpoints WHERE patient_id = @p AND clinic_id = @c`),
    save: db.prepare(
      `INSERT OR REPLACE INTO ledger_fold_checkpoints
           (patient_id, clinic_id, entry_posted_at, entry_created_at, entry_id, allocation_created_at, allocation_id, state)
         VALUES (@p, @c, @a, @b, @d, @e, @f, @g)`,
    ),
    lastAllocation: p(`SELECT created_at, id FROM ledger_allocations WHERE clinic_id = @c AND patient_id = @p
                          ORDER BY created_at DESC, id DESC LIMIT 1`),
    tailEntries: p(`SELECT ${FOLD_COLUMNS} FROM ledger_entries
                       WHERE clinic_id = @c AND patient_id = @p AND (posted_at, created_at, id) > (@a, @b, @d)
                       ORDER BY posted_at, created_at, id LIMIT @e`),
    tailAllocations: p(`SELECT ${ALLOCATION_FOLD} FROM ledger_allocations
                           WHERE clinic_id = @c AND patient_id = @p AND (created_at, id) > (coalesce(@a, ''), coalesce(@b, ''))
                           ORDER BY created_at, id LIMIT @d`),
    entriesById: p(`SELECT ${FOLD_COLUMNS} FROM ledger_entries WHERE id ${IDS} AND ${ON_ACCOUNT}`),
    appliedTo: p(
      `SELECT ${FOLD_COLUMNS} FROM ledger_entries WHERE applies_to_entry_id ${IDS} AND ${ON_ACCOUNT}`,
    ),
    reversalsOf: p(
      `SELECT ${FOLD_COLUMNS} FROM ledger_entries WHERE reverses_entry_id ${IDS} AND ${ON_ACCOUNT}`,
    ),
    allocationsOf: p(`SELECT ${ALLOCATION_FOLD} FROM ledger_allocations WHERE ${ON_ACCOUNT} AND id IN (
                          SELECT id FROM ledger_allocations WHERE payment_entry_id ${IDS}
                          UNION SELECT id FROM ledger_allocations WHERE charge_entry_id ${IDS})`),
    allocationsById: p(`SELECT ${ALLOCATION_FOLD} FROM ledger_allocations WHERE id ${IDS} AND ${ON_ACCOUNT}`),
  };
};
const prepared = new WeakMap<Db, ReturnType<typeof build>>();
function statements(store: Store) {
  let s = prepared.get(store.db);
  if (!s) {
    s = build(store.db);
    prepared.set(store.db, s);
  }
  return s;
}

type Params = Record<string, unknown>;
const rowsOf = <T>(st: Statement, args: Params, map: (r: unknown[]) => T): T[] =>
  (st.all(args) as unknown[][]).map(map);

/**
 * Saves the checkpoint of a whole fold: `state` folded from `entries` (every entry of the account, in
 * posting order, `last` the newest) and `allocations` (all, in the order made). `openCharges` holds the
 * whole rows of the charges not settled (their visit and memo are listed). Runs inside the caller's write
 * transaction, with the fold read in it, so no row can slip in between the read and the save.
 */
export function saveCheckpoint(
  store: Store,
  patientId: string,
  entries: readonly EntryLike[],
  allocations: readonly AllocationLike[],
  state: LedgerState,
  last: Position,
  openCharges: ReadonlyMap<string, Pick<LedgerEntry, 'encounterId' | 'memo'>>,
): void {
  const clinicId = store.requireClinicId();
  const q = statements(store);
  const saved: Saved = {
    n: randomUUID(),
    v: FORMAT,
    entries: entries.length,
    allocations: allocations.length,
    patientCents: state.balances.patientCents,
    insuranceCents: state.balances.insuranceCents,
    payments: [],
    charges: [],
    pendingReversals: [],
    pendingUnallocations: [],
    unlinkedRefunds: [],
  };
  for (const p of state.payments.values()) {
    const e = p.entry as FoldEntry;
    saved.payments.push([
      e.id,
      e.postedAt,
      e.method,
      e.checkNumber,
      e.amountCents,
      e.responsibility,
      p.unappliedCents,
      p.refundableCents,
    ]);
  }
  for (const c of state.charges.values()) {
    if (c.openCents === 0) continue;
    const whole = openCharges.get(c.entry.id);
    saved.charges.push([
      c.entry.id,
      c.entry.postedAt,
      c.entry.serviceDate ?? null,
      c.entry.amountCents,
      c.entry.responsibility,
      c.openCents,
      c.patientOpenCents,
      c.insuranceOpenCents,
      whole?.encounterId ?? null,
      whole?.memo ?? '',
    ]);
  }
  for (const e of entries) {
    if (e.kind === 'reversal' && e.reversesEntryId && !state.byId.has(e.reversesEntryId))
      saved.pendingReversals.push([e.id, e.reversesEntryId]);
    if (e.kind === 'refund' && !state.reversedBy.has(e.id)) {
      const target = e.appliesToEntryId ? state.byId.get(e.appliesToEntryId) : undefined;
      if (!target || !state.payments.has(target.id))
        saved.unlinkedRefunds.push([e.id, e.appliesToEntryId, e.amountCents]);
    }
  }
  const allocIds = new Set(allocations.map((a) => a.id));
  for (const a of allocations)
    if (a.reversesAllocationId && !allocIds.has(a.reversesAllocationId))
      saved.pendingUnallocations.push([a.reversesAllocationId, a.paymentEntryId, a.chargeEntryId]);
  const lastAlloc = q.lastAllocation.get({ c: clinicId, p: patientId }) as [string, string] | undefined;
  q.save.run({
    p: patientId,
    c: clinicId,
    a: last.postedAt,
    b: last.createdAt,
    d: last.id,
    e: lastAlloc?.[0] ?? null,
    f: lastAlloc?.[1] ?? null,
    g: JSON.stringify(saved),
  });
}

/** A checkpoint as parsed: its states built once, frozen (they are shared by every open that reuses them). */
interface Parsed {
  nonce: string;
  saved: Omit<Saved, 'payments' | 'charges'>;
  payments: ReadonlyMap<string, PaymentState>;
  charges: ReadonlyMap<string, ChargeState>;
  /** The balance's unapplied credit when nothing came after the checkpoint (as `foldFromCheckpoint` sums it). */
  unappliedCreditCents: number;
}
/** Accounts whose parsed checkpoint is kept, per database: the few a desk has open at once. */
export const PARSED_KEPT = 8;
const parsedByDb = new WeakMap<Db, Map<string, Parsed>>();

/**
 * The checkpoint's parsed state when the stored row carries `nonce`: from memory if the same save was
 * parsed before, otherwise read whole, parsed and kept (least recently used out).
 */
function parsedCheckpoint(store: Store, account: { c: string; p: string }, nonce: string): Parsed | null {
  let kept = parsedByDb.get(store.db);
  if (!kept) {
    kept = new Map();
    parsedByDb.set(store.db, kept);
  }
  const key = `${account.c}/${account.p}`;
  const hit = kept.get(key);
  if (hit && hit.nonce === nonce) {
    kept.delete(key);
    kept.set(key, hit);
    return hit;
  }
  const text = (statements(store).readState.get(account) as [string] | undefined)?.[0];
  if (!text) return null;
  const { payments, charges, ...saved } = JSON.parse(text) as Saved;
  if (saved.v !== FORMAT || saved.n !== nonce) return null;
  let unapplied = 0;
  for (const p of payments) unapplied += p[6];
  for (const r of saved.unlinkedRefunds) unapplied -= r[2];
  const parsed: Parsed = {
    nonce,
    saved,
    payments: new Map(payments.map((p) => [p[0], savedPayment(p)])),
    charges: new Map(charges.map((c) => [c[0], savedCharge(c)])),
    unappliedCreditCents: unapplied,
  };
  kept.delete(key);
  kept.set(key, parsed);
  while (kept.size > PARSED_KEPT) kept.delete(kept.keys().next().value!);
  return parsed;
}

/** Drops every parsed checkpoint kept for this database (tests; the kept ones stay correct without it). */
export function forgetParsedCheckpoints(store: Store): void {
  parsedByDb.delete(store.db);
}

/**
 * The fold from the account's checkpoint and the rows after it, or null when there is no usable checkpoint
 * or more than `TAIL_LIMIT` rows came after it (the caller folds the whole account and saves a new one).
 * Must run inside a read transaction (the checkpoint and the tail from one snapshot). The maps returned are
 * read-only: with nothing after the checkpoint they are the parsed checkpoint's own.
 */
export function foldFromCheckpoint(store: Store, patientId: string): FoldSummary | null {
  const clinicId = store.requireClinicId();
  const q = statements(store);
  const account = { c: clinicId, p: patientId };
  const row = q.read.get(account) as
    [string, string, string, string | null, string | null, string] | undefined;
  if (!row || !row[5].startsWith(NONCE_AT)) return null;
  const parsed = parsedCheckpoint(store, account, row[5].slice(NONCE_AT.length));
  if (!parsed) return null;
  const saved = parsed.saved;
  const tail = rowsOf(
    q.tailEntries,
    { ...account, a: row[0], b: row[1], d: row[2], e: TAIL_LIMIT + 1 },
    refoldEntry,
  );
  if (tail.length > TAIL_LIMIT) return null;
  const tailAllocs = rowsOf(
    q.tailAllocations,
    { ...account, a: row[3], b: row[4], d: TAIL_LIMIT - tail.length + 1 },
    refoldAllocation,
  );
  if (tail.length + tailAllocs.length > TAIL_LIMIT) return null;
  if (!tail.length && !tailAllocs.length)
    return {
      balances: {
        totalCents: saved.patientCents + saved.insuranceCents,
        patientCents: saved.patientCents,
        insuranceCents: saved.insuranceCents,
        unappliedCreditCents: parsed.unappliedCreditCents,
      },
      charges: parsed.charges,
      payments: parsed.payments,
      totalEntries: saved.entries,
    };

  const tailById = new Map(tail.map((e) => [e.id, e]));
  // The entries the tail's reversals undo, where they are older than the tail.
  const wanted = new Set<string>();
  for (const e of tail)
    if (e.reversesEntryId && !tailById.has(e.reversesEntryId)) wanted.add(e.reversesEntryId);
  const known = new Map<string, EntryLike>(tailById);
  if (wanted.size)
    for (const e of rowsOf(q.entriesById, { ...account, ids: JSON.stringify([...wanted]) }, refoldEntry))
      known.set(e.id, e);

  // The charges and payments the tail touches: its own, what its entries apply to, what its reversals undo
  // (and what that applied to), both sides of its allocations, and both sides of an older un-allocation
  // whose allocation has now arrived.
  const touched = new Set<string>();
  const touch = (id: string | null | undefined) => id && touched.add(id);
  for (const e of tail) {
    if (e.kind === 'charge' || e.kind === 'payment') touch(e.id);
    touch(e.appliesToEntryId);
    if (e.reversesEntryId) {
      touch(e.reversesEntryId);
      touch(known.get(e.reversesEntryId)?.appliesToEntryId);
    }
  }
  const tailAllocIds = new Set<string>();
  for (const a of tailAllocs) {
    tailAllocIds.add(a.id);
    touch(a.paymentEntryId);
    touch(a.chargeEntryId);
  }
  for (const [allocation, payment, charge] of saved.pendingUnallocations)
    if (tailAllocIds.has(allocation)) {
      touch(payment);
      touch(charge);
    }
  const again = touched.size ? refold(store, clinicId, patientId, touched) : null;

  // Balances: the saved ones, plus the tail's effects, plus older reversals whose entry has now arrived.
  const balance = { patient: saved.patientCents, insurance: saved.insuranceCents };
  const add = (e: EntryLike) => {
    const x = effectOf(e, known);
    balance.patient += x.patient;
    balance.insurance += x.insurance;
  };
  for (const e of tail) add(e);
  const undone = new Set<string>();
  for (const e of tail) if (e.reversesEntryId) undone.add(e.reversesEntryId);
  for (const [reversal, target] of saved.pendingReversals)
    if (tailById.has(target)) {
      undone.add(target);
      add({
        id: reversal,
        kind: 'reversal',
        responsibility: 'patient',
        amountCents: 0,
        transferFrom: null,
        reversesEntryId: target,
        appliesToEntryId: null,
        postedAt: '',
      });
    }

  // A touched item takes its state from the refold (the refold's other items are partial); the rest keep
  // the checkpoint's (shared, frozen) states, in the checkpoint's order.
  const payments = new Map<string, PaymentState>(parsed.payments);
  if (again)
    for (const id of touched) {
      const p = again.payments.get(id);
      if (p && parsed.payments.has(id)) payments.set(id, p);
    }
  for (const e of tail) if (e.kind === 'payment') payments.set(e.id, again!.payments.get(e.id)!);
  const charges = new Map<string, ChargeState>(parsed.charges);
  for (const id of touched) charges.delete(id);
  if (again) for (const id of touched) if (again.charges.has(id)) charges.set(id, again.charges.get(id)!);

  // Refunds not tied to a payment here draw on the credit as a whole (as in `ledgerState`).
  let unlinked = 0;
  const isPayment = (id: string | null) => !!id && payments.has(id);
  for (const [refund, target, amount] of saved.unlinkedRefunds)
    if (!undone.has(refund) && !isPayment(target)) unlinked += amount;
  for (const e of tail)
    if (e.kind === 'refund' && !undone.has(e.id) && !isPayment(e.appliesToEntryId)) unlinked += e.amountCents;
  let unapplied = 0;
  for (const p of payments.values()) unapplied += p.unappliedCents;
  return {
    balances: {
      totalCents: balance.patient + balance.insurance,
      patientCents: balance.patient,
      insuranceCents: balance.insurance,
      unappliedCreditCents: unapplied - unlinked,
    },
    charges,
    payments,
    totalEntries: saved.entries + tail.length,
  };
}

/** A saved state and its entry, frozen: one object serves every open of the same checkpoint. */
const frozen = <T extends { entry: object }>(state: T): T => {
  Object.freeze(state.entry);
  return Object.freeze(state);
};

// Literals of one fixed shape, no spreading: thousands are built when a checkpoint is parsed (a spread of a
// constant cost about ten times as much, most of a whole open, in a profile).
const savedPayment = (p: SavedPayment): PaymentState =>
  frozen({
    entry: {
      id: p[0],
      kind: 'payment',
      responsibility: p[5],
      amountCents: p[4],
      transferFrom: null,
      reversesEntryId: null,
      appliesToEntryId: null,
      postedAt: p[1],
      method: p[2],
      checkNumber: p[3],
    } as EntryLike,
    // Applied and refunded are not kept: the first view shows what is left (a touched payment is refolded).
    allocatedCents: 0,
    refundedCents: 0,
    unappliedCents: p[6],
    refundableCents: p[7],
    reversed: false,
  });

const savedCharge = (c: SavedCharge): ChargeState =>
  frozen({
    entry: {
      id: c[0],
      kind: 'charge',
      responsibility: c[4],
      amountCents: c[3],
      transferFrom: null,
      reversesEntryId: null,
      appliesToEntryId: null,
      postedAt: c[1],
      serviceDate: c[2],
      encounterId: c[8],
      memo: c[9],
    } as EntryLike,
    allocatedCents: 0,
    adjustedCents: 0,
    openCents: c[5],
    patientOpenCents: c[6],
    insuranceOpenCents: c[7],
    reversed: false,
  });

/**
 * The charges and payments `ids` folded from their own rows: themselves, the entries that apply to them,
 * the reversals of those, their allocations (with the allocations their un-allocations undo, and the
 * payments whose responsibility decides which part of a charge a payment reduces). `ledgerState` over
 * these gives each of them the state it has in the whole account's fold; the other items in it are
 * partial and not used.
 */
function refold(store: Store, clinicId: string, patientId: string, ids: ReadonlySet<string>): LedgerState {
  const q = statements(store);
  const account = { c: clinicId, p: patientId };
  const entries = new Map<string, RefoldEntry>();
  const add = (rows: RefoldEntry[]) => {
    for (const e of rows) entries.set(e.id, e);
  };
  const json = (xs: Iterable<string>) => JSON.stringify([...xs]);
  add(rowsOf(q.entriesById, { ...account, ids: json(ids) }, refoldEntry));
  add(rowsOf(q.appliedTo, { ...account, ids: json(ids) }, refoldEntry));
  add(rowsOf(q.reversalsOf, { ...account, ids: json(entries.keys()) }, refoldEntry));
  const allocations = new Map<string, RefoldAllocation>();
  for (const a of rowsOf(q.allocationsOf, { ...account, ids: json(ids) }, refoldAllocation))
    allocations.set(a.id, a);
  const undone = [...allocations.values()]
    .map((a) => a.reversesAllocationId)
    .filter((id): id is string => !!id && !allocations.has(id));
  if (undone.length)
    for (const a of rowsOf(q.allocationsById, { ...account, ids: json(undone) }, refoldAllocation))
      allocations.set(a.id, a);
  const payers = new Set<string>();
  for (const a of allocations.values()) if (!entries.has(a.paymentEntryId)) payers.add(a.paymentEntryId);
  if (payers.size) add(rowsOf(q.entriesById, { ...account, ids: json(payers) }, refoldEntry));
  return ledgerState([...entries.values()], [...allocations.values()]);
}
