import type { AuditVerifyResult } from '../../../contracts/audit';
import { verifyChain, type ChainedFields } from '../../../domain/audit/hash-chain';
import type { Store } from '../../db/store';

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

/** Re-hash the whole log in seq order and compare with the recorded head. */
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
  const { checked, problems } = verifyChain(entries(), store.auditHead());
  return { ok: problems.length === 0, checked, problems };
}
