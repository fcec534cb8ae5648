import { v7 as uuidv7 } from 'uuid';
import { ROW_MAX_DEPTH, type MutationStatus, type Row } from '../../../contracts/sync';
import { CENTRAL_ORIGIN, type ConflictRecord } from '../../../contracts/sync/rows';
import { mergeMutation, type StoredRow } from '../../../domain/sync/merge';
import { policyFor, type OverlapRule } from '../../../domain/sync/policies';
import { canonicalForeignRow, canonicalText, isWellFormedText } from '../../../domain/text/canonical-text';
import type { ColumnCipher } from '../../crypto';
import type { Tx } from '../../db/pool';
import { rewriteSlots, slotsOf } from './bookings';
import {
  centralOnlyProblem,
  CENTRALLY_MANAGED,
  isManager,
  STAFF_UNAPPROVED,
  staffApprovalProblem,
  staffWriteProblem,
} from './staff-guard';
import { parseStaffApproval } from '../../../domain/sync/staff-approval';
import { boundMfaCounter } from './mfa-counter';
import { loadRows, rowKey, rowsToSave, type RowState } from './row-store';
import { storeBatch } from './store-batch';
import { UniqueKeys } from './unique-keys';

/**
 * Applies mutations to a clinic's replica in central's receive order, inside the caller's transaction,
 * under the clinic row's lock (so change sequences commit in order and pulls never skip one). Each
 * mutation goes through its table's policy (domain/sync); what it overwrote or why it was refused becomes
 * a conflict record that replicates to every workstation's inbox.
 */

export interface ApplyInput {
  table: string;
  rowId: string;
  op: 'insert' | 'update' | 'delete';
  row: Row;
  changedFields: readonly string[] | null;
  seenSeq: number | null;
}

export interface ApplyResult {
  status: MutationStatus;
  reason?: string;
  message?: string;
  current?: Row | null;
}

export interface BatchContext {
  tx: Tx;
  cipher: ColumnCipher;
  clinicId: string;
  /** Device id, or CENTRAL_ORIGIN for administrators' changes. */
  origin: string;
  now: Date;
  /** Refuse every input with this reason (a mutation PostgreSQL could not store is still recorded). */
  refuse?: { reason: string; message: string };
  /**
   * The caller already holds the clinic row's lock (FOR UPDATE, with APPLY_PLAN_SETTINGS in the same
   * statement) and read its change_seq: one round trip fewer for a push.
   */
  locked?: { changeSeq: number };
  /** A push: the device's count of applied mutations, stored in the batch's one write statement. */
  device?: { id: string; lastMutationId: number; clockSkewMs: number | null };
}

/**
 * The settings applyBatch's statements need, as columns of the statement that locks the clinic row
 * (transaction-local): see applyBatch.
 */
export const APPLY_PLAN_SETTINGS = `set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`;

export interface BatchOutcome {
  results: ApplyResult[];
  head: number;
  /** Rows stored (for metrics). */
  stored: number;
}

const CONFLICTS = 'sync_conflicts';

type NewConflict = Omit<
  ConflictRecord,
  'id' | 'clinicId' | 'createdAt' | 'updatedAt' | 'resolvedAt' | 'resolvedBy' | 'resolution' | 'deletedAt'
>;
type AddConflict = (c: NewConflict) => void;

/**
 * Pushed text in the one canonical form (domain/text/canonical-text.ts): NFC, so every workstation pulls
 * the form its own writes store. A row with text that is not well-formed (a lone UTF-16 surrogate, which no
 * UTF-8 database can hold and which would be silently altered on the way in) is marked for refusal.
 */
function canonicalInputOf(m: ApplyInput): ApplyInput & { illFormed?: string[]; original?: Row } {
  if (tooDeep(m.row)) return m;
  const { row, illFormed } = canonicalForeignRow(m.row, ROW_MAX_DEPTH + 1);
  const rowOk = isWellFormedText(m.rowId) && isWellFormedText(m.table);
  return {
    ...m,
    rowId: canonicalText(m.rowId),
    row,
    ...(illFormed.length || !rowOk
      ? { illFormed: rowOk ? illFormed : ['id', ...illFormed], original: m.row }
      : {}),
  };
}

