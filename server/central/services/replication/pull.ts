import { LATEST_WORKSTATION_SCHEMA, REPLICATED_TABLES, type HelloResponse } from '../../../contracts/sync';
import { policyFor } from '../../../domain/sync/policies';
import { wrapRowSecrets } from '../../../domain/sync/secret-wrap';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb, Tx } from '../../db/pool';
import { AppError } from '../../../platform/errors';
import { decryptRow } from './row-store';
import type { PullShare, SharedPage } from './pull-share';

/**
 * Pull: the clinic's rows changed after a cursor, in change-sequence order, one page at a time. Read in
 * one repeatable-read snapshot, so the head and the page agree; sequences commit in order (see apply.ts),
 * so a cursor never skips a change.
 */

export interface ClinicHead {
  head: number;
  epoch: string;
  name: string;
  schemaHighWater: number;
}

export interface HeadRow {
  change_seq: number;
  name: string;
  schema_high_water: number;
  epoch: string;
}

/**
 * The statement reading the clinic's head, name, schema high-water mark and central's epoch (`clinic`: the
 * clinic, $1 unless given as a literal), with what a caller needs in the same round trip: more columns, and
 * joins after the clinic.
 */
export const clinicHeadSql = (more: { columns?: string; joins?: string; clinic?: string } = {}) =>
  `SELECT c.change_seq, c.name, c.schema_high_water,
          (SELECT value FROM central_meta WHERE key = 'epoch') AS epoch${more.columns ? `, ${more.columns}` : ''}
     FROM clinics c ${more.joins ?? ''}
    WHERE c.id = ${more.clinic ?? '$1'}`;

export function headOf(row: HeadRow | undefined): ClinicHead {
  if (!row)
    throw new AppError(
      401,
      'device_revoked',
      'This workstation’s clinic is not known here. Enroll it again.',
    );
  return { head: row.change_seq, epoch: row.epoch, name: row.name, schemaHighWater: row.schema_high_water };
}

export async function clinicHead(tx: Tx, clinicId: string): Promise<ClinicHead> {
  const r = await tx.query<HeadRow>(clinicHeadSql(), [clinicId]);
  return headOf(r.rows[0]);
}

/**
 * What the clinic requires: the configured minimum, raised by the newest schema a workstation of the clinic
 * reported, but never above a version this build knows (a high-water mark stored before versions were
 * checked cannot keep a clinic locked out).
 */
export function requiredSchema(head: ClinicHead, minSchema: number): number {
  return Math.max(minSchema, Math.min(head.schemaHighWater, LATEST_WORKSTATION_SCHEMA));
}

export function requireSchema(schemaVersion: number, head: ClinicHead, minSchema: number): void {
  const required = requiredSchema(head, minSchema);
  if (schemaVersion < required) {
    throw new AppError(
      426,
      'update_required',
      `This workstation runs an older version of Tessera (schema ${schemaVersion}; the clinic uses ${required}). Update Tessera: changes made here are kept and sent after the update.`,
    );
  }
}

/**
 * One page, as the JSON text of a PullResponse. Rows are stored as JSON already: they go out as stored
 * (no parse and re-serialise per row, which would be most of a page's cost), except those with secret
 * fields, which are decrypted. The workstation checks the page against the protocol schema. With `share`,
 * the pulls of a clinic's workstations asking for the same page together are answered from one read
 * (pull-share.ts); the device's own checks (schema, cursor) are made for each.
 */
export async function pullChangesJson(
  db: CentralDb,
  cipher: ColumnCipher,
  device: { clinicId: string; schemaVersion: number },
  minSchema: number,
  cursor: number,
  limit: number,
  share?: { pages: PullShare; epoch: string },
): Promise<{ json: string; rows: number }> {
  if (!Number.isSafeInteger(cursor) || !Number.isSafeInteger(limit))
    throw new AppError(400, 'bad_request', 'The cursor and the page size must be whole numbers.');
  const read = () => readPage(db, cipher, device.clinicId, cursor, limit);
  const page = share
    ? await share.pages.page(device.clinicId, share.epoch, cursor, limit, read)
    : await read();
  requireSchema(
    device.schemaVersion,
    { head: page.head, epoch: page.epoch, name: '', schemaHighWater: page.schemaHighWater },
    minSchema,
  );
  if (cursor > page.head) {
    throw new AppError(
      409,
      'central_behind',
      'The central server has fewer changes than this workstation already has; it must re-synchronise.',
    );
  }
  return { json: page.json, rows: page.rows };
}

