import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { todayIn } from '../../../contracts/calendar';
import type {
  AccountEntry,
  ApplyCredit,
  Credit,
  DueToday,
  LedgerAllocation,
  OpenCharge,
  PatientAccount,
  PaymentList,
  PostAdjustment,
  PostCharge,
  PostingResult,
  PostPayment,
  PostRefund,
  PostTransfer,
} from '../../../contracts/billing/ledger';
import {
  type accountQuerySchema,
  type allocationRequestSchema,
  applyCreditSchema,
  postAdjustmentSchema,
  postChargeSchema,
  postPaymentSchema,
  postRefundSchema,
  postTransferSchema,
} from '../../../contracts/billing/ledger';
import {
  allocateOldestFirst,
  allocateProportional,
  oldestFirst,
  type AllocationPlan,
} from '../../../domain/billing/allocation';
import {
  totalEffectOf,
  ledgerState,
  openChargesOf,
  type ChargeState,
  type EntryLike,
  type LedgerState,
  type PaymentState,
} from '../../../domain/billing/balances';
import { AppError, notFound } from '../../../platform/errors';
import { appointments, ledgerEntries, patients, users } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { resolvePatient } from '../patients/patient-core';
import { toPatientSummary } from '../patients/patient-rows';
import { getClinicInfo } from '../settings/clinic-info';
import {
  accountFoldRows,
  accountNewestPage,
  accountNewestRows,
  allocationsTouching,
  reversalsOf,
  allocationsByIds,
  accountRows,
  entriesByIds,
  requireLedgerPatient,
  toAllocation,
  toEntry,
  withAccount,
  type Account,
  type AllocationRow,
  type EntryRow,
  type FoldAllocation,
  type FoldEntry,
} from './ledger';
import { foldFromCheckpoint, saveCheckpoint } from './fold-checkpoint';

/**
 * The patient account as the Billing screens use it: open it (ledger with running balance, open charges,
 * credits, allocations), and post payments, adjustments, write-offs, refunds, transfers, reversals and
 * allocations. Every posting goes through the ledger's Account (services/billing/ledger.ts) in one write
 * transaction, audited; opening an account is audited as `ledger.read`.
 */

const userNames = (store: Store, ids: Iterable<string | null>) => {
  const wanted = [...new Set([...ids].filter((x): x is string => !!x && x !== 'central' && x !== 'system'))];
  const rows = wanted.length
    ? store.orm
        .select({ id: users.id, name: users.fullName })
        .from(users)
        .where(inArray(users.id, wanted))
        .all()
    : [];
  const map = new Map(rows.map((r) => [r.id, r.name]));
  return (id: string | null) =>
    id === 'central'
      ? 'Card processor'
      : id === 'system'
        ? 'System'
        : id
          ? (map.get(id) ?? 'Former staff')
          : '';
};

const fullName = (p: { legalFirstName: string; legalLastName: string; firstNameToUse: string | null }) =>
  `${p.legalLastName}, ${p.firstNameToUse || p.legalFirstName}`;

/**
 * The view of a state that is frozen, i.e. shared by every open of the same fold checkpoint
 * (fold-checkpoint.ts): built once and frozen too, so opening a large account does not build its ~2,000
 * credits and open charges again each time (their allocation was the open's garbage-collection cost).
 */
function sharedView<S extends object, V extends object>(memo: WeakMap<S, V>, state: S, build: () => V): V {
  if (!Object.isFrozen(state)) return build();
  let v = memo.get(state);
  if (!v) {
    v = Object.freeze(build());
    memo.set(state, v);
  }
  return v;
}
const openChargeViews = new WeakMap<ChargeState, OpenCharge>();
const creditViews = new WeakMap<PaymentState, Credit>();