export async function applyBatch(ctx: BatchContext, received: readonly ApplyInput[]): Promise<BatchOutcome> {
  const { tx, clinicId, origin } = ctx;
  const inputs = received.map(canonicalInputOf);
  // Every later statement of the batch finds rows by key. Statistics lag behind a bulk load (a clinic's
  // first push, an initial upload of thousands of rows), and a planner that believes the replica is tiny
  // probes each key with a sequential scan: a push then costs as much as the clinic is large. Sequential
  // scans are ruled out for the rest of this transaction (set_config(…, true): transaction-local).
  let startSeq = ctx.locked?.changeSeq;
  if (startSeq === undefined) {
    const clinic = await tx.query<{ change_seq: number }>(
      `SELECT change_seq, ${APPLY_PLAN_SETTINGS} FROM clinics WHERE id = $1 FOR UPDATE`,
      [clinicId],
    );
    if (!clinic.rows[0]) throw new Error('clinic row not visible');
    startSeq = clinic.rows[0].change_seq;
  }
  let seq = startSeq;
  const nowIso = ctx.now.toISOString();

  // A row too deep to be ours is refused below (rowProblem) before anything reads its values.
  const keyed = inputs.filter(
    (m) => policyFor(m.table).direction === 'both' && !tooDeep(m.row) && !m.illFormed,
  );
  const keys = new Map<string, { table: string; rowId: string }>();
  for (const m of keyed) keys.set(rowKey(m.table, m.rowId), { table: m.table, rowId: m.rowId });
  // Staff changes from devices name their approving account: load it with the rest.
  for (const m of keyed) {
    const by = m.table === 'users' ? parseStaffApproval(m.row.changeApproval)?.by : undefined;
    if (by) keys.set(rowKey('users', by), { table: 'users', rowId: by });
  }
  const states = await loadRows(tx, ctx.cipher, clinicId, [...keys.values()]);
  const uniques = await UniqueKeys.load(
    tx,
    clinicId,
    keyed.map((m) => ({
      table: m.table,
      data: m.row,
      stored: states.get(rowKey(m.table, m.rowId))?.stored?.data ?? null,
    })),
  );

  // A new staff account without an approval is taken only while the clinic has nobody to approve it.
  const unapprovedNewStaff =
    origin !== CENTRAL_ORIGIN &&
    keyed.some(
      (m) =>
        m.table === 'users' &&
        !states.get(rowKey('users', m.rowId))?.stored &&
        !parseStaffApproval(m.row.changeApproval),
    );
  const managerAtCentral = unapprovedNewStaff ? await clinicHasManager(tx, clinicId) : false;

  const log: { table: string; rowId: string; data: Row }[] = [];
  const results: ApplyResult[] = [];
  const bookings = new Map<string, Set<string>>();

  const addConflict: AddConflict = (c) => {
    const id = uuidv7();
    const s = ++seq;
    const data: ConflictRecord = {
      id,
      clinicId,
      ...c,
      createdAt: nowIso,
      updatedAt: nowIso,
      resolvedAt: null,
      resolvedBy: null,
      resolution: null,
      deletedAt: null,
    };
    states.set(rowKey(CONFLICTS, id), {
      table: CONFLICTS,
      rowId: id,
      stored: { data, fieldStamps: {}, created: [s, CENTRAL_ORIGIN] },
      seq: s,
      dirty: true,
      inDb: false,
    });
  };

  const refuse = (m: ApplyInput, reason: string, message: string, current: Row | null) => {
    addConflict({
      kind: 'rejected',
      tableName: m.table,
      rowId: m.rowId,
      field: null,
      valueKept: null,
      // JSON text inside the JSON row: even a value PostgreSQL refused (a NUL character) is kept, escaped.
      // A row nested past any real row's shape is not kept (it may be too deep to even write out).
      valueLost: tooDeep(m.row) ? null : JSON.stringify(withoutSecrets(m.table, m.row)),
      reason,
      message,
      deviceId: origin === CENTRAL_ORIGIN ? null : origin,
      otherDeviceId: null,
    });
    results.push({
      status: 'rejected',
      reason,
      message,
      current: current && withoutSecretsIfConflict(m.table, current),
    });
  };

  for (const m of inputs) {
    if (ctx.refuse) {
      refuse(m, ctx.refuse.reason, ctx.refuse.message, null);
      continue;
    }
    const policy = policyFor(m.table);
    if (m.illFormed) {
      // The row as sent is kept in the inbox (JSON text escapes the broken characters, so nothing is lost).
      refuse(
        { ...m, row: m.original ?? m.row },
        'invalid_text',
        `This change carried text that is not valid Unicode (in ${m.illFormed.join(', ')}); central did not store it. Retype the text on the workstation and save again.`,
        null,
      );
      continue;
    }
    const problem = rowProblem(clinicId, m);
    if (problem) {
      refuse(m, 'wrong_row', problem, null);
      continue;
    }
    if (policy.direction === 'up') {
      log.push({ table: m.table, rowId: m.rowId, data: { ...m.row, clinicId } });
      results.push({ status: 'applied' });
      continue;
    }
    const state = states.get(rowKey(m.table, m.rowId))!;
    const managed =
      origin === CENTRAL_ORIGIN ? null : (centralOnlyProblem(m, state.stored) ?? staffWriteProblem(m, state.stored));
    if (managed) {
      refuse(m, CENTRALLY_MANAGED, managed, state.stored?.data ?? null);
      continue;
    }
    const unapproved =
      origin === CENTRAL_ORIGIN || m.table !== 'users'
        ? null
        : staffApprovalProblem(m, state.stored, {
            clinicId,
            account: (id) => states.get(rowKey('users', id))?.stored?.data ?? null,
            hasManager: () =>
              managerAtCentral ||
              [...states.values()].some((s) => s.table === 'users' && isManager(s.stored?.data)),
          });
    if (unapproved) {
      refuse(m, STAFF_UNAPPROVED, unapproved, state.stored?.data ?? null);
      continue;
    }
    const sent = m.op === 'delete' ? { ...m.row, deletedAt: m.row.deletedAt ?? nowIso } : m.row;
    const bounded = boundMfaCounter(m.table, state.stored, sent, ctx.now);
    const row = bounded.row;
    const outcome = mergeMutation(
      policy,
      bounded.stored,
      { op: m.op, row, changedFields: m.changedFields, seenSeq: m.seenSeq, origin },
      seq + 1,
    );
    if (outcome.status === 'rejected') {
      refuse(m, outcome.reason, outcome.message, state.stored?.data ?? null);
      continue;
    }
    if (outcome.next) {
      const clash = uniques.clash(m.table, m.rowId, outcome.next.data);
      if (clash) {
        refuse(
          m,
          'unique_taken',
          `Another record already uses this ${clash} (made on another workstation first). Choose a different one.`,
          state.stored?.data ?? null,
        );
        continue;
      }
      state.stored = outcome.next;
      state.seq = ++seq;
      state.dirty = true;
      uniques.take(m.table, m.rowId, outcome.next.data);
      if (policy.overlap) {
        let set = bookings.get(m.table);
        if (!set) bookings.set(m.table, (set = new Set()));
        set.add(m.rowId);
      }
    }
    for (const o of outcome.overwritten) {
      const secret = policy.encryptedFields.includes(o.field);
      addConflict({
        kind: 'overwritten',
        tableName: m.table,
        rowId: m.rowId,
        field: o.field,
        valueKept: secret ? null : JSON.stringify(o.value ?? null),
        valueLost: secret ? null : JSON.stringify(o.previous ?? null),
        reason: secret ? 'secret_overwritten' : 'concurrent_edit',
        message: secret
          ? 'This was changed on two workstations at about the same time; the later change applies.'
          : 'Changed on two workstations while they were out of touch; the later change (in the order central received them) was kept.',
        deviceId: o.previousOrigin === CENTRAL_ORIGIN ? null : o.previousOrigin,
        otherDeviceId: origin === CENTRAL_ORIGIN ? null : origin,
      });
    }
    results.push({ status: outcome.status });
  }

  for (const [table, ids] of bookings) {
    const rule = policyFor(table).overlap!;
    const flagged = await settleBookings(ctx, table, rule, ids, states, () => ++seq, addConflict);
    // A booking that is now double-booked was stored "merged": the sender's copy does not say so yet.
    inputs.forEach((m, i) => {
      if (m.table === table && flagged.has(m.rowId) && results[i]!.status === 'applied')
        results[i] = { status: 'merged' };
    });
  }

  const rows = rowsToSave(ctx.cipher, clinicId, states.values());
  await storeBatch(tx, {
    clinicId,
    rows,
    keys: uniques.writes(),
    log: {
      deviceId: origin === CENTRAL_ORIGIN ? null : origin,
      entries: log.map((l) => [l.table, l.rowId, l.data]),
    },
    head: seq !== startSeq ? seq : null,
    device: ctx.device ?? null,
  });
  const stored = rows.fresh.length + rows.stored.length;
  return { results, head: seq, stored };
}

