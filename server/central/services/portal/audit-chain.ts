import { entryHash, GENESIS_HASH, type ChainedFields } from '../../../domain/audit/hash-chain';
import {
  PORTAL_ACTION_PREFIX,
  PORTAL_AUDIT_SOURCE,
  type PortalAuditEntry,
  type PortalAuditPage,
} from '../../../contracts/sync/protocol';
import type { CentralDb, Tx } from '../../db/pool';

/**
 * The clinic's portal audit chain: every portal_activity row (a patient's or proxy's sign-in, view,
 * download, payment, cancellation, video join, …, and staff invitations and revocations) as a hash-chained
 * audit entry that the workstations pull into their audit log (read-only) and verify.
 *
 * Acts are recorded as plain inserts (accounts.record), so browsing patients never queue behind each other.
 * Sealing gives them numbers in one order per clinic: the clinic's `portal_audit_heads` row is locked
 * (FOR UPDATE, inside one transaction, so it holds through PgBouncer in transaction mode and across central
 * nodes), unsealed rows are numbered and hashed oldest first, and the head moves on. A sealed row is never
 * rewritten. Sealing happens when a workstation pulls, so its cost rides on sync, not on the patient's page.
 *
 * The entry carries only what the audit log already shows: the account id (not its e-mail), whether it is
 * the patient's own account or a proxy's, the action, the outcome, the patient id and the time.
 */

/** How many unsealed acts one pull seals at most (the rest on the next pull: `hasMore`). */
export const SEAL_BATCH = 2000;

interface ActivityRow {
  id: string;
  clinic_id: string;
  account_id: string;
  patient_id: string;
  action: string;
  outcome: 'ok' | 'refused';
  staff_user_id: string | null;
  at: Date;
  kind: 'self' | 'proxy' | null;
}

/** The entry's fields, derived only from what never changes on a sealed row (and an account's kind). */
export function portalEntryFields(r: ActivityRow, seq: number, prevHash: string): ChainedFields {
  const byStaff = r.staff_user_id !== null;
  return {
    seq,
    id: r.id,
    clinicId: r.clinic_id,
    at: r.at.toISOString(),
    userId: r.staff_user_id ?? r.account_id,
    username: byStaff ? null : r.kind === 'proxy' ? 'portal proxy' : 'portal patient',
    action: `${PORTAL_ACTION_PREFIX}${r.action}`,
    outcome: r.outcome === 'ok' ? 'success' : 'denied',
    patientId: r.patient_id,
    workstationId: PORTAL_AUDIT_SOURCE,
    // Fixed key order: the hash covers this text.
    detail: JSON.stringify(byStaff ? { account: r.account_id, byStaff: true } : { account: r.account_id }),
    prevHash,
  };
}

const SELECT_ACTIVITY = `SELECT a.id, a.clinic_id, a.account_id, a.patient_id, a.action, a.outcome, a.staff_user_id, a.at,
       acc.kind, a.seq, a.prev_hash, a.hash
  FROM portal_activity a LEFT JOIN portal_accounts acc ON acc.clinic_id = a.clinic_id AND acc.id = a.account_id`;

/** Seal what is waiting (up to SEAL_BATCH), under the clinic's head lock. Returns whether more waits. */
export async function sealPending(tx: Tx, clinicId: string): Promise<boolean> {
  await tx.query(
    `INSERT INTO portal_audit_heads (clinic_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (clinic_id) DO NOTHING`,
    [clinicId, GENESIS_HASH],
  );
  const head = (
    await tx.query<{ seq: number; hash: string }>(
      `SELECT seq, hash FROM portal_audit_heads WHERE clinic_id = $1 FOR UPDATE`,
      [clinicId],
    )
  ).rows[0]!;
  // Read after the lock: a sealer that ran before us has committed, so its rows are no longer unsealed.
  const pending = await tx.query<ActivityRow>(
    `${SELECT_ACTIVITY} WHERE a.clinic_id = $1 AND a.seq IS NULL ORDER BY a.at, a.id LIMIT ${SEAL_BATCH + 1}`,
    [clinicId],
  );
  const batch = pending.rows.slice(0, SEAL_BATCH);
  if (!batch.length) return false;
  let seq = head.seq;
  let prev = head.hash;
  const ids: string[] = [];
  const seqs: number[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  for (const r of batch) {
    const fields = portalEntryFields(r, ++seq, prev);
    const hash = entryHash(fields);
    ids.push(r.id);
    seqs.push(seq);
    prevs.push(prev);
    hashes.push(hash);
    prev = hash;
  }
  await tx.query(
    `UPDATE portal_activity p SET seq = u.seq, prev_hash = u.prev, hash = u.hash
       FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[]) AS u(id, seq, prev, hash)
      WHERE p.clinic_id = $1 AND p.id = u.id AND p.seq IS NULL`,
    [clinicId, ids, seqs, prevs, hashes],
  );
  await tx.query(`UPDATE portal_audit_heads SET seq = $2, hash = $3 WHERE clinic_id = $1`, [
    clinicId,
    seq,
    prev,
  ]);
  return pending.rows.length > SEAL_BATCH;
}

/**
 * A page of the clinic's portal chain after `after`, sealing what waits first. The entries are rebuilt
 * from the rows with the stored seq/prev_hash/hash: a row changed at central after sealing no longer
 * hashes to its recorded hash, and the workstation refuses it.
 */
export async function portalAuditPage(
  db: CentralDb,
  clinicId: string,
  after: number,
  limit: number,
): Promise<PortalAuditPage> {
  return db.tx({ clinicId }, async (tx) => {
    const moreToSeal = await sealPending(tx, clinicId);
    const rows = await tx.query<ActivityRow & { seq: number; prev_hash: string; hash: string }>(
      `${SELECT_ACTIVITY} WHERE a.clinic_id = $1 AND a.seq > $2 ORDER BY a.seq LIMIT $3`,
      [clinicId, after, limit + 1],
    );
    const entries: PortalAuditEntry[] = rows.rows.slice(0, limit).map((r) => ({
      ...(portalEntryFields(r, r.seq, r.prev_hash) as PortalAuditEntry),
      hash: r.hash,
    }));
    return { entries, hasMore: rows.rows.length > limit || moreToSeal };
  });
}