/** The open charges, oldest first; `full` holds their whole rows when the state was folded from fold rows. */
function openChargesView(
  state: Pick<LedgerState, 'charges'> | { charges: ReadonlyMap<string, ChargeState> },
  full?: ReadonlyMap<string, EntryRow>,
): OpenCharge[] {
  const open: ChargeState[] = [];
  for (const c of state.charges.values()) if (c.openCents > 0) open.push(c);
  return oldestFirst(open.map(chargeRef)).map(({ c }) =>
    full?.has(c.entry.id)
      ? openChargeView(c, full.get(c.entry.id)!)
      : sharedView(openChargeViews, c, () => openChargeView(c, c.entry as EntryRow)),
  );
}
/** What `oldestFirst` orders by, beside the state. */
const chargeRef = (c: ChargeState) => ({
  c,
  entryId: c.entry.id,
  openCents: c.openCents,
  serviceDate: c.entry.serviceDate ?? null,
  postedAt: c.entry.postedAt,
});
const openChargeView = (c: ChargeState, whole: Pick<EntryRow, 'encounterId' | 'memo'>): OpenCharge => ({
  entryId: c.entry.id,
  serviceDate: c.entry.serviceDate ?? null,
  postedAt: c.entry.postedAt,
  amountCents: c.entry.amountCents,
  openCents: c.openCents,
  patientOpenCents: Math.max(0, c.patientOpenCents),
  insuranceOpenCents: Math.max(0, c.insuranceOpenCents),
  responsibility: c.entry.responsibility,
  encounterId: whole.encounterId ?? null,
  memo: whole.memo ?? '',
});

/**
 * The whole account view; `query` filters the entries shown (the running balance is the whole account's).
 * Folded from every entry's fold columns; whole rows are read only for the entries shown and the open
 * charges, unless `whole` already holds every row (no page limit: every entry is shown).
 */
function accountView(
  store: Store,
  patientId: string,
  rows: { entries: FoldEntry[]; allocations: (FoldAllocation | AllocationRow)[] },
  state: LedgerState,
  query: ReturnType<typeof accountQuerySchema.parse>,
  /** Whole rows already read: every entry (no page limit), or the page of the first view. */
  whole?: readonly EntryRow[],
  /** `rows.allocations` are whole rows (read without a page limit). */
  wholeAllocations = false,
): Omit<PatientAccount, 'patient'> {
  const byId = state.byId;
  // Running balances over the whole account, in posting order; the filters then pick rows, and only the
  // rows shown are built into objects (an account may hold thousands of entries).
  const n = rows.entries.length;
  const effects = new Array<number>(n);
  const runningAt = new Array<number>(n);
  let running = 0;
  for (let i = 0; i < n; i++) {
    const effect = totalEffectOf(rows.entries[i]!, byId);
    running += effect;
    effects[i] = effect;
    runningAt[i] = running;
  }
  const day = (e: FoldEntry) => e.serviceDate ?? e.postedAt.slice(0, 10);
  const kinds = query.kind ? new Set(query.kind) : null;
  const matching: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = rows.entries[i]!;
    if (
      (!query.from || day(e) >= query.from) &&
      (!query.to || day(e) <= query.to) &&
      (!kinds || kinds.has(e.kind)) &&
      (!query.responsibility ||
        e.responsibility === query.responsibility ||
        e.transferFrom === query.responsibility) &&
      (!query.hideReversed || (!state.reversedBy.has(e.id) && e.kind !== 'reversal'))
    )
      matching.push(i);
  }
  const shown = query.limit && matching.length > query.limit ? matching.slice(-query.limit) : matching;
  // Whole rows of the entries shown and the open charges: those already read, the rest by id.
  const full = new Map<string, EntryRow>();
  if (whole) for (const e of whole) full.set(e.id, e);
  const missing: string[] = [];
  for (const i of shown) if (!full.has(rows.entries[i]!.id)) missing.push(rows.entries[i]!.id);
  for (const c of state.charges.values())
    if (c.openCents > 0 && !full.has(c.entry.id)) missing.push(c.entry.id);
  if (missing.length) for (const [id, e] of entriesByIds(store, patientId, missing)) full.set(id, e);
  const users = new Set<string | null>();
  for (const i of shown) {
    const e = full.get(rows.entries[i]!.id)!;
    users.add(e.postedBy);
    users.add(e.providerUserId);
  }
  const names = userNames(store, users);
  const entries: AccountEntry[] = shown.map((i) => {
    const e = full.get(rows.entries[i]!.id)!;
    const c = state.charges.get(e.id);
    const p = state.payments.get(e.id);
    return viewEntry(
      e,
      effects[i]!,
      runningAt[i]!,
      state.reversedBy.get(e.id) ?? null,
      c ? c.openCents : p ? p.unappliedCents : null,
      names,
    );
  });
  const shownIds = new Set(entries.map((e) => e.id));
  const touching = rows.allocations.filter(
    (a) => shownIds.has(a.paymentEntryId) || shownIds.has(a.chargeEntryId),
  );
  // Whole allocation rows for those shown (the fold read only what it needs of each).
  const allocations = (
    wholeAllocations
      ? (touching as AllocationRow[])
      : allocationsByIds(
          store,
          patientId,
          touching.map((a) => a.id),
        )
  ).map((a) => viewAllocation(a, state.allocationReversedBy.get(a.id) ?? null));
  return {
    patientId,
    balances: state.balances,
    entries,
    totalEntries: n,
    matchingEntries: matching.length,
    openCharges: openChargesView(state, full),
    credits: creditsOf(state.payments.values()),
    allocations,
  };
}