async function clinicHasManager(tx: Tx, clinicId: string): Promise<boolean> {
  const r = await tx.query<{ data: Row }>(
    `SELECT data FROM replica_rows WHERE clinic_id = $1 AND table_name = 'users' AND data->>'deletedAt' IS NULL`,
    [clinicId],
  );
  return r.rows.some((row) => isManager(row.data));
}

/** Why a row may not be stored for this clinic (its clinic, or an id that is not its own), or null. */
function rowProblem(clinicId: string, m: ApplyInput): string | null {
  if (tooDeep(m.row))
    return 'This record is not in the shape of a Tessera record (its values nest too deeply).';
  const rowClinic = m.row.clinicId;
  const policy = policyFor(m.table);
  // Audit entries written before set-up finished carry an empty clinic; they belong to this device's clinic.
  const blankAllowed = policy.direction === 'up' && (rowClinic === '' || rowClinic === undefined);
  if (!blankAllowed && rowClinic !== clinicId) return 'This record belongs to another clinic.';
  if ('id' in m.row && m.row.id !== m.rowId) return 'The record id does not match.';
  if (!('id' in m.row) && !m.rowId.startsWith(`${clinicId}:`))
    return 'The record key does not match its clinic.';
  return null;
}

/** Whether a row's values nest deeper than ROW_MAX_DEPTH (checked without recursion, stopping early). */
function tooDeep(row: Row): boolean {
  let level: unknown[] = [row];
  for (let depth = 0; level.length; depth++) {
    if (depth > ROW_MAX_DEPTH) return true;
    const next: unknown[] = [];
    for (const v of level) {
      if (v === null || typeof v !== 'object') continue;
      for (const child of Object.values(v)) next.push(child);
    }
    level = next;
  }
  return false;
}

