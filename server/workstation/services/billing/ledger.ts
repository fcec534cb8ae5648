import { and, eq, sql } from 'drizzle-orm';
import { uuidv7 } from '../../../platform/ids';
import { z } from 'zod';
import {
  CENTRAL_POSTER,
  newLedgerEntrySchema,
  type AllocationLine,
  type Balances,
  type LedgerAllocation,
  type LedgerEntry,
  type NewLedgerEntry,
  type NewLedgerEntryParsed,
} from '../../../contracts/billing/ledger';
import { checkExplicitLines } from '../../../domain/billing/allocation';
import { ledgerState, openChargesOf, type LedgerState } from '../../../domain/billing/balances';
import { AppError, notFound } from '../../../platform/errors';
import { type ledgerAllocations, ledgerEntries, patients } from '../../db/schema';
import { prepared as preparedQuery } from '../../db/prepared';
import type { Actor, Store, Writer } from '../../db/store';

/**
 * The one way entries are added to the ledger on the workstation (charges posted from visits by the fees
 * area, payments, adjustments, write-offs, refunds, transfers, reversals, and allocations). Each call
 * checks the rules against the patient's account as it stands (inside the write transaction, so two
 * postings cannot both spend the same credit), writes every row through `Store.write` (outbox and audit in
 * the same transaction) and answers what it wrote. Rows written by central (card payments from Stripe
 * webhooks) arrive by replication instead and are checked by `ledger verify` like every other row.
 */

export type EntryRow = typeof ledgerEntries.$inferSelect;
export type AllocationRow = typeof ledgerAllocations.$inferSelect;

const refuse = (message: string, field?: string) =>
  new AppError(
    field ? 400 : 409,
    field ? 'invalid_input' : 'ledger_rule',
    message,
    field ? { [field]: message } : undefined,
  );

/** Rows of one patient's account, in posting order. */
export function accountRows(
  store: Store,
  patientId: string,
): { entries: EntryRow[]; allocations: AllocationRow[] } {
  const clinicId = store.requireClinicId();
  const q = statements(store);
  // Rows as arrays, mapped into one fixed shape: for an account of thousands of entries this halves the
  // read (better-sqlite3 builds each row object key by key; a literal of a fixed shape is cheap).
  return {
    entries: (q.entries.all([clinicId, patientId]) as unknown[][]).map(entryFromArray),
    allocations: (q.allocations.all([clinicId, patientId]) as unknown[][]).map(allocationFromArray),
  };
}

/**
 * What folding an account needs of each entry: balances, what is open per charge and left per payment,
 * and what the screen lists beside the ledger (open charges by date, credits by payment). Opening a
 * 5,000-entry account spends most of its time turning SQLite values into JavaScript values (and collecting
 * them again), so the screen reads only these, in posting order from the index, and the whole row only for
 * the entries it shows (`entriesByIds`). Dates are read for charges and payments only (`postedAt` is ''
 * on the others) unless the screen filters by date; method and check number for payments only.
 */
export type FoldEntry = Pick<
  EntryRow,
  | 'id'
  | 'kind'
  | 'responsibility'
  | 'amountCents'
  | 'transferFrom'
  | 'reversesEntryId'
  | 'appliesToEntryId'
  | 'serviceDate'
  | 'postedAt'
  | 'method'
  | 'checkNumber'
>;
/** What folding needs of an allocation (in the order they were made); whole rows by id for those shown. */
export type FoldAllocation = Pick<
  AllocationRow,
  'id' | 'paymentEntryId' | 'chargeEntryId' | 'amountCents' | 'reversesAllocationId'
>;

/**
 * One patient's account as the fold needs it: entries in posting order and allocations in the order they
 * were made (both as the indexes give them, so `ledgerState` is told they are ordered). `everyDate` reads
 * every entry's dates (the screen's date filter needs them).
 */