const viewAllocation = (
  a: AllocationRow,
  reversedBy: string | null,
): LedgerAllocation & {
  reversedByAllocationId: string | null;
} => ({ ...toAllocation(a), reversedByAllocationId: reversedBy });

/** Every payment with money left to apply or refund, in posting order. */
const creditsOf = (payments: Iterable<PaymentState>): PatientAccount['credits'] => {
  const out: PatientAccount['credits'] = [];
  for (const p of payments) {
    if (p.reversed || (p.unappliedCents <= 0 && p.refundableCents <= 0)) continue;
    out.push(sharedView(creditViews, p, () => creditOf(p)));
  }
  return out;
};
const creditOf = (p: PaymentState): Credit => {
  const e = p.entry as FoldEntry;
  return {
    entryId: e.id,
    postedAt: e.postedAt,
    method: e.method,
    checkNumber: e.checkNumber,
    amountCents: e.amountCents,
    unappliedCents: p.unappliedCents,
    refundableCents: p.refundableCents,
  };
};

/** One entry as the screen lists it. */
function viewEntry(
  e: EntryRow,
  effectCents: number,
  runningBalanceCents: number,
  reversedByEntryId: string | null,
  openCents: number | null,
  names: (id: string | null) => string,
): AccountEntry {
  // Built field by field (not by spreading the row): a literal with a fixed shape is several times
  // cheaper than spreading a 22-field row into a 28-field object.
  return {
    id: e.id,
    clinicId: e.clinicId,
    patientId: e.patientId,
    kind: e.kind,
    responsibility: e.responsibility,
    amountCents: e.amountCents,
    transferFrom: e.transferFrom,
    reversesEntryId: e.reversesEntryId,
    appliesToEntryId: e.appliesToEntryId,
    encounterId: e.encounterId,
    appointmentId: e.appointmentId,
    chargeLineId: e.chargeLineId,
    serviceDate: e.serviceDate,
    providerUserId: e.providerUserId,
    locationId: e.locationId,
    method: e.method,
    checkNumber: e.checkNumber,
    externalRef: e.externalRef,
    memo: e.memo,
    postedAt: e.postedAt,
    postedBy: e.postedBy,
    createdAt: e.createdAt,
    effectCents,
    runningBalanceCents,
    reversedByEntryId,
    openCents,
    postedByName: names(e.postedBy),
    providerName: e.providerUserId ? names(e.providerUserId) : null,
  };
}
type AccountQuery = ReturnType<typeof accountQuerySchema.parse>;
const isFirstView = (q: AccountQuery) => !q.from && !q.to && !q.kind && !q.responsibility && !q.hideReversed;
type AccountView = Omit<PatientAccount, 'patient'>;

