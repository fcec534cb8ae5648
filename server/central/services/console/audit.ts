import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { auditEntrySchema } from '../../../contracts/central/console';
import type { CentralDb } from '../../db/pool';
import type { AdminIdentity } from '../admins';
import { adminTenant } from '../clinics';

/**
 * Central's own audit log of administration: who (administrator), what (the catalogue entry's name), on
 * what (ids only, never names or values), from where, and how it ended. Appended through the owner's
 * `admin_audit_append` (hash-chained, see migration 0006); the API role cannot write the table directly.
 */

export interface AdminAuditEntry {
  admin: AdminIdentity | null;
  /** The username tried, for a refused sign-in (there is no administrator yet). */
  username?: string | null;
  action: string;
  clinicId?: string | null;
  orgId?: string | null;
  target?: string | null;
  outcome: string;
  address: string | null;
}

export async function appendAdminAudit(db: CentralDb, e: AdminAuditEntry): Promise<void> {
  await db.pool.query('SELECT tessera.admin_audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
    uuidv7(),
    e.admin?.adminId ?? null,
    e.admin?.username ?? e.username ?? null,
    e.orgId ?? e.admin?.orgId ?? null,
    e.clinicId ?? null,
    e.action,
    e.target ?? null,
    e.outcome,
    e.address,
  ]);
}

type Entry = z.input<typeof auditEntrySchema>;

export async function listAdminAudit(
  db: CentralDb,
  admin: AdminIdentity,
  query: { limit: number; before?: number | undefined },
): Promise<Entry[]> {
  return db.tx(
    adminTenant(admin),
    async (tx) => {
      const r = await tx.query<{
        seq: number;
        at: Date;
        username: string | null;
        org_id: string | null;
        clinic_id: string | null;
        action: string;
        target: string | null;
        outcome: string;
        address: string | null;
      }>(
        `SELECT seq, at, username, org_id, clinic_id, action, target, outcome, address FROM admin_audit
          WHERE ($1::bigint IS NULL OR seq < $1) ORDER BY seq DESC LIMIT $2`,
        [query.before ?? null, query.limit],
      );
      return r.rows.map((a) => ({
        seq: a.seq,
        at: a.at.toISOString(),
        username: a.username,
        orgId: a.org_id,
        clinicId: a.clinic_id,
        action: a.action,
        target: a.target,
        outcome: a.outcome,
        address: a.address,
      }));
    },
    { readOnly: true },
  );
}
