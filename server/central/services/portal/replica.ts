import type { Row } from '../../../domain/sync/policies';
import { CENTRAL_ORIGIN } from '../../../contracts/sync/rows';
import { AppError } from '../../../platform/errors';
import type { Tx } from '../../db/pool';
import { applyBatch, type ApplyInput } from '../replication/apply';
import { decryptRow } from '../replication/row-store';
import type { PortalAccounts, PortalCaller } from './accounts';

/**
 * The portal's access to the clinic's replica: a patient's own rows of a table (always filtered by the
 * session's patient, never by input), and writing a patient's change as a replicated change from central
 * that every workstation pulls. Encrypted fields are decrypted on the way out.
 */

export async function patientRows<T extends Row>(
  accounts: PortalAccounts,
  tx: Tx,
  caller: PortalCaller,
  table: string,
  extra: { where: string; args: unknown[] } | null = null,
): Promise<(T & { id: string })[]> {
  const args: unknown[] = [caller.clinicId, table, caller.patientId, ...(extra?.args ?? [])];
  const r = await tx.query<{ row_id: string; data: Row }>(
    `SELECT row_id, data FROM replica_rows
      WHERE clinic_id = $1 AND table_name = $2 AND data->>'patientId' = $3
        AND coalesce(data->>'deletedAt', '') = '' ${extra ? `AND ${extra.where}` : ''}`,
    args,
  );
  return r.rows.map(
    (x) =>
      ({
        ...decryptRow(accounts.deps.cipher, caller.clinicId, table, x.row_id, x.data),
        id: x.row_id,
      }) as T & { id: string },
  );
}

/** Writes rows as central's own change; a refusal (which would be a bug) answers 409 with a sentence. */
export async function writeRows(
  accounts: PortalAccounts,
  tx: Tx,
  caller: PortalCaller,
  changes: Omit<ApplyInput, 'seenSeq'>[],
  refusal: string,
): Promise<void> {
  const out = await applyBatch(
    { tx, cipher: accounts.deps.cipher, clinicId: caller.clinicId, origin: CENTRAL_ORIGIN, now: accounts.now() },
    changes.map((c) => ({ ...c, seenSeq: null })),
  );
  if (out.results.some((r) => r.status === 'rejected')) throw new AppError(409, 'not_saved', refusal);
}

const OUT_OF_SCOPE = {
  messages: 'Your access does not include messages. Please call the clinic.',
  questionnaires: 'Your access does not include questionnaires. Please call the clinic.',
  forms: 'Your access does not include forms. Please call the clinic.',
  billing: 'Your access does not include bills and payments. Please call the clinic.',
  tracking: 'Your access does not include health tracking. Please call the clinic.',
  visit_summaries: 'Your access does not include visit summaries. Please call the clinic.',
};
/** A proxy acts only within the scope staff granted; a patient's own account may do everything. */
export function requireScope(caller: PortalCaller, scope: keyof typeof OUT_OF_SCOPE): void {
  if (caller.kind === 'self' || caller.scope.includes(scope)) return;
  throw new AppError(403, 'out_of_scope', OUT_OF_SCOPE[scope]);
}

/** The name the care team sees on the patient's messages: the proxy's name, or the patient's first name. */
export async function senderNameOf(tx: Tx, caller: PortalCaller): Promise<string> {
  if (caller.kind === 'proxy' && caller.proxyName) return caller.proxyName;
  const p = await tx.query<{ data: { firstNameToUse?: string | null; legalFirstName?: string } }>(
    `SELECT data FROM replica_rows WHERE clinic_id = $1 AND table_name = 'patients' AND row_id = $2`,
    [caller.clinicId, caller.patientId],
  );
  const d = p.rows[0]?.data;
  return d?.firstNameToUse || d?.legalFirstName || 'Patient';
}
