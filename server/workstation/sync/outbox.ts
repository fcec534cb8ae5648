import type { Mutation, Row } from '../../contracts/sync';
import type { Store } from '../db/store';

/**
 * The outbox as the sync client sees it. Store.write fills it (rows, changed fields, and a trigger adds the
 * sync cursor); here it is read in mutation-id order, marked sent when central answers, kept for a while
 * after that (a central restored from an older backup gets those mutations again), then pruned.
 */

interface OutboxRow {
  mutation_id: number;
  table_name: string;
  row_id: string;
  op: 'insert' | 'update' | 'delete';
  payload: string;
  created_at: string;
  changed_fields: string | null;
  seen_seq: number | null;
}

/** How long sent mutations are kept for re-sending after a central restore. Central backups must be younger. */
export const SENT_RETENTION_DAYS = 30;

const toMutation = (r: OutboxRow): Mutation => ({
  mutationId: r.mutation_id,
  table: r.table_name,
  rowId: r.row_id,
  op: r.op,
  row: JSON.parse(r.payload) as Row,
  changedFields: r.changed_fields ? (JSON.parse(r.changed_fields) as string[]) : null,
  seenSeq: r.seen_seq,
  createdAt: r.created_at,
});

/**
 * How much row text one push carries at most (at least one mutation goes whatever its size). Central takes
 * a push body of up to 16 MiB (PUSH_BODY_LIMIT in central/http/app.ts); counted in UTF-16 units, 4 Mi of
 * them are at most 12 MiB of UTF-8, so a batch of PUSH_BATCH_MAX large notes still fits.
 */
export const PUSH_BATCH_TEXT = 4 * 1024 * 1024;

/** A push batch: its mutations' keys in order, and the mutations as the JSON array the push contract takes. */
export interface OutgoingBatch {
  /** Each mutation's id, table and row (an answer is matched by id; a refused change is put back by row). */
  keys: { mutationId: number; table: string; rowId: string }[];
  /**
   * Spliced from the outbox's stored JSON texts, which the write path wrote with JSON.stringify: parsing
   * every row only to write it out again was a sixth of the workstation's CPU in a push.
   */
  json: string;
}

const mutationJson = (r: OutboxRow) =>
  `{"mutationId":${r.mutation_id},"table":${JSON.stringify(r.table_name)},"rowId":${JSON.stringify(r.row_id)},` +
  `"op":${JSON.stringify(r.op)},"row":${r.payload},"changedFields":${r.changed_fields ?? 'null'},` +
  `"seenSeq":${r.seen_seq ?? 'null'},"createdAt":${JSON.stringify(r.created_at)}}`;

/**
 * The next unsent mutations in order; `afterId` skips those already on their way (the push sends the next
 * batch while central stores the one ahead, see push.ts).
 */
export function unsentBatch(
  store: Store,
  limit: number,
  maxText = PUSH_BATCH_TEXT,
  afterId = 0,
): OutgoingBatch {
  const keys: OutgoingBatch['keys'] = [];
  const parts: string[] = [];
  let text = 0;
  for (const r of store.db
    .prepare('SELECT * FROM outbox WHERE pushed_at IS NULL AND mutation_id > ? ORDER BY mutation_id LIMIT ?')
    .iterate(afterId, limit) as IterableIterator<OutboxRow>) {
    text += r.payload.length + (r.changed_fields?.length ?? 0);
    if (keys.length && text > maxText) break;
    keys.push({ mutationId: r.mutation_id, table: r.table_name, rowId: r.row_id });
    parts.push(mutationJson(r));
  }
  return { keys, json: `[${parts.join(',')}]` };
}

export function unsentCount(store: Store): number {
  return (store.db.prepare('SELECT count(*) AS n FROM outbox WHERE pushed_at IS NULL').get() as { n: number })
    .n;
}