function withoutSecrets(table: string, row: Row): Row {
  const fields = policyFor(table).encryptedFields;
  if (!fields.length) return row;
  const out = { ...row };
  for (const f of fields) if (f in out) out[f] = null;
  return out;
}

/** The current row goes back to the device that owns a copy anyway; only conflict records drop secrets. */
const withoutSecretsIfConflict = (table: string, row: Row) =>
  table === CONFLICTS ? withoutSecrets(table, row) : row;

async function settleBookings(
  ctx: BatchContext,
  table: string,
  rule: OverlapRule,
  ids: Set<string>,
  states: Map<string, RowState>,
  nextSeq: () => number,
  addConflict: AddConflict,
): Promise<Set<string>> {
  const touched = [...ids].map((id) => slotsOf(rule, id, states.get(rowKey(table, id))!.stored!));
  const { after, before } = await rewriteSlots(ctx.tx, ctx.clinicId, table, touched);
  const missing = [...after.keys()]
    .filter((id) => !states.has(rowKey(table, id)))
    .map((rowId) => ({ table, rowId }));
  for (const [k, v] of await loadRows(ctx.tx, ctx.cipher, ctx.clinicId, missing)) states.set(k, v);

  const nowFlagged = new Set<string>();
  const unflagged: string[] = [];
  for (const [id, partners] of after) {
    const state = states.get(rowKey(table, id));
    if (!state?.stored) continue;
    const had = before.get(id) ?? new Set<string>();
    // Flag on a new overlap with a booking another workstation placed; clear when nothing overlaps.
    const gained = [...partners].filter(([p, cross]) => cross && !had.has(p)).map(([p]) => p);
    const flag =
      state.stored.data[rule.flaggedAtField] !== null && state.stored.data[rule.flaggedAtField] !== undefined;
    let want = flag;
    if (gained.length) want = true;
    else if (partners.size === 0) want = false;
    if (want !== flag || (want && gained.length)) {
      const s = nextSeq();
      // "With" names a booking another workstation placed (the newest overlap), so reception can find it.
      const other = gained[0] ?? null;
      state.stored = {
        ...state.stored,
        data: {
          ...state.stored.data,
          [rule.flaggedAtField]: want
            ? flag
              ? state.stored.data[rule.flaggedAtField]
              : ctx.now.toISOString()
            : null,
          [rule.flaggedWithField]: want ? other : null,
        },
        fieldStamps: {
          ...state.stored.fieldStamps,
          [rule.flaggedAtField]: [s, CENTRAL_ORIGIN],
          [rule.flaggedWithField]: [s, CENTRAL_ORIGIN],
        } as StoredRow['fieldStamps'],
      };
      state.seq = s;
      state.dirty = true;
    }
    if (want && gained.length) nowFlagged.add(id);
    if (!want) unflagged.push(id);
    if (gained.length && ids.has(id)) {
      addConflict({
        kind: 'double_booked',
        tableName: table,
        rowId: id,
        field: null,
        valueKept: null,
        valueLost: JSON.stringify([...partners.keys()]),
        reason: 'overlap',
        message:
          'Booked on two workstations for the same provider or room at overlapping times. Both are kept and marked double-booked: move, cancel or keep one.',
        deviceId: ctx.origin === CENTRAL_ORIGIN ? null : ctx.origin,
        otherDeviceId: null,
      });
    }
  }
  if (unflagged.length) await resolveBookingConflicts(ctx, table, unflagged, states, nextSeq);
  return nowFlagged;
}

