import {
  RECONCILIATION_NEEDS_CENTRAL,
  RECONCILIATION_NEEDS_ENROLLMENT,
  type CardReconciliation,
} from '../../../contracts/billing/cards';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { CentralRequestError } from '../../sync/central-client';
import type { SyncEngine } from '../../sync/engine';
import { cardError } from './cards';

/**
 * Card reconciliation on the workstation (docs/billing.md, "Reconciliation"): central keeps what its Stripe
 * reconciliation runs find; billing staff read this clinic's findings through central with the device
 * credential. Each finding gets the account it concerns when this workstation's ledger has the entry (by
 * the entry id central names, or the Stripe id it carries), so the screen can open the account. Viewing is
 * audited as a report view (counts only).
 */
export async function cardReconciliation(
  store: Store,
  sync: SyncEngine,
  actor: Actor,
): Promise<CardReconciliation> {
  const client = sync.centralClient();
  if (!client) throw new AppError(409, 'not_enrolled', RECONCILIATION_NEEDS_ENROLLMENT);
  let found;
  try {
    found = await client.reconciliationFindings();
  } catch (err) {
    if (err instanceof CentralRequestError && err.kind === 'network')
      throw new AppError(503, 'central_unreachable', RECONCILIATION_NEEDS_CENTRAL);
    throw cardError(err);
  }
  const clinicId = store.requireClinicId();
  const byId = store.db
    .prepare('SELECT patient_id FROM ledger_entries WHERE clinic_id = ? AND id = ?')
    .pluck();
  const byRef = store.db
    .prepare('SELECT patient_id FROM ledger_entries WHERE clinic_id = ? AND external_ref = ?')
    .pluck();
  const findings = found.findings.map((f) => ({
    ...f,
    patientId:
      ((f.ledgerEntryId && byId.get(clinicId, f.ledgerEntryId)) as string | undefined) ??
      ((f.externalRef && byRef.get(clinicId, f.externalRef)) as string | undefined) ??
      null,
  }));
  store.audit(actor, {
    action: 'billing.report_view',
    detail: {
      report: 'card_reconciliation',
      open: findings.filter((f) => !f.resolvedAt).length,
      resolved: findings.filter((f) => f.resolvedAt).length,
    },
  });
  return { lastRun: found.lastRun, findings };
}