export function accountFoldRows(
  store: Store,
  patientId: string,
  everyDate = false,
): { entries: FoldEntry[]; allocations: FoldAllocation[] } {
  const clinicId = store.requireClinicId();
  const q = statements(store);
  const entries = (
    (everyDate ? q.foldEntriesDated : q.foldEntries).all([clinicId, patientId]) as unknown[][]
  ).map(foldEntryFromArray);
  return { entries, allocations: foldAllocations(store, clinicId, patientId) };
}

const foldEntryFromArray = (r: unknown[]): FoldEntry => ({
  id: r[0] as string,
  kind: r[1] as EntryRow['kind'],
  responsibility: r[2] as EntryRow['responsibility'],
  amountCents: r[3] as number,
  transferFrom: r[4] as EntryRow['transferFrom'],
  reversesEntryId: r[5] as string | null,
  appliesToEntryId: r[6] as string | null,
  serviceDate: r[7] as string | null,
  postedAt: (r[8] as string | null) ?? '',
  method: r[9] as EntryRow['method'],
  checkNumber: r[10] as string | null,
});

function foldAllocations(store: Store, clinicId: string, patientId: string): FoldAllocation[] {
  return (statements(store).foldAllocations.all([clinicId, patientId]) as unknown[][]).map(
    (r): FoldAllocation => ({
      id: r[0] as string,
      paymentEntryId: r[1] as string,
      chargeEntryId: r[2] as string,
      amountCents: r[3] as number,
      reversesAllocationId: r[4] as string | null,
    }),
  );
}

/**
 * The account as the screen first opens it (no filter, the newest `limit` entries shown), each entry read
 * once: the newest `limit` whole (newest first from the index, with LIMIT), then only the fold columns of
 * the older ones (the index range before the oldest of those). `entries` is every entry in posting order
 * (the newest `limit` as whole rows), `page` the whole rows, oldest first. Replaces a fold read of every
 * entry plus primary-key lookups of the page's rows.
 */
export function accountNewestRows(
  store: Store,
  patientId: string,
  limit: number,
): { entries: (FoldEntry | EntryRow)[]; allocations: FoldAllocation[]; page: EntryRow[] } {
  const clinicId = store.requireClinicId();
  const q = statements(store);
  const page = (q.newest.all([clinicId, patientId, limit]) as unknown[][]).map(entryFromArray).reverse();
  const first = page[0];
  const older =
    first && page.length === limit
      ? (
          q.foldEntriesBefore.all([
            clinicId,
            patientId,
            first.postedAt,
            first.createdAt,
            first.id,
          ]) as unknown[][]
        ).map(foldEntryFromArray)
      : [];
  const entries: (FoldEntry | EntryRow)[] = older;
  for (const e of page) entries.push(e);
  return { entries, allocations: foldAllocations(store, clinicId, patientId), page };
}

/** The newest `limit` entries of an account, whole, oldest first (the screen's first page). */
export function accountNewestPage(store: Store, patientId: string, limit: number): EntryRow[] {
  const rows = statements(store).newest.all([store.requireClinicId(), patientId, limit]) as unknown[][];
  return rows.map(entryFromArray).reverse();
}

/**
 * Whole rows of the allocations from or to any of `entryIds` (by the payment and charge indexes), in the
 * order they were made, and which un-allocation undoes each (by the index on what an un-allocation undoes).
 */
export function allocationsTouching(
  store: Store,
  patientId: string,
  entryIds: readonly string[],
): { allocations: AllocationRow[]; reversedBy: Map<string, string> } {
  const q = statements(store);
  const account = { c: store.requireClinicId(), p: patientId };
  const allocations = (
    q.allocationsTouching.all({ ...account, ids: JSON.stringify(entryIds) }) as unknown[][]
  ).map(allocationFromArray);
  const reversedBy = new Map<string, string>();
  if (allocations.length)
    for (const [target, id] of q.unallocationsOf.all({
      ...account,
      ids: JSON.stringify(allocations.map((a) => a.id)),
    }) as [string, string][])
      reversedBy.set(target, id);
  return { allocations, reversedBy };
}