/** Double-booking conflicts of bookings that no longer overlap anything resolve themselves. */
async function resolveBookingConflicts(
  ctx: BatchContext,
  table: string,
  ids: string[],
  states: Map<string, RowState>,
  nextSeq: () => number,
) {
  const open = await ctx.tx.query<{ row_id: string }>(
    `SELECT row_id FROM replica_rows WHERE clinic_id = $1 AND table_name = $2 AND data->>'kind' = 'double_booked'
        AND data->>'tableName' = $3 AND data->>'rowId' = ANY($4::text[]) AND data->>'resolvedAt' IS NULL`,
    [ctx.clinicId, CONFLICTS, table, ids],
  );
  const loaded = await loadRows(
    ctx.tx,
    ctx.cipher,
    ctx.clinicId,
    open.rows
      .filter((r) => !states.has(rowKey(CONFLICTS, r.row_id)))
      .map((r) => ({ table: CONFLICTS, rowId: r.row_id })),
  );
  for (const [k, v] of loaded) states.set(k, v);
  const nowIso = ctx.now.toISOString();
  for (const r of open.rows) {
    const state = states.get(rowKey(CONFLICTS, r.row_id));
    if (!state?.stored || state.stored.data.resolvedAt) continue;
    const s = nextSeq();
    state.stored = {
      ...state.stored,
      data: {
        ...state.stored.data,
        resolvedAt: nowIso,
        resolution: 'no_longer_overlapping',
        updatedAt: nowIso,
      },
      fieldStamps: {
        ...state.stored.fieldStamps,
        resolvedAt: [s, CENTRAL_ORIGIN],
        resolution: [s, CENTRAL_ORIGIN],
      },
    };
    state.seq = s;
    state.dirty = true;
  }
}