/**
 * The first view (no filter, the newest `query.limit` entries) from a fold of the whole account, each entry
 * read once (the page whole); `save` stores the fold as the account's checkpoint (inside a write).
 */
export function foldedFirstView(
  store: Store,
  patientId: string,
  query: AccountQuery,
  save = false,
): AccountView {
  const rows = accountNewestRows(store, patientId, query.limit!);
  const state = ledgerState(rows.entries, rows.allocations, { ordered: true });
  const view = accountView(store, patientId, rows, state, query, rows.page);
  const last = rows.page[rows.page.length - 1];
  if (save && last)
    saveCheckpoint(
      store,
      patientId,
      rows.entries,
      rows.allocations,
      state,
      last,
      new Map(view.openCharges.map((c) => [c.entryId, c])),
    );
  return view;
}

/**
 * The first view from the account's fold checkpoint (fold-checkpoint.ts) and the rows after it: only the
 * page is read whole, and no entry before it except the few the page's reversals undo. Null when there is
 * no usable checkpoint. Equal to `foldedFirstView` (ledger-properties.test.ts; `ledger verify`).
 */
export function checkpointView(store: Store, patientId: string, limit: number): AccountView | null {
  const fold = foldFromCheckpoint(store, patientId);
  if (!fold) return null;
  const page = accountNewestPage(store, patientId, limit);
  const ids = page.map((e) => e.id);
  const byId = new Map<string, EntryLike>(page.map((e) => [e.id, e]));
  const undone = page.filter((e) => e.reversesEntryId && !byId.has(e.reversesEntryId));
  if (undone.length)
    for (const [id, e] of entriesByIds(
      store,
      patientId,
      undone.map((e) => e.reversesEntryId!),
    ))
      byId.set(id, e);
  // Running balances walked back from the total: the page is the newest entries.
  const effects = page.map((e) => totalEffectOf(e, byId));
  const running = new Array<number>(page.length);
  let total = fold.balances.totalCents;
  for (let i = page.length - 1; i >= 0; i--) {
    running[i] = total;
    total -= effects[i]!;
  }
  const reversedBy = reversalsOf(store, patientId, ids);
  const users = new Set<string | null>();
  for (const e of page) {
    users.add(e.postedBy);
    users.add(e.providerUserId);
  }
  const names = userNames(store, users);
  const entries = page.map((e, i) =>
    viewEntry(
      e,
      effects[i]!,
      running[i]!,
      reversedBy.get(e.id) ?? null,
      e.kind === 'charge'
        ? (fold.charges.get(e.id)?.openCents ?? 0)
        : e.kind === 'payment'
          ? (fold.payments.get(e.id)?.unappliedCents ?? 0)
          : null,
      names,
    ),
  );
  const touching = allocationsTouching(store, patientId, ids);
  // A charge folded again from its rows carries no visit or memo: their whole rows, by id.
  const bare: string[] = [];
  for (const c of fold.charges.values()) if (c.openCents > 0 && !('memo' in c.entry)) bare.push(c.entry.id);
  return {
    patientId,
    balances: fold.balances,
    entries,
    totalEntries: fold.totalEntries,
    matchingEntries: fold.totalEntries,
    openCharges: openChargesView(fold, bare.length ? entriesByIds(store, patientId, bare) : undefined),
    credits: creditsOf(fold.payments.values()),
    allocations: touching.allocations.map((a) => viewAllocation(a, touching.reversedBy.get(a.id) ?? null)),
  };
}

