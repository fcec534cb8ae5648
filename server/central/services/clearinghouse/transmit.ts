/**
 * Sending the batches workstations queue (docs/claims-inbound.md, "Transport"). A workstation builds an
 * 837P batch offline and marks it `queued`; the batch and its file replicate to central like any row.
 * Central notices the queued batch (`discoverQueued`: one `claim_transmissions` row per batch), then
 * `sendDue` sends each due one:
 *
 * - the transmission row is taken `FOR UPDATE SKIP LOCKED` and stays locked while the file is uploaded,
 *   and it moves to `sent` in the same transaction: a second central node skips it, and a node that dies
 *   mid-upload leaves it `queued` for the next attempt, which the port answers `already_uploaded` when the
 *   same bytes are already there (an upload writes `.name.part` and renames it, so half a file is never
 *   visible). A batch is never submitted twice.
 * - a failure records the reason as a sentence and the next attempt (backoff); the batch row says so;
 * - the batch row (replicated) is updated as central's own change in that transaction: `sent` with the
 *   time, or the failure and the next attempt, so every workstation shows it.
 *
 * The clinic's replica is touched under applyBatch's clinic lock only after the upload, so pushes of the
 * clinic are not held while a file travels.
 */
import { CENTRAL_ORIGIN } from '../../../contracts/sync/rows';
import type { Row } from '../../../domain/sync/policies';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb, Tx } from '../../db/pool';
import { applyBatch } from '../replication/apply';
import { loadRows, rowKey } from '../replication/row-store';
import { ClearinghouseError, type ClearinghousePort } from './port';

/** Minutes between attempts after the 1st, 2nd, … failure; the last repeats. */
export const SEND_BACKOFF_MS: readonly number[] = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];

export interface TransportContext {
  db: CentralDb;
  cipher: ColumnCipher;
  clinicId: string;
  /** Named in the batch's status ("Sent to the clearinghouse over SFTP"). */
  transport: 'sftp' | 'https';
  now: () => Date;
  backoffMs?: readonly number[];
}

export type SendOutcome =
  | { batchId: string; status: 'sent'; upload: 'uploaded' | 'already_uploaded' }
  | { batchId: string; status: 'failed'; error: string; nextAttemptAt: string }
  | { batchId: string; status: 'skipped' };

/** Queued batches of the clinic that central has not taken up yet get a transmission row. */
export async function discoverQueued(ctx: TransportContext): Promise<number> {
  return ctx.db.tx({ clinicId: ctx.clinicId }, async (tx) => {
    const r = await tx.query(
      `INSERT INTO claim_transmissions (clinic_id, batch_id, file_name, status, next_attempt_at)
       SELECT b.clinic_id, b.row_id, coalesce(f.data->>'name', 'claims-' || b.row_id || '.837'), 'queued', $2
         FROM replica_rows b
         LEFT JOIN replica_rows f
           ON f.clinic_id = b.clinic_id AND f.table_name = 'claim_files' AND f.row_id = b.data->>'fileId'
        WHERE b.clinic_id = $1 AND b.table_name = 'claim_batches' AND b.data->>'status' = 'queued'
       ON CONFLICT (clinic_id, batch_id) DO NOTHING`,
      [ctx.clinicId, ctx.now()],
    );
    return r.rowCount ?? 0;
  });
}

/** A reason a person can act on, without anything from the file (no patient data reaches this text). */
export function failureSentence(err: unknown, what: 'upload' | 'connection' | 'poll' = 'upload'): string {
  const m = err instanceof Error ? err.message : String(err);
  if (err instanceof ClearinghouseError) return m;
  const code = (err as { code?: unknown })?.code;
  if (code === 'ECONNREFUSED') return 'The clearinghouse refused the connection.';
  if (code === 'ENOTFOUND') return 'The clearinghouse address was not found.';
  if (code === 'ETIMEDOUT' || /timed out/i.test(m)) return 'The clearinghouse did not answer in time.';
  if (/authentication/i.test(m)) return 'The clearinghouse did not accept central’s credentials.';
  return `The clearinghouse ${what} failed: ${m.slice(0, 200)}`;
}

