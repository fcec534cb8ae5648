import type { AuditVerifyResult } from '../../../contracts/audit';
import { verifyChain, type ChainedFields } from '../../../domain/audit/hash-chain';
import type { Store } from '../../db/store';
import { verifyPortalChain } from './portal-chain';

interface Row {
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

/**
 * Re-hash the whole log in seq order and compare with the recorded head; then the clinic's portal chain
 * pulled from central (its own numbering; its problems say "Patient portal").
 */
export function verifyAuditLog(store: Store): AuditVerifyResult {
  const rows = store.db.prepare('SELECT * FROM audit_log ORDER BY seq ASC').iterate() as Iterable<Row>;
  function* entries(): Generator<ChainedFields & { hash: string }> {
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
  const own = verifyChain(entries(), store.auditHead());
  const portal = verifyPortalChain(store);
  const problems = [
    ...own.problems,
    ...portal.problems.map((p) => ({ seq: p.seq, problem: `Patient portal entry ${p.seq}: ${p.problem}` })),
  ];
  return { ok: problems.length === 0, checked: own.checked + portal.checked, problems };
}
