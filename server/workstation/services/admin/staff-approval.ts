import { parseStaffApproval, signStaffApproval } from '../../../domain/sync/staff-approval';
import type { Store } from '../../db/store';
import { findUserById } from './user-rows';

/**
 * The approval a change to a staff account carries to central (domain/sync/staff-approval.ts): signed for
 * the account's values after the change, by the signed-in administrator who makes it, or by the account
 * itself for its own password (keyed from its password hash before the change). Call inside the write,
 * before the update, and store the result in the same update as the change (one outbox entry).
 */
export function staffApproval(
  store: Store,
  approverId: string,
  rowId: string,
  after: Record<string, unknown>,
  previous: string | null | undefined,
): string | null {
  const approver = findUserById(store, approverId);
  if (!approver) return null;
  // Strictly newer than the approval the account holds (central takes each approval once, in order).
  const prevAt = Date.parse(parseStaffApproval(previous)?.at ?? '');
  const now = store.now().getTime();
  const at = new Date(Number.isNaN(prevAt) ? now : Math.max(now, prevAt + 1)).toISOString();
  return signStaffApproval({
    approverId,
    approverPasswordHash: approver.passwordHash,
    clinicId: store.requireClinicId(),
    rowId,
    row: after,
    at,
  });
}