/** Which reversal on the account undoes each of `entryIds` (by the unique index on what a reversal undoes). */
export function reversalsOf(
  store: Store,
  patientId: string,
  entryIds: readonly string[],
): Map<string, string> {
  const rows = statements(store).reversalsOf.all({
    c: store.requireClinicId(),
    p: patientId,
    ids: JSON.stringify(entryIds),
  }) as [string, string][];
  return new Map(rows);
}

/** Whole rows of some of a patient's allocations, by id (primary-key lookups), in the order they were made. */
export function allocationsByIds(store: Store, patientId: string, ids: readonly string[]): AllocationRow[] {
  if (!ids.length) return [];
  const rows = statements(store).allocationsByIds.all([
    store.requireClinicId(),
    patientId,
    JSON.stringify(ids),
  ]);
  return (rows as unknown[][]).map(allocationFromArray);
}

/** Whole rows of some of a patient's entries, by id (primary-key lookups). */
export function entriesByIds(store: Store, patientId: string, ids: readonly string[]): Map<string, EntryRow> {
  const out = new Map<string, EntryRow>();
  if (!ids.length) return out;
  const rows = statements(store).byIds.all([store.requireClinicId(), patientId, JSON.stringify(ids)]);
  for (const r of rows as unknown[][]) {
    const e = entryFromArray(r);
    out.set(e.id, e);
  }
  return out;
}

/** Columns as SQLite returns them (snake_case). */
export interface RawEntry {
  id: string;
  clinic_id: string;
  patient_id: string;
  kind: EntryRow['kind'];
  responsibility: EntryRow['responsibility'];
  amount_cents: number;
  transfer_from: EntryRow['transferFrom'];
  reverses_entry_id: string | null;
  applies_to_entry_id: string | null;
  encounter_id: string | null;
  appointment_id: string | null;
  charge_line_id: string | null;
  service_date: string | null;
  provider_user_id: string | null;
  location_id: string | null;
  method: EntryRow['method'];
  check_number: string | null;
  external_ref: string | null;
  memo: string;
  posted_at: string;
  posted_by: string;
  created_at: string;
}
export interface RawAllocation {
  id: string;
  clinic_id: string;
  patient_id: string;
  payment_entry_id: string;
  charge_entry_id: string;
  amount_cents: number;
  reverses_allocation_id: string | null;
  created_at: string;
  created_by: string;
}