/** The clinic's page after `cursor` and its head, read in one snapshot; the same for every device of it. */
async function readPage(
  db: CentralDb,
  cipher: ColumnCipher,
  clinicId: string,
  cursor: number,
  limit: number,
): Promise<SharedPage> {
  // The head and the page in one snapshot and one round trip (db.readOnce): a busy clinic's workstations
  // pull on every change, and the round trips, not the work, were most of a page's time under load.
  const [heads, rows] = await db.readOnce({ clinicId }, (literal) => [
    // A page is read along replica_rows_pull (clinic, seq) and stops at the limit. With statistics that lag
    // behind a bulk load (a clinic's first upload, a restore) the planner believes the replica is tiny and
    // reads the whole clinic through the primary key and sorts it, for every page: a download then costs
    // the square of its size. Other plans are ruled out for this read-only transaction (set in the
    // statement that reads the head, before the page's statement is planned).
    clinicHeadSql({
      clinic: literal(clinicId),
      columns: `set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true),
                set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`,
    }),
    `SELECT seq, table_name, row_id, data::text AS data FROM replica_rows
      WHERE clinic_id = ${literal(clinicId)} AND seq > ${cursor}
        AND table_name = ANY(ARRAY[${REPLICATED_TABLES.map(literal).join(', ')}]::text[])
      ORDER BY seq LIMIT ${limit}`,
  ]);
  const head = headOf(heads![0] as HeadRow | undefined);
  const page = rows as { seq: number; table_name: string; row_id: string; data: string }[];
  const wrapKey = cipher.wrapKeyFor(clinicId);
  const parts = page.map((row) => {
    // Secret fields leave central wrapped under the clinic's key (see domain/sync/secret-wrap.ts).
    const data = policyFor(row.table_name).encryptedFields.length
      ? JSON.stringify(
          wrapRowSecrets(
            wrapKey,
            clinicId,
            row.table_name,
            row.row_id,
            decryptRow(
              cipher,
              clinicId,
              row.table_name,
              row.row_id,
              JSON.parse(row.data) as Record<string, unknown>,
            ),
          ),
        )
      : row.data;
    return `{"seq":${row.seq},"table":${JSON.stringify(row.table_name)},"rowId":${JSON.stringify(row.row_id)},"row":${data}}`;
  });
  const full = page.length === limit;
  const last = page.at(-1)?.seq ?? cursor;
  // A short page is everything up to the head of this snapshot (later sequences may have been replaced by
  // newer changes of the same rows, so the last row's sequence can be below the head).
  const next = full ? last : Math.max(cursor, head.head);
  const json = `{"epoch":${JSON.stringify(head.epoch)},"changes":[${parts.join(',')}],"cursor":${next},"head":${head.head},"hasMore":${full && last < head.head}}`;
  return {
    head: head.head,
    epoch: head.epoch,
    schemaHighWater: head.schemaHighWater,
    json,
    rows: page.length,
  };
}

export async function hello(
  db: CentralDb,
  device: { deviceId: string; clinicId: string; schemaVersion: number; clockSkewMs: number | null },
  minSchema: number,
): Promise<HelloResponse> {
  return db.tx({ clinicId: device.clinicId }, async (tx) => {
    const head = await clinicHead(tx, device.clinicId);
    requireSchema(device.schemaVersion, head, minSchema);
    // The device's version is one this build knows (checked with its header), so the most any device can
    // do here is what a real update of Tessera does.
    if (device.schemaVersion > head.schemaHighWater) {
      await tx.query('UPDATE clinics SET schema_high_water = GREATEST(schema_high_water, $2) WHERE id = $1', [
        device.clinicId,
        device.schemaVersion,
      ]);
    }
    const dev = await tx.query<{ last_mutation_id: number }>(
      `UPDATE devices SET last_seen_at = now(), schema_version = $2, clock_skew_ms = $3 WHERE id = $1 RETURNING last_mutation_id`,
      [
        device.deviceId,
        device.schemaVersion,
        device.clockSkewMs === null ? null : Math.round(device.clockSkewMs),
      ],
    );
    return {
      epoch: head.epoch,
      clinicId: device.clinicId,
      clinicName: head.name,
      deviceId: device.deviceId,
      lastMutationId: dev.rows[0]?.last_mutation_id ?? 0,
      head: head.head,
      requiredSchema: requiredSchema(head, minSchema),
      serverTime: Date.now(),
    };
  });
}