/** Opens a patient's account (a merged-away id opens the surviving record's), audited as ledger.read. */
export function openAccount(
  store: Store,
  actor: Actor,
  patientId: string,
  query: ReturnType<typeof accountQuerySchema.parse>,
  /** A live refresh of a screen already open: not a new view, so not audited again. */
  background = false,
): PatientAccount {
  const patient = resolvePatient(store, patientId);
  if (!patient) throw notFound('That patient record');
  // One read transaction: the fold rows and the whole rows shown come from the same snapshot.
  // The first view (no filter, the newest 500) comes from the account's fold checkpoint and the rows after
  // it. A filtered page folds the fold columns (in posting order from the index, so not sorted again) and
  // reads whole rows of the page; without a limit every row is shown, so every row is read whole in one
  // pass instead.
  const view =
    query.limit && isFirstView(query)
      ? (store.db.transaction(() => checkpointView(store, patient.id, query.limit!))() ??
        // No checkpoint yet, or too much after it: fold the whole account and save a new checkpoint, in one
        // write transaction so nothing arrives between the read and the save.
        store.write(actor, () => foldedFirstView(store, patient.id, query, true)))
      : store.db.transaction(() => {
          if (!query.limit) {
            const rows = accountRows(store, patient.id);
            const state = ledgerState(rows.entries, rows.allocations);
            return accountView(store, patient.id, rows, state, query, rows.entries, true);
          }
          const rows = accountFoldRows(store, patient.id, !!(query.from || query.to));
          const state = ledgerState(rows.entries, rows.allocations, { ordered: true });
          return accountView(store, patient.id, rows, state, query);
        })();
  if (!background)
    store.audit(actor, {
      action: 'ledger.read',
      patientId: patient.id,
      detail: { entries: view.totalEntries },
    });
  return {
    ...view,
    patient: toPatientSummary(patient),
  };
}

const result = (r: {
  entries: EntryRow[];
  allocations: AllocationRow[];
  balances: PostingResult['balances'];
}): PostingResult => ({
  entries: r.entries.map(toEntry),
  allocations: r.allocations.map(toAllocation),
  balances: r.balances,
});

/** Works out the lines for an allocation request against what is open now. */
function planFor(
  account: Account,
  availableCents: number,
  request: ReturnType<typeof allocationRequestSchema.parse>,
): AllocationPlan {
  const open = openChargesOf(account.state);
  switch (request.mode) {
    case 'none':
      return { lines: [], unappliedCents: availableCents };
    case 'oldest_first':
      return allocateOldestFirst(availableCents, open);
    case 'proportional':
      return allocateProportional(availableCents, open);
    case 'explicit':
      return { lines: request.lines, unappliedCents: 0 };
  }
}

/** A charge not from a visit (no-show fee, records fee). */
export function postCharge(store: Store, actor: Actor, patientId: string, raw: PostCharge): PostingResult {
  const body = postChargeSchema.parse(raw);
  if (body.appointmentId) requireAppointmentOf(store, patientId, body.appointmentId);
  return result(
    withAccount(store, actor, patientId, (account) =>
      account.post({
        patientId,
        kind: 'charge',
        responsibility: body.responsibility,
        amountCents: body.amountCents,
        serviceDate: body.serviceDate,
        appointmentId: body.appointmentId ?? null,
        memo: body.memo,
      }),
    ),
  );
}

/** Cash, check or a recorded card payment; applied to charges as asked (oldest first by default). */
export function postPayment(store: Store, actor: Actor, patientId: string, raw: PostPayment): PostingResult {
  const body = postPaymentSchema.parse(raw);
  if (body.appointmentId) requireAppointmentOf(store, patientId, body.appointmentId);
  return result(
    withAccount(store, actor, patientId, (account) => {
      // The plan depends only on what is open, so it is made first and recorded in the payment's audit entry.
      const plan = planFor(account, body.amountCents, body.allocation);
      const payment = account.post(
        {
          patientId,
          kind: 'payment',
          responsibility: body.responsibility,
          amountCents: body.amountCents,
          method: body.method,
          checkNumber: body.method === 'check' ? body.checkNumber : null,
          encounterId: body.encounterId ?? null,
          appointmentId: body.appointmentId ?? null,
          memo: body.memo,
        },
        {
          allocation: body.allocation.mode,
          appliedCents: plan.lines.reduce((a, l) => a + l.amountCents, 0),
          charges: plan.lines.length,
        },
      );
      account.allocate(payment.id, plan.lines, false);
      return payment;
    }),
  );
}

