import type { Row, TablePolicy } from './policies';

/**
 * Central's merge of one pushed mutation into its copy of the row. Pure: the caller loads the row, calls
 * this, and writes what it returns in the same transaction. Order is central's receive order; workstation
 * clocks play no part.
 */

/** Who last changed a field and at which change sequence. */
export type FieldStamp = [seq: number, origin: string];

export interface StoredRow {
  data: Row;
  /** Stamps of fields changed after the row was created; a missing field carries the creation stamp. */
  fieldStamps: Record<string, FieldStamp>;
  created: FieldStamp;
}

export interface IncomingMutation {
  op: 'insert' | 'update' | 'delete';
  row: Row;
  changedFields: readonly string[] | null;
  seenSeq: number | null;
  /** The device id, or 'central' for changes made by central administrators. */
  origin: string;
}

export interface Overwritten {
  field: string;
  /** The value that was there and lost. */
  previous: unknown;
  previousOrigin: string;
  /** The value that won. */
  value: unknown;
}

export type MergeOutcome =
  | {
      status: 'applied' | 'merged';
      /** The row to store, or null when nothing changed (a repeat of what central already has). */
      next: StoredRow | null;
      overwritten: Overwritten[];
    }
  | { status: 'rejected'; reason: 'append_only' | 'locked'; message: string };

/** Equal as stored JSON; a missing value and null are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null || b === undefined || b === null) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

const stampOf = (row: StoredRow, field: string): FieldStamp => row.fieldStamps[field] ?? row.created;

export function mergeMutation(
  policy: TablePolicy,
  existing: StoredRow | null,
  m: IncomingMutation,
  seq: number,
): MergeOutcome {
  if (!existing) {
    return {
      status: 'applied',
      next: { data: { ...m.row }, fieldStamps: {}, created: [seq, m.origin] },
      overwritten: [],
    };
  }

  if (policy.merge === 'append-only') {
    // A retried insert of the very same entry is harmless; anything else would rewrite history.
    if (m.op === 'insert' && Object.keys(m.row).every((k) => sameValue(m.row[k], existing.data[k]))) {
      return { status: 'applied', next: null, overwritten: [] };
    }
    return {
      status: 'rejected',
      reason: 'append_only',
      message: 'This record cannot change once written; a correction is a new entry.',
    };
  }

  let fields: readonly string[] =
    m.op === 'insert' || m.changedFields === null
      ? Object.keys(m.row)
      : m.changedFields.filter((f) => f in m.row);
  const allowed = policy.lock?.(existing.data) ?? null;
  if (allowed) {
    const touched = fields.filter((k) => !sameValue(m.row[k], existing.data[k]));
    if (touched.some((k) => !allowed.includes(k))) {
      return {
        status: 'rejected',
        reason: 'locked',
        message: policy.lockedMessage ?? 'This record is locked and cannot change.',
      };
    }
  }

  if (allowed) fields = fields.filter((f) => allowed.includes(f));
  // The change that locks a row (signing) is taken whole: the locked record is exactly what its author saw.
  else if (policy.lock?.({ ...existing.data, ...pick(m.row, fields) })) fields = Object.keys(m.row);

  const data: Row = { ...existing.data };
  const fieldStamps: Record<string, FieldStamp> = { ...existing.fieldStamps };
  const overwritten: Overwritten[] = [];
  let changed = false;
  for (const field of fields) {
    let value = m.row[field];
    const current = existing.data[field];
    if (policy.maxFields.includes(field) && typeof value === 'number' && typeof current === 'number') {
      value = Math.max(value, current);
    }
    if (sameValue(value, current)) continue;
    const [stampSeq, stampOrigin] = stampOf(existing, field);
    const unseen = m.seenSeq !== null && stampSeq > m.seenSeq && stampOrigin !== m.origin;
    if (unseen && !policy.quietFields.includes(field)) {
      overwritten.push({ field, previous: current, previousOrigin: stampOrigin, value });
    }
    data[field] = value;
    fieldStamps[field] = [seq, m.origin];
    changed = true;
  }

  const next = changed ? { data, fieldStamps, created: existing.created } : null;
  // "merged": what central now holds differs from what was sent (it kept someone else's concurrent change,
  // or it overwrote one the sender had not seen).
  const differs = Object.keys(m.row).some(
    (k) => !policy.quietFields.includes(k) && !sameValue(m.row[k], data[k]),
  );
  return { status: overwritten.length > 0 || differs ? 'merged' : 'applied', next, overwritten };
}

function pick(row: Row, fields: readonly string[]): Row {
  const out: Row = {};
  for (const f of fields) out[f] = row[f];
  return out;
}

/**
 * The workstation's view after a pull: central's row with this workstation's still-unsent changes laid on
 * top, in outbox order (only the fields each one changed, or the whole row when it did not say).
 */
export function overlayPending(
  row: Row,
  pending: readonly { row: Row; changedFields: readonly string[] | null }[],
): Row {
  let out = row;
  for (const p of pending) {
    out = {
      ...out,
      ...(p.changedFields === null
        ? p.row
        : pick(
            p.row,
            p.changedFields.filter((f) => f in p.row),
          )),
    };
  }
  return out;
}
