/**
 * Handing what the clearinghouse returns to the clinic's workstations (docs/claims-inbound.md, "Transport").
 * Central polls the inbound folders (poll.ts); each new file becomes a replicated `claim_inbound_files` row
 * written as central's own change, which every workstation pulls. Central does not parse or post: the
 * workstation's importers do (999 on the batch, 277CA on the claims, 835 into posting). Once per digest:
 * `clearinghouse_inbound` has the digest as key, so a file re-dropped, or fetched by two central nodes at
 * the same moment, becomes one row.
 *
 * Exactly one workstation imports each file: the first that asks (`grantImport`) is granted it, for good;
 * any other is told no. The workstation records the outcome in the replicated row.
 */
import { v7 as uuidv7 } from 'uuid';
import type { InboundFileKind } from '../../../contracts/claims/records';
import { CENTRAL_ORIGIN } from '../../../contracts/sync/rows';
import { AppError } from '../../../platform/errors';
import { applyBatch } from '../replication/apply';
import { pollInbound, type PollOutcome } from './poll';
import type { ClearinghousePort, InboundKind } from './port';
import type { TransportContext } from './transmit';

const KIND: Record<InboundKind, InboundFileKind> = { '999': 'x999', '277CA': 'x277ca', '835': 'x835', '271': 'x271' };

/** One poll of the inbound folders; every new file handed to the workstations, then archived. */
export async function receiveInbound(ctx: TransportContext, port: ClearinghousePort): Promise<PollOutcome> {
  const { db, clinicId } = ctx;
  return pollInbound(port, {
    isProcessed: (digest) =>
      db.tx({ clinicId }, async (tx) =>
        Boolean(
          (
            await tx.query(`SELECT 1 FROM clearinghouse_inbound WHERE clinic_id = $1 AND sha256 = $2`, [
              clinicId,
              digest,
            ])
          ).rowCount,
        ),
      ),
    handle: (file) =>
      db.tx({ clinicId }, async (tx) => {
        const id = uuidv7();
        const kind = KIND[file.kind];
        const claimed = await tx.query(
          `INSERT INTO clearinghouse_inbound (clinic_id, sha256, inbound_file_id, kind, name)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (clinic_id, sha256) DO NOTHING RETURNING 1`,
          [clinicId, file.sha256, id, kind, file.file.name],
        );
        // Another node (or an earlier poll that died before archiving) handed this file over already.
        if (!claimed.rowCount) return false;
        const now = ctx.now().toISOString();
        const out = await applyBatch({ tx, cipher: ctx.cipher, clinicId, origin: CENTRAL_ORIGIN, now: ctx.now() }, [
          {
            table: 'claim_inbound_files',
            rowId: id,
            op: 'insert',
            row: {
              id,
              clinicId,
              kind,
              name: file.file.name,
              sha256: file.sha256,
              content: file.content.toString('utf8'),
              transport: ctx.transport,
              receivedAt: file.file.receivedAt ?? now,
              importedAt: null,
              importedByDevice: null,
              fileId: null,
              importError: null,
              createdAt: now,
              updatedAt: now,
              deletedAt: null,
            },
            changedFields: null,
            seenSeq: null,
          },
        ]);
        const refused = out.results.find((r) => r.status === 'rejected');
        if (refused) throw new Error(`inbound file refused: ${refused.reason ?? 'unknown'}`);
        return true;
      }),
  });
}

/**
 * The first workstation that asks may import the file, and only it (also when it asks again after a
 * crash); every other is told no. Atomic: the UPDATE's condition is checked again after any concurrent
 * grant commits.
 */
export async function grantImport(
  db: TransportContext['db'],
  clinicId: string,
  deviceId: string,
  inboundFileId: string,
): Promise<{ granted: boolean }> {
  return db.tx({ clinicId }, async (tx) => {
    const r = await tx.query(
      `UPDATE clearinghouse_inbound SET import_device_id = $3, import_granted_at = coalesce(import_granted_at, now())
        WHERE clinic_id = $1 AND inbound_file_id = $2 AND (import_device_id IS NULL OR import_device_id = $3)
        RETURNING 1`,
      [clinicId, inboundFileId, deviceId],
    );
    if (r.rowCount) return { granted: true };
    const exists = await tx.query(`SELECT 1 FROM clearinghouse_inbound WHERE clinic_id = $1 AND inbound_file_id = $2`, [
      clinicId,
      inboundFileId,
    ]);
    if (!exists.rowCount) throw new AppError(404, 'not_found', 'That clearinghouse file was not found.');
    return { granted: false };
  });
}