/** Unsent changes of these rows, oldest first: laid over what a pull brings (see apply.ts). */
export function unsentFor(store: Store, keys: { table: string; rowId: string }[]): Map<string, Mutation[]> {
  const out = new Map<string, Mutation[]>();
  if (!keys.length || unsentCount(store) === 0) return out;
  const stmt = store.db.prepare(
    'SELECT * FROM outbox WHERE pushed_at IS NULL AND table_name = ? AND row_id = ? ORDER BY mutation_id',
  );
  for (const k of keys) {
    const rows = stmt.all(k.table, k.rowId) as OutboxRow[];
    if (rows.length) out.set(`${k.table}\u0000${k.rowId}`, rows.map(toMutation));
  }
  return out;
}

/** One statement for the whole answer (a push of a thousand mutations is marked in one go). */
export function markSent(store: Store, ids: number[], at: string): void {
  if (!ids.length) return;
  store.db
    .prepare('UPDATE outbox SET pushed_at = ? WHERE mutation_id IN (SELECT value FROM json_each(?))')
    .run(at, JSON.stringify(ids));
}

export function prune(store: Store, now: Date): number {
  const cutoff = new Date(now.getTime() - SENT_RETENTION_DAYS * 86_400_000).toISOString();
  return store.db.prepare('DELETE FROM outbox WHERE pushed_at IS NOT NULL AND pushed_at < ?').run(cutoff)
    .changes;
}

/** The highest mutation id ever handed out here (AUTOINCREMENT's counter), and the highest one sent. */
export function outboxHighWater(store: Store): { assigned: number; sent: number } {
  const assigned =
    (
      store.db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).get() as
        { seq: number } | undefined
    )?.seq ?? 0;
  const sent =
    (
      store.db.prepare('SELECT max(mutation_id) AS m FROM outbox WHERE pushed_at IS NOT NULL').get() as {
        m: number | null;
      }
    ).m ?? 0;
  return { assigned, sent };
}

/**
 * Central lost what it had acknowledged above `lastMutationId` (restored from a backup): send those again.
 * They were written against the old epoch's sequence numbers, so they go without one (plain last-writer).
 */
export function resendAfter(store: Store, lastMutationId: number): number {
  return store.db
    .prepare(
      'UPDATE outbox SET pushed_at = NULL, seen_seq = NULL WHERE mutation_id > ? AND pushed_at IS NOT NULL',
    )
    .run(lastMutationId).changes;
}

/** Sequence numbers from before a new epoch mean nothing to central any more. */
export function forgetSeenSeq(store: Store): void {
  store.db.prepare('UPDATE outbox SET seen_seq = NULL WHERE pushed_at IS NULL').run();
}

/**
 * Give unsent mutations above `afterId` new ids past `past` (and past every id handed out here), keeping
 * their order, changed fields and seen sequence: central must not take them for ones it already applied.
 * Used when this database was restored from a backup (see restore-marker.ts).
 */
export function renumberUnsent(store: Store, afterId: number, past: number): number {
  // Set-based, a few statements whatever the count: this runs nested in the sync cycle's transaction (a
  // savepoint), where each statement's journal is dear, so never one statement per row. The ids go through
  // negatives first so that no row takes an id another row still holds. Updating (not re-inserting) keeps
  // each row's seen_seq as it was.
  return store.db.transaction(() => {
    const moved = store.db
      .prepare(
        `UPDATE outbox SET mutation_id = -r.rn
           FROM (SELECT mutation_id AS old, row_number() OVER (ORDER BY mutation_id) AS rn
                   FROM outbox WHERE pushed_at IS NULL AND mutation_id > ?) r
          WHERE outbox.mutation_id = r.old`,
      )
      .run(afterId).changes;
    // Central takes a device's ids only without gaps: they continue exactly after what it has.
    store.db.prepare('UPDATE outbox SET mutation_id = ? - mutation_id WHERE mutation_id < 0').run(past);
    const next = past + moved;
    const bumped = store.db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'`).run(next);
    if (!bumped.changes)
      store.db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)`).run(next);
    return moved;
  })();
}
