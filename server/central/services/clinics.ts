import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { clinicSchema, deviceSchema, orgSchema } from '../../contracts/central';
import { CENTRAL_ORIGIN, settingRowId } from '../../contracts/sync/rows';
import type { ColumnCipher } from '../crypto';
import type { CentralDb, Tenant } from '../db/pool';
import { AppError, notFound } from '../../platform/errors';
import type { AdminIdentity } from './admins';
import { applyBatch } from './replication/apply';

/** Organizations, clinics and enrolled devices, as central administrators manage them. */

type Org = z.input<typeof orgSchema>;
type Clinic = z.input<typeof clinicSchema>;
type Device = z.input<typeof deviceSchema>;

export const adminTenant = (a: AdminIdentity): Tenant => ({
  adminId: a.adminId,
  orgId: a.orgId,
  operator: a.orgId === null,
});

export async function listOrgs(db: CentralDb, admin: AdminIdentity): Promise<Org[]> {
  return db.tx(adminTenant(admin), async (tx) => {
    const r = await tx.query<{ id: string; name: string; created_at: Date }>(
      'SELECT id, name, created_at FROM orgs ORDER BY name',
    );
    return r.rows.map((o) => ({ id: o.id, name: o.name, createdAt: o.created_at.toISOString() }));
  });
}

export async function createOrg(db: CentralDb, admin: AdminIdentity, name: string): Promise<Org> {
  return db.tx(adminTenant(admin), async (tx) => {
    const r = await tx.query<{ id: string; name: string; created_at: Date }>(
      'INSERT INTO orgs (id, name) VALUES ($1, $2) RETURNING id, name, created_at',
      [uuidv7(), name],
    );
    const o = r.rows[0]!;
    return { id: o.id, name: o.name, createdAt: o.created_at.toISOString() };
  });
}

const toClinic = (c: {
  id: string;
  org_id: string;
  name: string;
  time_zone: string;
  created_at: Date;
  change_seq: number;
}): Clinic => ({
  id: c.id,
  orgId: c.org_id,
  name: c.name,
  timeZone: c.time_zone,
  createdAt: c.created_at.toISOString(),
  head: c.change_seq,
});

export async function listClinics(db: CentralDb, admin: AdminIdentity): Promise<Clinic[]> {
  return db.tx(adminTenant(admin), async (tx) => {
    const r = await tx.query<Parameters<typeof toClinic>[0]>('SELECT * FROM clinics ORDER BY name');
    return r.rows.map(toClinic);
  });
}

/**
 * A new clinic starts with its name and time zone as a clinic setting, so a fresh workstation that joins
 * it knows both before any other workstation has sent anything.
 */
export async function createClinic(
  db: CentralDb,
  cipher: ColumnCipher,
  admin: AdminIdentity,
  input: { orgId: string; name: string; timeZone: string },
): Promise<Clinic> {
  if (admin.orgId !== null && admin.orgId !== input.orgId) throw notFound('That organization');
  const id = uuidv7();
  return db.tx({ ...adminTenant(admin), clinicId: id }, async (tx) => {
    const org = await tx.query('SELECT 1 FROM orgs WHERE id = $1', [input.orgId]);
    if (!org.rowCount) throw notFound('That organization');
    await tx.query('INSERT INTO clinics (id, org_id, name, time_zone) VALUES ($1, $2, $3, $4)', [
      id,
      input.orgId,
      input.name,
      input.timeZone,
    ]);
    const now = new Date();
    await applyBatch({ tx, cipher, clinicId: id, origin: CENTRAL_ORIGIN, now }, [
      {
        table: 'clinic_settings',
        rowId: settingRowId(id, 'clinic'),
        op: 'insert',
        row: {
          clinicId: id,
          key: 'clinic',
          value: JSON.stringify({ name: input.name, timeZone: input.timeZone }),
          updatedAt: now.toISOString(),
          updatedBy: null,
        },
        changedFields: null,
        seenSeq: null,
      },
    ]);
    const r = await tx.query<Parameters<typeof toClinic>[0]>('SELECT * FROM clinics WHERE id = $1', [id]);
    return toClinic(r.rows[0]!);
  });
}

/** Run `fn` scoped to one clinic the administrator may manage (404 for any other, as if it did not exist). */
export async function inClinic<T>(
  db: CentralDb,
  admin: AdminIdentity,
  clinicId: string,
  fn: (tx: Parameters<Parameters<CentralDb['tx']>[1]>[0]) => Promise<T>,
): Promise<T> {
  return db.tx({ ...adminTenant(admin), clinicId }, async (tx) => {
    const visible = await tx.query(
      'SELECT 1 FROM clinics WHERE id = $1 AND (tessera.is_operator() OR org_id = tessera.current_org())',
      [clinicId],
    );
    if (!visible.rowCount) throw notFound('That clinic');
    return fn(tx);
  });
}

const toDevice = (d: {
  id: string;
  name: string;
  workstation_id: string;
  created_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date | null;
  last_mutation_id: number;
  schema_version: number | null;
  clock_skew_ms: number | null;
}): Device => ({
  id: d.id,
  name: d.name,
  workstationId: d.workstation_id,
  createdAt: d.created_at.toISOString(),
  revokedAt: d.revoked_at?.toISOString() ?? null,
  lastSeenAt: d.last_seen_at?.toISOString() ?? null,
  lastMutationId: d.last_mutation_id,
  schemaVersion: d.schema_version,
  clockSkewMs: d.clock_skew_ms,
});

export async function listDevices(db: CentralDb, admin: AdminIdentity, clinicId: string): Promise<Device[]> {
  return inClinic(db, admin, clinicId, async (tx) => {
    const r = await tx.query<Parameters<typeof toDevice>[0]>(
      'SELECT * FROM devices WHERE clinic_id = $1 ORDER BY created_at',
      [clinicId],
    );
    return r.rows.map(toDevice);
  });
}

export async function revokeDevice(
  db: CentralDb,
  admin: AdminIdentity,
  clinicId: string,
  deviceId: string,
): Promise<Device> {
  return inClinic(db, admin, clinicId, async (tx) => {
    const r = await tx.query<Parameters<typeof toDevice>[0]>(
      'UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND clinic_id = $2 RETURNING *',
      [deviceId, clinicId],
    );
    if (!r.rows[0]) throw new AppError(404, 'not_found', 'That workstation was not found.');
    // Every API node closes the device's live channel when this commits.
    await tx.query('SELECT pg_notify($1, $2)', ['tessera_devices', deviceId]);
    return toDevice(r.rows[0]);
  });
}