async function updateBatchRow(ctx: TransportContext, tx: Tx, batch: Row, changes: Row): Promise<void> {
  const out = await applyBatch({ tx, cipher: ctx.cipher, clinicId: ctx.clinicId, origin: CENTRAL_ORIGIN, now: ctx.now() }, [
    {
      table: 'claim_batches',
      rowId: String(batch.id),
      op: 'update',
      row: { ...batch, ...changes },
      changedFields: Object.keys(changes),
      seenSeq: null,
    },
  ]);
  const refused = out.results.find((r) => r.status === 'rejected');
  if (refused) throw new Error(`batch status refused: ${refused.reason ?? 'unknown'}`);
}

/** Sends one due batch; null when none is due (or every due one is being sent by another node). */
export async function sendNext(ctx: TransportContext, port: ClearinghousePort): Promise<SendOutcome | null> {
  const { clinicId } = ctx;
  return ctx.db.tx({ clinicId }, async (tx) => {
    const due = await tx.query<{ batch_id: string; file_name: string; attempts: number }>(
      `SELECT batch_id, file_name, attempts FROM claim_transmissions
        WHERE clinic_id = $1 AND status IN ('queued', 'failed') AND next_attempt_at <= $2
        ORDER BY next_attempt_at, batch_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [clinicId, ctx.now()],
    );
    const t = due.rows[0];
    if (!t) return null;
    const batchKey = { table: 'claim_batches', rowId: t.batch_id };
    const batch = (await loadRows(tx, ctx.cipher, clinicId, [batchKey])).get(rowKey(batchKey.table, batchKey.rowId))?.stored?.data;
    // Only a batch still queued is sent (never one a workstation has since marked otherwise).
    if (!batch || batch.status !== 'queued') {
      await tx.query(
        `UPDATE claim_transmissions SET status = 'skipped', updated_at = now()
          WHERE clinic_id = $1 AND batch_id = $2`,
        [clinicId, t.batch_id],
      );
      return { batchId: t.batch_id, status: 'skipped' };
    }
    const fileKey = { table: 'claim_files', rowId: String(batch.fileId) };
    const file = (await loadRows(tx, ctx.cipher, clinicId, [fileKey])).get(rowKey(fileKey.table, fileKey.rowId))?.stored?.data;
    const attempts = t.attempts + 1;
    const now = ctx.now();
    try {
      // The file row travels with the batch in one push; a batch without it waits for the next attempt.
      if (!file || typeof file.content !== 'string')
        throw new ClearinghouseError('The batch file has not reached central yet.');
      const result = await port.upload(t.file_name, Buffer.from(file.content, 'utf8'));
      await tx.query(
        `UPDATE claim_transmissions
            SET status = 'sent', attempts = $3, sent_at = $4, upload_result = $5, last_error = NULL, updated_at = now()
          WHERE clinic_id = $1 AND batch_id = $2`,
        [clinicId, t.batch_id, attempts, now, result.status],
      );
      await updateBatchRow(ctx, tx, batch, {
        status: 'sent',
        statusDetail: `Sent to the clearinghouse over ${ctx.transport.toUpperCase()} as ${t.file_name}.`,
        sentAt: now.toISOString(),
        sendAttempts: attempts,
        sendError: null,
        nextSendAt: null,
        updatedAt: now.toISOString(),
      });
      return { batchId: t.batch_id, status: 'sent', upload: result.status };
    } catch (err) {
      const backoff = ctx.backoffMs ?? SEND_BACKOFF_MS;
      const next = new Date(now.getTime() + backoff[Math.min(attempts - 1, backoff.length - 1)]!);
      const error = failureSentence(err);
      await tx.query(
        `UPDATE claim_transmissions
            SET status = 'failed', attempts = $3, next_attempt_at = $4, last_error = $5, updated_at = now()
          WHERE clinic_id = $1 AND batch_id = $2`,
        [clinicId, t.batch_id, attempts, next, error],
      );
      await updateBatchRow(ctx, tx, batch, {
        sendAttempts: attempts,
        sendError: error,
        nextSendAt: next.toISOString(),
        updatedAt: now.toISOString(),
      });
      return { batchId: t.batch_id, status: 'failed', error, nextAttemptAt: next.toISOString() };
    }
  });
}

/** Every due batch, one transaction each. */
export async function sendDue(ctx: TransportContext, port: ClearinghousePort): Promise<SendOutcome[]> {
  await discoverQueued(ctx);
  const out: SendOutcome[] = [];
  for (;;) {
    const one = await sendNext(ctx, port);
    if (!one) return out;
    out.push(one);
    // One failure is enough for this round: the connection is likely down for the others too.
    if (one.status === 'failed') return out;
  }
}