function requireAppointmentOf(store: Store, patientId: string, appointmentId: string) {
  const row = store.orm
    .select({ patientId: appointments.patientId })
    .from(appointments)
    .where(and(eq(appointments.id, appointmentId), eq(appointments.clinicId, store.requireClinicId())))
    .get();
  if (!row || row.patientId !== patientId)
    throw new AppError(400, 'invalid_input', 'That appointment is not this patient’s.', {
      appointmentId: 'That appointment is not this patient’s.',
    });
}

/**
 * An adjustment or write-off: on one charge, or spread over the open charges of that responsibility
 * oldest first (one entry per charge). Never more than is open.
 */
export function postAdjustment(
  store: Store,
  actor: Actor,
  patientId: string,
  kind: 'adjustment' | 'write_off',
  raw: PostAdjustment,
): PostingResult {
  const body = postAdjustmentSchema.parse(raw);
  return result(
    withAccount(store, actor, patientId, (account) => {
      const base = { patientId, kind, responsibility: body.responsibility, memo: body.memo };
      if (body.chargeEntryId) {
        return [
          account.post({ ...base, amountCents: body.amountCents, appliesToEntryId: body.chargeEntryId }),
        ];
      }
      const open = openChargesOf(account.state).map((c) => ({
        ...c,
        openCents: Math.min(
          c.openCents,
          body.responsibility === 'patient' ? c.patientOpenCents : c.insuranceOpenCents,
        ),
      }));
      const plan = allocateOldestFirst(body.amountCents, open);
      if (plan.unappliedCents > 0) {
        const what = kind === 'write_off' ? 'write-off' : 'adjustment';
        const message = `The ${what} is more than the ${body.responsibility} owes on open charges.`;
        throw new AppError(400, 'invalid_input', message, { amountCents: message });
      }
      return plan.lines.map((l) =>
        account.post({ ...base, amountCents: l.amountCents, appliesToEntryId: l.chargeEntryId }),
      );
    }),
  );
}

/**
 * A refund from a payment. It draws on the payment's unapplied credit; with `unapplyIfNeeded`, what is
 * short is first taken back from the charges the payment was applied to (newest allocation first).
 */
export function postRefund(store: Store, actor: Actor, patientId: string, raw: PostRefund): PostingResult {
  const body = postRefundSchema.parse(raw);
  if (body.method === 'card')
    throw new AppError(
      400,
      'invalid_input',
      'Card refunds go back to the card through the card processor; use Refund to card.',
      { method: 'Card refunds go back to the card through the card processor; use Refund to card.' },
    );
  return result(
    withAccount(store, actor, patientId, (account) => {
      const p = account.state.payments.get(body.paymentEntryId);
      if (p && !p.reversed && body.unapplyIfNeeded && body.amountCents <= p.refundableCents) {
        let short = body.amountCents - Math.min(p.unappliedCents, account.balances.unappliedCreditCents);
        for (const a of account.liveAllocations((x) => x.paymentEntryId === body.paymentEntryId)) {
          if (short <= 0) break;
          account.unallocate(a.id);
          const reapply = a.amountCents - short;
          // Take back only what is needed: re-apply the rest of that allocation.
          if (reapply > 0)
            account.allocate(a.paymentEntryId, [{ chargeEntryId: a.chargeEntryId, amountCents: reapply }]);
          short -= a.amountCents;
        }
      }
      return account.post({
        patientId,
        kind: 'refund',
        responsibility: p?.entry.responsibility ?? 'patient',
        amountCents: body.amountCents,
        method: body.method,
        checkNumber: body.method === 'check' ? body.checkNumber : null,
        appliesToEntryId: body.paymentEntryId,
        memo: body.memo,
      });
    }),
  );
}