/** A row read with plain SQL, as drizzle would map it (one fixed shape: accounts hold thousands). */
export const entryFromSql = (r: RawEntry): EntryRow => ({
  id: r.id,
  clinicId: r.clinic_id,
  patientId: r.patient_id,
  kind: r.kind,
  responsibility: r.responsibility,
  amountCents: r.amount_cents,
  transferFrom: r.transfer_from,
  reversesEntryId: r.reverses_entry_id,
  appliesToEntryId: r.applies_to_entry_id,
  encounterId: r.encounter_id,
  appointmentId: r.appointment_id,
  chargeLineId: r.charge_line_id,
  serviceDate: r.service_date,
  providerUserId: r.provider_user_id,
  locationId: r.location_id,
  method: r.method,
  checkNumber: r.check_number,
  externalRef: r.external_ref,
  memo: r.memo,
  postedAt: r.posted_at,
  postedBy: r.posted_by,
  createdAt: r.created_at,
});
export const allocationFromSql = (r: RawAllocation): AllocationRow => ({
  id: r.id,
  clinicId: r.clinic_id,
  patientId: r.patient_id,
  paymentEntryId: r.payment_entry_id,
  chargeEntryId: r.charge_entry_id,
  amountCents: r.amount_cents,
  reversesAllocationId: r.reverses_allocation_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const ENTRY_COLUMNS =
  'id, clinic_id, patient_id, kind, responsibility, amount_cents, transfer_from, reverses_entry_id, applies_to_entry_id, ' +
  'encounter_id, appointment_id, charge_line_id, service_date, provider_user_id, location_id, method, check_number, ' +
  'external_ref, memo, posted_at, posted_by, created_at';
const ALLOCATION_COLUMNS =
  'id, clinic_id, patient_id, payment_entry_id, charge_entry_id, amount_cents, reverses_allocation_id, created_at, created_by';

/** A row of ENTRY_COLUMNS read as an array. */
const entryFromArray = (r: unknown[]): EntryRow => ({
  id: r[0] as string,
  clinicId: r[1] as string,
  patientId: r[2] as string,
  kind: r[3] as EntryRow['kind'],
  responsibility: r[4] as EntryRow['responsibility'],
  amountCents: r[5] as number,
  transferFrom: r[6] as EntryRow['transferFrom'],
  reversesEntryId: r[7] as string | null,
  appliesToEntryId: r[8] as string | null,
  encounterId: r[9] as string | null,
  appointmentId: r[10] as string | null,
  chargeLineId: r[11] as string | null,
  serviceDate: r[12] as string | null,
  providerUserId: r[13] as string | null,
  locationId: r[14] as string | null,
  method: r[15] as EntryRow['method'],
  checkNumber: r[16] as string | null,
  externalRef: r[17] as string | null,
  memo: r[18] as string,
  postedAt: r[19] as string,
  postedBy: r[20] as string,
  createdAt: r[21] as string,
});
/** A row of ALLOCATION_COLUMNS read as an array. */
const allocationFromArray = (r: unknown[]): AllocationRow => ({
  id: r[0] as string,
  clinicId: r[1] as string,
  patientId: r[2] as string,
  paymentEntryId: r[3] as string,
  chargeEntryId: r[4] as string,
  amountCents: r[5] as number,
  reversesAllocationId: r[6] as string | null,
  createdAt: r[7] as string,
  createdBy: r[8] as string,
});

type Statement = ReturnType<Store['db']['prepare']>;
const prepared = new WeakMap<
  Store['db'],
  Record<
    | 'entries'
    | 'allocations'
    | 'foldEntries'
    | 'foldEntriesDated'
    | 'foldAllocations'
    | 'newest'
    | 'foldEntriesBefore'
    | 'allocationsByIds'
    | 'allocationsTouching'
    | 'unallocationsOf'
    | 'reversalsOf'
    | 'byIds',
    Statement
  >
>();
function statements(store: Store) {
  let s = prepared.get(store.db);
  if (!s) {
    s = {
      entries: store.db
        .prepare(
          `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE clinic_id = ? AND patient_id = ? ORDER BY posted_at, created_at, id`,
        )
        .raw(),
      allocations: store.db
        .prepare(
          `SELECT ${ALLOCATION_COLUMNS} FROM ledger_allocations WHERE clinic_id = ? AND patient_id = ? ORDER BY created_at, id`,
        )
        .raw(),
      // Dates of charges and payments only, method and check number of payments only: a NULL costs
      // nothing to hand over, a string is a new JavaScript value.
      foldEntries: store.db
        .prepare(
          `SELECT id, kind, responsibility, amount_cents, transfer_from, reverses_entry_id, applies_to_entry_id,
                  CASE WHEN kind = 'charge' THEN service_date END,
                  CASE WHEN kind IN ('charge', 'payment') THEN posted_at END,
                  CASE WHEN kind = 'payment' THEN method END, CASE WHEN kind = 'payment' THEN check_number END
             FROM ledger_entries WHERE clinic_id = ? AND patient_id = ? ORDER BY posted_at, created_at, id`,
        )
        .raw(),
      // The screen's first view: the newest entries whole (the index walked backwards), then the fold
      // columns of those before the oldest of them (a row-value range on the same index).
      newest: store.db
        .prepare(
          `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE clinic_id = ? AND patient_id = ?
            ORDER BY posted_at DESC, created_at DESC, id DESC LIMIT ?`,
        )
        .raw(),
      foldEntriesBefore: store.db
        .prepare(
          `SELECT id, kind, responsibility, amount_cents, transfer_from, reverses_entry_id, applies_to_entry_id,
                  CASE WHEN kind = 'charge' THEN service_date END,
                  CASE WHEN kind IN ('charge', 'payment') THEN posted_at END,
                  CASE WHEN kind = 'payment' THEN method END, CASE WHEN kind = 'payment' THEN check_number END
             FROM ledger_entries WHERE clinic_id = ? AND patient_id = ? AND (posted_at, created_at, id) < (?, ?, ?)
            ORDER BY posted_at, created_at, id`,
        )
        .raw(),
      foldEntriesDated: store.db
        .prepare(
          `SELECT id, kind, responsibility, amount_cents, transfer_from, reverses_entry_id, applies_to_entry_id, service_date, posted_at,
                  CASE WHEN kind = 'payment' THEN method END, CASE WHEN kind = 'payment' THEN check_number END
             FROM ledger_entries WHERE clinic_id = ? AND patient_id = ? ORDER BY posted_at, created_at, id`,
        )
        .raw(),
      foldAllocations: store.db
        .prepare(
          `SELECT id, payment_entry_id, charge_entry_id, amount_cents, reverses_allocation_id
             FROM ledger_allocations WHERE clinic_id = ? AND patient_id = ? ORDER BY created_at, id`,
        )
        .raw(),
      allocationsByIds: store.db
        .prepare(
          `SELECT ${ALLOCATION_COLUMNS} FROM ledger_allocations
            WHERE +clinic_id = ? AND +patient_id = ? AND id IN (SELECT value FROM json_each(?))
            ORDER BY created_at, id`,
        )
        .raw(),
      allocationsTouching: store.db
        .prepare(
          `SELECT ${ALLOCATION_COLUMNS} FROM ledger_allocations
            WHERE +clinic_id = @c AND +patient_id = @p AND id IN (
              SELECT id FROM ledger_allocations WHERE payment_entry_id IN (SELECT value FROM json_each(@ids))
              UNION SELECT id FROM ledger_allocations WHERE charge_entry_id IN (SELECT value FROM json_each(@ids)))
            ORDER BY created_at, id`,
        )
        .raw(),
      unallocationsOf: store.db
        .prepare(
          `SELECT reverses_allocation_id, id FROM ledger_allocations
            WHERE reverses_allocation_id IN (SELECT value FROM json_each(@ids)) AND +clinic_id = @c AND +patient_id = @p
            ORDER BY created_at, id`,
        )
        .raw(),
      reversalsOf: store.db
        .prepare(
          `SELECT reverses_entry_id, id FROM ledger_entries
            WHERE reverses_entry_id IN (SELECT value FROM json_each(@ids)) AND +clinic_id = @c AND +patient_id = @p
              AND kind = 'reversal'
            ORDER BY posted_at, created_at, id`,
        )
        .raw(),
      // `+clinic_id`, `+patient_id`: looked up by primary key, not by walking the account's index.
      byIds: store.db
        .prepare(
          `SELECT ${ENTRY_COLUMNS} FROM ledger_entries
            WHERE +clinic_id = ? AND +patient_id = ? AND id IN (SELECT value FROM json_each(?))`,
        )
        .raw(),
    };
    prepared.set(store.db, s);
  }
  return s;
}

/** The live, unmerged patient the ledger may post to; 404 / 409 otherwise. */
export function requireLedgerPatient(store: Store, patientId: string) {
  // Prepared once: every posting asks (building and preparing the query cost more than running it).
  const row = preparedQuery(store, 'ledger-patient', (orm) =>
    orm
      .select({ id: patients.id, deletedAt: patients.deletedAt, mergedIntoId: patients.mergedIntoId })
      .from(patients)
      .where(and(eq(patients.id, sql.placeholder('id')), eq(patients.clinicId, sql.placeholder('clinicId'))))
      .prepare(),
  ).get({ id: patientId, clinicId: store.requireClinicId() });
  if (!row || (row.deletedAt && !row.mergedIntoId)) throw notFound('That patient record');
  if (row.mergedIntoId)
    throw new AppError(
      409,
      'patient_merged',
      'This record was merged into another one. Open the patient again and post to that account.',
    );
  return row;
}

export const toEntry = (r: EntryRow): LedgerEntry => ({ ...r });
export const toAllocation = (r: AllocationRow): LedgerAllocation => ({ ...r });

/**
 * A patient's account inside a write transaction: rows loaded once, every posting checked against the
 * state they fold to, and appended to it (so a later posting in the same call sees the earlier ones).
 */
export class Account {
  readonly entries: EntryRow[];
  readonly allocations: AllocationRow[];
  readonly written: { entries: EntryRow[]; allocations: AllocationRow[] } = { entries: [], allocations: [] };
  #state: LedgerState | null = null;

  constructor(
    private readonly w: Writer,
    private readonly store: Store,
    readonly patientId: string,
  ) {
    const rows = accountRows(store, patientId);
    this.entries = rows.entries;
    this.allocations = rows.allocations;
  }

  get state(): LedgerState {
    this.#state ??= ledgerState(this.entries, this.allocations);
    return this.#state;
  }

  get balances(): Balances {
    return this.state.balances;
  }

  entry(id: string): EntryRow | undefined {
    return this.entries.find((e) => e.id === id);
  }

  #poster(): string {
    return this.w.actor.userId ?? 'system';
  }

  /** Checks one entry against the account and appends it. `e` is already shape-checked. */
  /**
   * `auditDetail` adds to the entry's audit record (a payment's allocation, so one payment is one audit
   * entry however it is applied).
   */
  post(
    e: NewLedgerEntryParsed,
    auditDetail: Record<string, unknown> = {},
    /** False when the caller records this entry in an audit entry of its own (an ERA claim's postings). */
    audit = true,
  ): EntryRow {
    if (e.patientId !== this.patientId) throw new Error('An account posts to its own patient only.');
    const s = this.state;
    const b = s.balances;
    const target = e.appliesToEntryId ? this.entry(e.appliesToEntryId) : undefined;
    if (e.appliesToEntryId && !target)
      throw refuse('The entry it applies to is not on this account.', 'appliesToEntryId');
    switch (e.kind) {
      case 'charge':
      case 'payment':
        break;
      case 'adjustment':
      case 'write_off': {
        const what = e.kind === 'write_off' ? 'write-off' : 'adjustment';
        if (target) {
          const c = s.charges.get(target.id);
          if (!c || c.reversed)
            throw refuse(`An ${what} applies to a charge that stands.`, 'appliesToEntryId');
          if (e.amountCents > c.openCents)
            throw refuse(`The ${what} is more than is open on the charge.`, 'amountCents');
        } else if (
          e.amountCents > Math.max(0, b[e.responsibility === 'patient' ? 'patientCents' : 'insuranceCents'])
        ) {
          throw refuse(`The ${what} is more than the ${e.responsibility} balance.`, 'amountCents');
        }
        break;
      }
      case 'refund': {
        if (!target) throw refuse('Choose the payment to refund.', 'appliesToEntryId');
        const p = s.payments.get(target.id);
        if (!p || p.reversed) throw refuse('Only a payment that stands can be refunded.', 'appliesToEntryId');
        if (e.amountCents > p.refundableCents)
          throw refuse(
            'A refund cannot be more than was paid (less what was already refunded).',
            'amountCents',
          );
        if (e.amountCents > p.unappliedCents || e.amountCents > b.unappliedCreditCents)
          throw refuse(
            'That much of the payment is applied to charges. Unapply it first, or refund less.',
            'amountCents',
          );
        break;
      }
      case 'transfer': {
        const from = e.transferFrom!;
        if (target) {
          const c = s.charges.get(target.id);
          if (!c || c.reversed)
            throw refuse('A transfer applies to a charge that stands.', 'appliesToEntryId');
          const open = from === 'patient' ? c.patientOpenCents : c.insuranceOpenCents;
          if (e.amountCents > open)
            throw refuse(`The transfer is more than the ${from} owes on the charge.`, 'amountCents');
        } else if (e.amountCents > Math.max(0, from === 'patient' ? b.patientCents : b.insuranceCents)) {
          throw refuse(`The transfer is more than the ${from} balance.`, 'amountCents');
        }
        break;
      }
      case 'reversal': {
        const t = this.entry(e.reversesEntryId!);
        if (!t) throw refuse('The entry to reverse is not on this account.', 'reversesEntryId');
        if (t.kind === 'reversal')
          throw refuse('A reversal cannot be reversed; post the entry again instead.');
        if (s.reversedBy.has(t.id)) throw refuse('That entry is already reversed.');
        if (e.amountCents !== t.amountCents)
          throw refuse('A reversal is for the whole amount of the entry it reverses.', 'amountCents');
        if (e.responsibility !== t.responsibility)
          throw refuse('A reversal keeps the responsibility of the entry it reverses.', 'responsibility');
        if (t.kind === 'charge') {
          const c = s.charges.get(t.id)!;
          if (c.allocatedCents) throw refuse('Payments are applied to this charge. Unapply them first.');
          if (c.adjustedCents)
            throw refuse('Adjustments or write-offs apply to this charge. Reverse them first.');
        }
        if (t.kind === 'payment') {
          const p = s.payments.get(t.id)!;
          if (p.allocatedCents) throw refuse('This payment is applied to charges. Unapply it first.');
          if (p.refundedCents) throw refuse('Part of this payment was refunded. Reverse the refund first.');
        }
        if (t.kind === 'refund' && t.postedBy === CENTRAL_POSTER && t.method === 'card')
          throw refuse('A card refund was made by the card processor and cannot be reversed here.');
        if (t.kind === 'payment' && t.postedBy === CENTRAL_POSTER && t.method === 'card')
          throw refuse('A card payment is returned with a refund, not reversed.');
        break;
      }
    }
    const now = this.store.nowIso();
    const row: EntryRow = {
      id: uuidv7(),
      clinicId: this.store.requireClinicId(),
      patientId: this.patientId,
      kind: e.kind,
      responsibility: e.responsibility,
      amountCents: e.amountCents,
      transferFrom: e.transferFrom ?? null,
      reversesEntryId: e.reversesEntryId ?? null,
      appliesToEntryId: e.appliesToEntryId ?? null,
      encounterId: e.encounterId ?? null,
      appointmentId: e.appointmentId ?? null,
      chargeLineId: e.chargeLineId ?? null,
      serviceDate: e.serviceDate ?? null,
      providerUserId: e.providerUserId ?? null,
      locationId: e.locationId ?? null,
      method: e.method ?? null,
      checkNumber: e.checkNumber ?? null,
      externalRef: e.externalRef ?? null,
      memo: e.memo,
      postedAt: e.postedAt ? new Date(e.postedAt).toISOString() : now,
      postedBy: this.#poster(),
      createdAt: now,
    };
    if (row.externalRef && this.#externalRefTaken(row.externalRef))
      throw refuse('An entry with that reference is already posted.', 'externalRef');
    this.w.insert('ledger_entries', row);
    if (audit)
      this.w.audit({
        action: 'ledger.post',
        patientId: this.patientId,
        detail: {
          entryId: row.id,
          kind: row.kind,
          amountCents: row.amountCents,
          ...(row.method && { method: row.method }),
          ...(row.reversesEntryId && { reverses: row.reversesEntryId }),
          ...(row.appliesToEntryId && { appliesTo: row.appliesToEntryId }),
          ...auditDetail,
        },
      });
    this.entries.push(row);
    this.written.entries.push(row);
    this.#state = null;
    return row;
  }

  #externalRefTaken(ref: string): boolean {
    return !!this.store.orm
      .select({ id: ledgerEntries.id })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.externalRef, ref))
      .get();
  }

  /** Applies part of a payment to charges (explicit lines, checked against what is open and unapplied). */
  allocate(
    paymentEntryId: string,
    lines: readonly AllocationLine[],
    /** False when the posting's own audit entry already records this allocation. */
    audit = true,
  ): AllocationRow[] {
    if (!lines.length) return [];
    const s = this.state;
    const p = s.payments.get(paymentEntryId);
    if (!p || p.reversed)
      throw refuse('Only a payment that stands can be applied to charges.', 'paymentEntryId');
    const available = Math.min(p.unappliedCents, s.balances.unappliedCreditCents);
    const problem = checkExplicitLines(lines, openChargesOf(s), available);
    if (problem) throw refuse(problem, 'lines');
    const now = this.store.nowIso();
    const rows = lines.map((l): AllocationRow => ({
      id: uuidv7(),
      clinicId: this.store.requireClinicId(),
      patientId: this.patientId,
      paymentEntryId,
      chargeEntryId: l.chargeEntryId,
      amountCents: l.amountCents,
      reversesAllocationId: null,
      createdAt: now,
      createdBy: this.#poster(),
    }));
    for (const row of rows) this.w.insert('ledger_allocations', row);
    if (audit)
      this.w.audit({
        action: 'ledger.allocate',
        patientId: this.patientId,
        detail: {
          paymentEntryId,
          charges: lines.length,
          amountCents: lines.reduce((a, l) => a + l.amountCents, 0),
        },
      });
    this.allocations.push(...rows);
    this.written.allocations.push(...rows);
    this.#state = null;
    return rows;
  }

  /** Undoes an allocation with a reversing allocation row: the money becomes unapplied credit again. */
  unallocate(allocationId: string): AllocationRow {
    const a = this.allocations.find((x) => x.id === allocationId);
    if (!a) throw notFound('That allocation');
    if (a.reversesAllocationId) throw refuse('That row already undoes an allocation.');
    if (this.state.allocationReversedBy.has(a.id)) throw refuse('That allocation is already undone.');
    const row: AllocationRow = {
      ...a,
      id: uuidv7(),
      reversesAllocationId: a.id,
      createdAt: this.store.nowIso(),
      createdBy: this.#poster(),
    };
    this.w.insert('ledger_allocations', row);
    this.w.audit({
      action: 'ledger.allocate',
      patientId: this.patientId,
      detail: { unallocated: a.id, paymentEntryId: a.paymentEntryId, amountCents: a.amountCents },
    });
    this.allocations.push(row);
    this.written.allocations.push(row);
    this.#state = null;
    return row;
  }

  /** Live allocations (not undone) of a payment or to a charge, newest first. */
  liveAllocations(filter: (a: AllocationRow) => boolean): AllocationRow[] {
    const undone = this.state.allocationReversedBy;
    return this.allocations
      .filter((a) => !a.reversesAllocationId && !undone.has(a.id) && filter(a))
      .reverse();
  }
}

