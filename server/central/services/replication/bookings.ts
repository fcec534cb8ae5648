import type { StoredRow } from '../../../domain/sync/merge';
import type { OverlapRule } from '../../../domain/sync/policies';
import type { Tx } from '../../db/pool';

/**
 * The overlap rule for bookings, in PostgreSQL. Each active booking has one slot per booked resource
 * (provider, room) in `booking_slots`; an exclusion constraint forbids two unflagged slots of one resource
 * from overlapping. After a batch changes bookings, their slots are rewritten and every overlap is found
 * with the GiST index: overlapping slots are marked flagged (so the constraint holds), and the caller
 * flags the bookings double-booked when two workstations placed them.
 */

export interface SlotOf {
  rowId: string;
  origin: string;
  slots: { resource: string; from: string; to: string }[];
}

/** The slots a booking occupies, or none when it is inactive or its times are unusable. */
export function slotsOf(rule: OverlapRule, rowId: string, stored: StoredRow): SlotOf {
  const data = stored.data;
  // The booking was placed by whoever last set its time or resource.
  let origin = stored.created;
  for (const f of [rule.startField, rule.endField, ...rule.resourceFields]) {
    const s = stored.fieldStamps[f];
    if (s && s[0] > origin[0]) origin = s;
  }
  const from = data[rule.startField];
  const to = data[rule.endField];
  const valid =
    typeof from === 'string' &&
    typeof to === 'string' &&
    !Number.isNaN(Date.parse(from)) &&
    Date.parse(to) > Date.parse(from);
  if (!valid || !rule.isActive(data)) return { rowId, origin: origin[1], slots: [] };
  const slots = rule.resourceFields
    .filter((f) => data[f] !== null && data[f] !== undefined && data[f] !== '')
    .map((f) => ({ resource: `${f}:${String(data[f])}`, from, to }));
  return { rowId, origin: origin[1], slots };
}

export interface Overlaps {
  /** For each booking involved: the bookings it overlaps now, and whether each pair spans two origins. */
  after: Map<string, Map<string, boolean>>;
  before: Map<string, Set<string>>;
}

async function pairs(tx: Tx, clinicId: string, table: string, ids: string[]) {
  const r = await tx.query<{ a: string; b: string; cross: boolean }>(
    `SELECT DISTINCT a.row_id AS a, b.row_id AS b, a.origin <> b.origin AS cross
       FROM booking_slots a JOIN booking_slots b
         ON b.clinic_id = a.clinic_id AND b.table_name = a.table_name AND b.resource = a.resource
        AND b.during && a.during AND b.row_id <> a.row_id
      WHERE a.clinic_id = $1 AND a.table_name = $2 AND a.row_id = ANY($3::text[])`,
    [clinicId, table, ids],
  );
  return r.rows;
}

export async function rewriteSlots(
  tx: Tx,
  clinicId: string,
  table: string,
  bookings: SlotOf[],
): Promise<Overlaps> {
  const ids = bookings.map((b) => b.rowId);
  const before = new Map<string, Set<string>>();
  const add = <V>(m: Map<string, V>, key: string, make: () => V) =>
    m.get(key) ?? (m.set(key, make()), m.get(key)!);
  for (const p of await pairs(tx, clinicId, table, ids)) {
    add(before, p.a, () => new Set<string>()).add(p.b);
    add(before, p.b, () => new Set<string>()).add(p.a);
  }

  await tx.query(
    'DELETE FROM booking_slots WHERE clinic_id = $1 AND table_name = $2 AND row_id = ANY($3::text[])',
    [clinicId, table, ids],
  );
  const rows = bookings.flatMap((b) => b.slots.map((s) => ({ ...s, rowId: b.rowId, origin: b.origin })));
  if (rows.length) {
    // Inserted flagged; the flags are settled below, before the deferred constraint is checked at commit.
    await tx.query(
      `INSERT INTO booking_slots (clinic_id, table_name, row_id, resource, during, origin, flagged)
       SELECT $1, $2, k.r, k.res, tstzrange(k.f, k.t, '[)'), k.o, true
         FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[]) AS k(r, res, f, t, o)`,
      [
        clinicId,
        table,
        rows.map((r) => r.rowId),
        rows.map((r) => r.resource),
        rows.map((r) => r.from),
        rows.map((r) => r.to),
        rows.map((r) => r.origin),
      ],
    );
  }

  const after = new Map<string, Map<string, boolean>>();
  const involved = new Set<string>([...ids, ...[...before.values()].flatMap((s) => [...s])]);
  for (const p of await pairs(tx, clinicId, table, ids)) {
    add(after, p.a, () => new Map<string, boolean>()).set(p.b, p.cross);
    add(after, p.b, () => new Map<string, boolean>()).set(p.a, p.cross);
    involved.add(p.b);
  }
  // Bookings that overlap a changed one may also overlap others this batch did not touch.
  const others = [...involved].filter((id) => !ids.includes(id));
  if (others.length) {
    for (const p of await pairs(tx, clinicId, table, others)) {
      add(after, p.a, () => new Map<string, boolean>()).set(p.b, p.cross);
    }
  }
  const overlapping = [...involved].filter((id) => (after.get(id)?.size ?? 0) > 0);
  await tx.query(
    `UPDATE booking_slots SET flagged = (row_id = ANY($4::text[]))
      WHERE clinic_id = $1 AND table_name = $2 AND row_id = ANY($3::text[])`,
    [clinicId, table, [...involved], overlapping],
  );
  for (const id of involved) {
    add(after, id, () => new Map<string, boolean>());
    add(before, id, () => new Set<string>());
  }
  return { after, before };
}