export function postTransfer(
  store: Store,
  actor: Actor,
  patientId: string,
  raw: PostTransfer,
): PostingResult {
  const body = postTransferSchema.parse(raw);
  return result(
    withAccount(store, actor, patientId, (account) =>
      account.post({
        patientId,
        kind: 'transfer',
        responsibility: body.to,
        transferFrom: body.from,
        amountCents: body.amountCents,
        appliesToEntryId: body.chargeEntryId ?? null,
        memo: body.memo,
      }),
    ),
  );
}

/** What a reversal of this entry needs beyond billing.post (undoing a refund or a write-off). */
export function reversalPermission(store: Store, patientId: string, entryId: string) {
  const e = store.orm
    .select({ kind: ledgerEntries.kind, patientId: ledgerEntries.patientId })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.id, entryId), eq(ledgerEntries.clinicId, store.requireClinicId())))
    .get();
  if (!e || e.patientId !== patientId) throw notFound('That ledger entry');
  return e.kind === 'refund' ? 'billing.refund' : e.kind === 'write_off' ? 'billing.writeoff' : null;
}

/**
 * Reverses an entry with a new entry: a charge or a payment first has its allocations undone (the money
 * becomes unapplied credit, or the charge open again), in the same transaction.
 */
export function reverseEntry(
  store: Store,
  actor: Actor,
  patientId: string,
  entryId: string,
  reason: string,
): PostingResult {
  return result(
    withAccount(store, actor, patientId, (account) => {
      const t = account.entry(entryId);
      if (!t) throw notFound('That ledger entry');
      if (t.kind === 'charge' || t.kind === 'payment') {
        const field = t.kind === 'charge' ? 'chargeEntryId' : 'paymentEntryId';
        for (const a of account.liveAllocations((x) => x[field] === entryId)) account.unallocate(a.id);
      }
      return account.post({
        patientId,
        kind: 'reversal',
        responsibility: t.responsibility,
        amountCents: t.amountCents,
        reversesEntryId: t.id,
        memo: reason,
      });
    }),
  );
}

/** Applies unapplied credit: of one payment, or of every payment with credit (oldest payment first). */
export function applyCredit(store: Store, actor: Actor, patientId: string, raw: ApplyCredit): PostingResult {
  const body = applyCreditSchema.parse(raw);
  return result(withAccount(store, actor, patientId, (account) => applyCreditIn(account, body)));
}

function applyCreditIn(
  account: Account,
  body: ReturnType<typeof applyCreditSchema.parse>,
): LedgerAllocation[] {
  const payments = [...account.state.payments.values()]
    .filter((p) => !p.reversed && p.unappliedCents > 0)
    .filter((p) => !body.paymentEntryId || p.entry.id === body.paymentEntryId)
    .sort((a, b) => a.entry.postedAt.localeCompare(b.entry.postedAt) || a.entry.id.localeCompare(b.entry.id));
  if (body.paymentEntryId && !payments.length)
    throw new AppError(409, 'ledger_rule', 'That payment has nothing left to apply.');
  if (body.allocation.mode === 'explicit') {
    const p = payments[0];
    if (!p) throw new AppError(409, 'ledger_rule', 'There is no unapplied credit on this account.');
    return account.allocate(p.entry.id, body.allocation.lines).map(toAllocation);
  }
  const out: LedgerAllocation[] = [];
  for (const p of payments) {
    const available = Math.min(p.unappliedCents, account.balances.unappliedCreditCents);
    if (available <= 0) break;
    const plan = planFor(account, available, body.allocation);
    out.push(...account.allocate(p.entry.id, plan.lines).map(toAllocation));
  }
  return out;
}

export function unallocate(
  store: Store,
  actor: Actor,
  patientId: string,
  allocationId: string,
): PostingResult {
  return result(withAccount(store, actor, patientId, (account) => account.unallocate(allocationId)));
}

/** The UTC instants bounding a clinic-local calendar day. */
function dayBounds(date: string, zone: string): [string, string] {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return [start.toUTC().toISO()!, start.plus({ days: 1 }).toUTC().toISO()!];
}