/**
 * Runs `fn` on a patient's account inside one write transaction (nested in the caller's, if any) and
 * answers what was written and the balances after it.
 */
export function withAccount<T>(
  store: Store,
  actor: Actor,
  patientId: string,
  fn: (account: Account) => T,
): { result: T; entries: EntryRow[]; allocations: AllocationRow[]; balances: Balances } {
  requireLedgerPatient(store, patientId);
  return store.write(actor, (w) => {
    const account = new Account(w, store, patientId);
    const result = fn(account);
    return { result, ...account.written, balances: account.balances };
  });
}

const entriesSchema = z.array(newLedgerEntrySchema).min(1).max(1000);

/**
 * Post ledger entries: validates each (shape and rules against the account), writes them through
 * `Store.write` in one transaction (outbox + audit), and answers the stored rows. All entries of one call
 * may belong to different patients; they are checked in the order given, each seeing the ones before it.
 * Throws AppError (400 with the field, or 409 `ledger_rule`) and stores nothing when any entry is refused.
 */
export function postEntries(store: Store, actor: Actor, entries: readonly NewLedgerEntry[]): LedgerEntry[] {
  const parsed = entriesSchema.safeParse(entries);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[issue.path.length - 1] ?? 'entries');
    throw new AppError(400, 'invalid_input', issue.message, { [field]: issue.message });
  }
  for (const e of parsed.data) requireLedgerPatient(store, e.patientId);
  return store.write(actor, (w) => {
    const accounts = new Map<string, Account>();
    const out: EntryRow[] = [];
    for (const e of parsed.data) {
      let account = accounts.get(e.patientId);
      if (!account) accounts.set(e.patientId, (account = new Account(w, store, e.patientId)));
      out.push(account.post(e));
    }
    return out.map(toEntry);
  });
}
