import type { AuditVerifyResult } from '../../../contracts/audit';
import { verifyChain } from '../../../domain/audit/hash-chain';
import type { Store } from '../../db/store';
import { storedChain, verifyPortalChain } from './portal-chain';

/**
 * Re-hash the whole log in seq order and compare with the recorded head; then the clinic's portal chain
 * pulled from central (its own numbering; its problems say "Patient portal").
 */
export function verifyAuditLog(store: Store): AuditVerifyResult {
  const own = verifyChain(storedChain(store, 'audit_log'), store.auditHead());
  const portal = verifyPortalChain(store);
  const problems = [
    ...own.problems,
    ...portal.problems.map((p) => ({ seq: p.seq, problem: `Patient portal entry ${p.seq}: ${p.problem}` })),
  ];
  return { ok: problems.length === 0, checked: own.checked + portal.checked, problems };
}
