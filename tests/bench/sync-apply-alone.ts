/**
 * Part of `npm run bench sync` (the push): central's side of a push alone. The same rows a timed push sent
 * are applied by central's own `applyBatch` into a clinic that holds none of them, in batches of
 * PUSH_BATCH_MAX (each its own transaction under the clinic row's lock, as a push's), called in this process:
 * no workstation, no HTTP, no body parse or contract check, one batch at a time. Of that time it reports how
 * long central waited for PostgreSQL — the batch's own statements (the lock, the stored rows and unique keys
 * looked up, the one write) — which no change to the push's JavaScript or to its overlap of batches removes.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { PUSH_BATCH_MAX, type Row } from '../../server/contracts/sync';
import { columnCipherFor } from '../../server/central/crypto';
import { CentralDb, type Tx } from '../../server/central/db/pool';
import { applyBatch, type ApplyInput } from '../../server/central/services/replication/apply';

export interface ApplyAlone {
  ms: number;
  /** Time spent waiting for PostgreSQL's answers, in all and by the batch's statements. */
  sqlMs: number;
  byStatement: Record<StatementKind, number>;
  refused: number;
}

type StatementKind = 'lock' | 'look-ups' | 'write' | 'begin/commit';

/** Which of a batch's statements a query is (apply.ts, row-store.ts, unique-keys.ts, store-batch.ts). */
const kindOf = (text: string): StatementKind =>
  text.startsWith('WITH doc') ? 'write' : text.includes('FOR UPDATE') ? 'lock' : 'look-ups';

export async function centralApplyAlone(
  apiUrl: string,
  secret: Buffer,
  clinicId: string,
  /** The pushing workstation's device id: the rows are stored as its changes. */
  origin: string,
  sent: { table: string; rowId: string; data: string }[],
): Promise<ApplyAlone> {
  const db = new CentralDb(apiUrl, 2);
  try {
    const wrapRoot = await db.pool.query<{ value: string }>(
      `SELECT value FROM tessera.central_meta WHERE key = 'wrap_root'`,
    );
    const cipher = columnCipherFor(secret, wrapRoot.rows[0]?.value ?? null);
    // The rows as the push's contract hands them to applyBatch, moved to this clinic.
    const inputs: ApplyInput[] = sent.map((s) => {
      const row = JSON.parse(s.data) as Row;
      if ('clinicId' in row) row.clinicId = clinicId;
      return { table: s.table, rowId: s.rowId, op: 'insert', row, changedFields: null, seenSeq: null };
    });
    const byStatement: Record<StatementKind, number> = { lock: 0, 'look-ups': 0, write: 0, 'begin/commit': 0 };
    let refused = 0;
    const timed = (tx: Tx): Tx => ({
      ...tx,
      query: async <R extends pg.QueryResultRow>(text: string, params?: unknown[]) => {
        const t = performance.now();
        try {
          return await tx.query<R>(text, params);
        } finally {
          byStatement[kindOf(text)] += performance.now() - t;
        }
      },
    });
    const start = performance.now();
    for (let i = 0; i < inputs.length; i += PUSH_BATCH_MAX) {
      const batch = inputs.slice(i, i + PUSH_BATCH_MAX);
      // BEGIN (with the tenant) before the callback and COMMIT after it are PostgreSQL's time too.
      let mark = performance.now();
      const outcome = await db.tx({ clinicId }, async (tx) => {
        byStatement['begin/commit'] += performance.now() - mark;
        const o = await applyBatch({ tx: timed(tx), cipher, clinicId, origin, now: new Date() }, batch);
        mark = performance.now();
        return o;
      });
      byStatement['begin/commit'] += performance.now() - mark;
      refused += outcome.results.filter((r) => r.status === 'rejected').length;
    }
    const ms = performance.now() - start;
    return { ms, sqlMs: Object.values(byStatement).reduce((a, b) => a + b, 0), byStatement, refused };
  } finally {
    await db.pool.end();
  }
}
