import {
  entryHash,
  GENESIS_HASH,
  verifyChain,
  type ChainedFields,
  type ChainProblem,
} from '../../../domain/audit/hash-chain';
import type { PortalAuditEntry } from '../../../contracts/sync/protocol';
import type { Store } from '../../db/store';

/**
 * The clinic's portal audit chain on this workstation (central seals it: services/portal/audit-chain.ts).
 * Entries are stored only if they carry on from the last one stored here (next number, linked to its hash)
 * and hash to what they say: an entry changed, removed or inserted at central after sealing is refused, the
 * chain here stays at the last good entry, and the refusal is kept so `audit verify` reports it.
 */

const META_HEAD = 'portal_audit_head';
const META_REFUSED = 'portal_audit_refused';

export function portalAuditHead(store: Store): { seq: number; hash: string } | null {
  const raw = store.getMeta(META_HEAD);
  return raw ? (JSON.parse(raw) as { seq: number; hash: string }) : null;
}

/** The last refusal of a page from central (null: none, or a later page carried on soundly). */
export function portalAuditRefusal(store: Store): ChainProblem | null {
  const raw = store.getMeta(META_REFUSED);
  return raw ? (JSON.parse(raw) as ChainProblem) : null;
}

export class PortalChainBroken extends Error {
  constructor(readonly problem: ChainProblem) {
    super(
      `The portal audit entries from the central server do not verify (entry ${problem.seq}): ${problem.problem}`,
    );
  }
}

const setMeta = (store: Store, key: string, value: string | null) =>
  value === null
    ? store.db.prepare('DELETE FROM meta WHERE key = ?').run(key)
    : store.db
        .prepare(
          'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(key, value);

/** Check a page against the stored head and store it, in one transaction; throws PortalChainBroken. */
export function storePortalAuditPage(store: Store, entries: readonly PortalAuditEntry[]): number {
  if (!entries.length) return 0;
  const clinicId = store.requireClinicId();
  const head = portalAuditHead(store);
  let expectedSeq = (head?.seq ?? 0) + 1;
  let expectedPrev = head?.hash ?? GENESIS_HASH;
  let problem: ChainProblem | null = null;
  for (const e of entries) {
    if (e.clinicId !== clinicId) problem = { seq: e.seq, problem: 'belongs to another clinic' };
    else if (e.seq !== expectedSeq) problem = { seq: e.seq, problem: `entry ${expectedSeq} is missing` };
    else if (e.prevHash !== expectedPrev)
      problem = { seq: e.seq, problem: 'does not link to the entry before it (removed or reordered)' };
    else if (entryHash(e) !== e.hash)
      problem = { seq: e.seq, problem: 'content was altered after it was sealed' };
    if (problem) break;
    expectedSeq = e.seq + 1;
    expectedPrev = e.hash;
  }
  if (problem) {
    store.applyRemote(() => setMeta(store, META_REFUSED, JSON.stringify(problem)));
    throw new PortalChainBroken(problem);
  }
  const insert = store.db.prepare(
    `INSERT INTO portal_audit_log (seq, id, clinic_id, at, user_id, username, action, outcome, patient_id, workstation_id, detail, prev_hash, hash)
     VALUES (@seq, @id, @clinicId, @at, @userId, @username, @action, @outcome, @patientId, @workstationId, @detail, @prevHash, @hash)`,
  );
  store.applyRemote(() => {
    for (const e of entries) insert.run(e);
    const last = entries[entries.length - 1]!;
    setMeta(store, META_HEAD, JSON.stringify({ seq: last.seq, hash: last.hash }));
    setMeta(store, META_REFUSED, null);
  });
  return entries.length;
}

/** A stored audit row (either chain: `audit_log` or `portal_audit_log`), as SQLite hands it over. */
interface StoredAuditRow {
  seq: number;
  id: string;
  clinic_id: string;
  at: string;
  user_id: string | null;
  username: string | null;
  action: string;
  outcome: string;
  patient_id: string | null;
  workstation_id: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** Every entry of one chain's table in seq order, in the shape the hash chain checks. */
export function* storedChain(
  store: Store,
  table: 'audit_log' | 'portal_audit_log',
): Generator<ChainedFields & { hash: string }> {
  const rows = store.db
    .prepare(`SELECT * FROM ${table} ORDER BY seq ASC`)
    .iterate() as Iterable<StoredAuditRow>;
  for (const r of rows) {
    yield {
      seq: r.seq,
      id: r.id,
      clinicId: r.clinic_id,
      at: r.at,
      userId: r.user_id,
      username: r.username,
      action: r.action,
      outcome: r.outcome,
      patientId: r.patient_id,
      workstationId: r.workstation_id,
      detail: r.detail,
      prevHash: r.prev_hash,
      hash: r.hash,
    };
  }
}

/** Re-hash the stored portal chain against its recorded head (and report a refused page from central). */
export function verifyPortalChain(store: Store): { checked: number; problems: ChainProblem[] } {
  const out = verifyChain(storedChain(store, 'portal_audit_log'), portalAuditHead(store));
  const refused = portalAuditRefusal(store);
  if (refused)
    out.problems.push({
      seq: refused.seq,
      problem: `refused as sent by the central server (${refused.problem}); it and later portal entries were not stored`,
    });
  return out;
}