/**
 * What is due today for a visit: the copay recorded at check-in less what was paid against the appointment
 * today, and the patient's balance. Checkout collects `dueNowCents` (editable).
 */
export function dueToday(store: Store, patientId: string, appointmentId: string | undefined): DueToday {
  requireLedgerPatient(store, patientId);
  const { timeZone } = getClinicInfo(store);
  const today = todayIn(timeZone, store.now());
  const [from, to] = dayBounds(today, timeZone);
  let copay: number | null = null;
  if (appointmentId) {
    requireAppointmentOf(store, patientId, appointmentId);
    copay =
      store.orm
        .select({ copay: appointments.copayDueCents })
        .from(appointments)
        .where(eq(appointments.id, appointmentId))
        .get()?.copay ?? null;
  }
  const rows = accountRows(store, patientId);
  const state = ledgerState(rows.entries, rows.allocations);
  const paymentsToday = rows.entries.filter(
    (e) =>
      e.kind === 'payment' &&
      e.postedAt >= from &&
      e.postedAt < to &&
      !state.reversedBy.has(e.id) &&
      (!appointmentId || e.appointmentId === appointmentId),
  );
  const paidToday = paymentsToday.reduce((a, e) => a + e.amountCents, 0);
  const b = state.balances;
  const copayLeft = Math.max(0, (copay ?? 0) - paidToday);
  // The copay is owed even before the visit's charges are posted; once they are, it is part of the balance.
  const owed = Math.max(0, b.patientCents);
  const dueNow = Math.max(copayLeft, owed);
  const chargesToday = openChargesView(state).filter(
    (c) => c.serviceDate === today || (!c.serviceDate && c.postedAt >= from && c.postedAt < to),
  );
  return {
    patientId,
    appointmentId: appointmentId ?? null,
    copayDueCents: copay,
    paidTodayCents: paidToday,
    patientBalanceCents: b.patientCents,
    unappliedCreditCents: b.unappliedCreditCents,
    dueNowCents: dueNow,
    chargesToday,
    paymentsToday: paymentsToday.map(toEntry),
  };
}

/** Payments posted on a clinic-local day, with who posted them and totals by method. */
export function paymentsOn(
  store: Store,
  actor: Actor,
  date: string | undefined,
  background = false,
): PaymentList {
  const { timeZone } = getClinicInfo(store);
  const day = date ?? todayIn(timeZone, store.now());
  const [from, to] = dayBounds(day, timeZone);
  const clinicId = store.requireClinicId();
  const rows = store.orm
    .select({ e: ledgerEntries, p: patients })
    .from(ledgerEntries)
    .innerJoin(patients, eq(patients.id, ledgerEntries.patientId))
    .where(
      and(
        eq(ledgerEntries.clinicId, clinicId),
        gte(ledgerEntries.postedAt, from),
        lt(ledgerEntries.postedAt, to),
        inArray(ledgerEntries.kind, ['payment', 'refund', 'reversal']),
      ),
    )
    .orderBy(asc(ledgerEntries.postedAt))
    .all();
  const reversed = new Set(rows.filter((r) => r.e.kind === 'reversal').map((r) => r.e.reversesEntryId));
  const names = userNames(
    store,
    rows.map((r) => r.e.postedBy),
  );
  const payments = rows
    .filter((r) => r.e.kind === 'payment')
    .map((r) => ({
      ...toEntry(r.e),
      patientName: fullName(r.p),
      mrn: r.p.mrn,
      postedByName: names(r.e.postedBy),
      reversed: reversed.has(r.e.id),
    }));
  const totalsByMethod: Record<string, number> = {};
  for (const p of payments) {
    if (p.reversed) continue;
    const m = p.method ?? 'other';
    totalsByMethod[m] = (totalsByMethod[m] ?? 0) + p.amountCents;
  }
  if (!background)
    store.audit(actor, {
      action: 'ledger.read',
      detail: { list: 'payments', date: day, count: payments.length },
    });
  return { date: day, payments, totalsByMethod };
}

export { applyCreditIn };
