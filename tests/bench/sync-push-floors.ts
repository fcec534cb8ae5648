/**
 * Part of `npm run bench sync` (the push): the raw writes a push is compared with — one COPY of the pushed
 * rows into an unindexed temporary table, one COPY into `replica_rows` itself, and the floor of any design
 * (one INSERT … SELECT of them into `replica_rows`, as arrays or as one JSON document) — and the quiet
 * moment each timed write starts from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { tempDir } from '../support/workstation';

const csvQuote = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** A CSV file the server can read (COPY … FROM 'file' runs as the server's user). */
function csvFile(lines: string[]): string {
  const file = path.join(tempDir('tessera-copy-'), 'rows.csv');
  fs.writeFileSync(file, lines.join('\n'));
  fs.chmodSync(path.dirname(file), 0o755);
  fs.chmodSync(file, 0o644);
  return file;
}

/**
 * Before each timed write: the replica's tables vacuumed and analysed, then a checkpoint, so that neither
 * a push nor a COPY shares the two cores with an autovacuum or a checkpoint the one before it set off
 * (pgbench vacuums before its runs for the same reason). A role that may not checkpoint skips that part.
 */
export async function quiesce(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE) tessera.replica_rows, tessera.replica_log, tessera.replica_unique');
    await client.query('CHECKPOINT').catch(() => {});
  } finally {
    await client.end();
  }
}

/** Load rows as one COPY (a server-side file when the server can read it), else one INSERT … SELECT. */
export async function rawCopy(
  ownerUrl: string,
  rows: { table: string; rowId: string; data: string }[],
): Promise<{ ms: number; how: string }> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('CREATE TEMP TABLE raw_rows (table_name text, row_id text, data jsonb)');
    const file = csvFile(rows.map((r) => `${csvQuote(r.table)},${csvQuote(r.rowId)},${csvQuote(r.data)}`));
    try {
      const start = performance.now();
      await client.query(`COPY raw_rows FROM '${file}' WITH (FORMAT csv)`);
      return { ms: performance.now() - start, how: 'COPY' };
    } catch {
      // A remote server or a role without pg_read_server_files: the closest single statement instead.
      const start = performance.now();
      await client.query('INSERT INTO raw_rows SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])', [
        rows.map((r) => r.table),
        rows.map((r) => r.rowId),
        rows.map((r) => r.data),
      ]);
      return { ms: performance.now() - start, how: 'INSERT … SELECT unnest (COPY not permitted)' };
    }
  } finally {
    await client.end();
  }
}

/**
 * The field stamps a push stores with a new row: none, each field is stamped by the row's creation
 * (merge.ts). Until 6 Dec 2026 the rows compared with carried a stamp per field, almost twice the bytes a
 * push stores, which made the COPY the push is divided by about 1.8 times slower than it should be.
 */
const STORED_STAMPS = '{}';

/**
 * The same rows COPYed into `replica_rows` itself, for a clinic that holds none of them: its primary key,
 * pull index, partial expression indexes, clinic check and WAL, which any design that stores the rows
 * pays. The COPY above writes into an unindexed, unlogged temporary table, a different amount of work.
 * As the owner: COPY FROM refuses a table with row-level security to a role subject to it, so this is
 * possible only as a superuser (the throwaway server's owner is one); elsewhere it is reported as not
 * measured.
 */
export async function rawCopyIntoReplica(
  ownerUrl: string,
  clinicId: string,
  rows: { table: string; rowId: string; data: string }[],
): Promise<number | null> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const file = csvFile(
      rows.map((r, i) =>
        [
          clinicId,
          csvQuote(r.table),
          csvQuote(r.rowId),
          csvQuote(r.data),
          csvQuote(STORED_STAMPS),
          2_000_000_000 + i,
          'bench',
          2_000_000_000 + i,
        ].join(','),
      ),
    );
    await client.query('BEGIN');
    try {
      const start = performance.now();
      await client.query(
        `COPY tessera.replica_rows (clinic_id, table_name, row_id, data, field_stamps, created_seq, created_by, seq)
           FROM '${file}' WITH (FORMAT csv)`,
      );
      await client.query('COMMIT');
      return performance.now() - start;
    } catch {
      await client.query('ROLLBACK');
      return null;
    }
  } finally {
    await client.end();
  }
}

/**
 * The floor for any push design: the same rows stored into `replica_rows` (its primary key, pull index,
 * expression indexes, foreign key and row-level security) by one `INSERT … SELECT unnest(…)` as central's
 * API role, in one transaction with the clinic's tenant setting, for a clinic that holds none of them yet.
 * The COPY above writes into an unindexed temporary table; this says what storing indexed rows costs.
 */
export async function rawReplicaInsert(
  apiUrl: string,
  clinicId: string,
  rows: { table: string; rowId: string; data: string }[],
  form: 'arrays' | 'document' = 'arrays',
): Promise<number> {
  const client = new pg.Client({ connectionString: apiUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `SELECT set_config('search_path', 'tessera', true), set_config('tessera.clinic_id', $1, true)`,
      [clinicId],
    );
    const start = performance.now();
    if (form === 'document') {
      // The rows as one JSON document, the form a push batch's write statement takes (store-batch.ts).
      await client.query(
        `INSERT INTO replica_rows (clinic_id, table_name, row_id, data, field_stamps, created_seq, created_by, seq)
         SELECT $1, e->>0, e->>1, e->2, e->3, (e->>4)::bigint, 'bench', (e->>4)::bigint
           FROM jsonb_array_elements($2::jsonb) e`,
        [
          clinicId,
          `[${rows.map((r, i) => `[${JSON.stringify(r.table)},${JSON.stringify(r.rowId)},${r.data},${STORED_STAMPS},${1_000_000_000 + i}]`).join(',')}]`,
        ],
      );
      await client.query('COMMIT');
      return performance.now() - start;
    }
    await client.query(
      `INSERT INTO replica_rows (clinic_id, table_name, row_id, data, field_stamps, created_seq, created_by, seq)
       SELECT $1, k.t, k.r, k.d, k.f, k.s, 'bench', k.s
         FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::bigint[]) AS k(t, r, d, f, s)`,
      [
        clinicId,
        rows.map((r) => r.table),
        rows.map((r) => r.rowId),
        rows.map((r) => r.data),
        rows.map(() => STORED_STAMPS),
        rows.map((_, i) => 1_000_000_000 + i),
      ],
    );
    await client.query('COMMIT');
    return performance.now() - start;
  } finally {
    await client.end();
  }
}
