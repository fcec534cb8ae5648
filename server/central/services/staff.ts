import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { createStaffSchema, staffSchema, updateStaffSchema } from '../../contracts/central';
import { roleSchema } from '../../contracts/admin/permissions';
import { CENTRAL_ORIGIN, type ReplicatedUserRow } from '../../contracts/sync/rows';
import { passwordProblem } from '../../domain/auth/password-policy';
import { hashPassword } from '../../platform/passwords';
import type { ColumnCipher } from '../crypto';
import type { CentralDb } from '../db/pool';
import { AppError } from '../../platform/errors';
import type { AdminIdentity } from './admins';
import { inClinic } from './clinics';
import { applyBatch } from './replication/apply';
import { decryptRow } from './replication/row-store';

/**
 * Staff accounts managed centrally. They are ordinary replicated `users` rows written with central as
 * their origin, through the same merge as workstation changes, so they reach every workstation of the
 * clinic and sign-in works there offline too. Password hashes and MFA secrets are encrypted at rest here.
 */

type Staff = z.input<typeof staffSchema>;

const toStaff = (u: ReplicatedUserRow): Staff => ({
  id: u.id,
  username: u.username,
  fullName: u.fullName,
  roles: roleSchema.array().catch([]).parse(JSON.parse(u.roles)),
  active: u.active,
  mfaEnrolled: u.mfaSecret !== null,
});

export async function listStaff(db: CentralDb, admin: AdminIdentity, clinicId: string): Promise<Staff[]> {
  return inClinic(db, admin, clinicId, async (tx) => {
    const r = await tx.query<{ data: ReplicatedUserRow }>(
      `SELECT data FROM replica_rows WHERE clinic_id = $1 AND table_name = 'users' AND data->>'deletedAt' IS NULL
        ORDER BY data->>'username'`,
      [clinicId],
    );
    return r.rows.map((row) => toStaff(row.data));
  });
}

export async function createStaff(
  db: CentralDb,
  cipher: ColumnCipher,
  admin: AdminIdentity,
  clinicId: string,
  input: z.output<typeof createStaffSchema>,
): Promise<Staff> {
  const problem = passwordProblem(input.password, { username: input.username });
  if (problem) throw new AppError(400, 'invalid_input', problem, { password: problem });
  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  const row: ReplicatedUserRow = {
    id: uuidv7(),
    clinicId,
    username: input.username,
    fullName: input.fullName,
    passwordHash,
    roles: JSON.stringify([...new Set(input.roles)]),
    active: true,
    mfaSecret: null,
    mfaEnrolledAt: null,
    mfaLastCounter: null,
    recoveryCodeHashes: '[]',
    failedAttempts: 0,
    lockedUntil: null,
    lastLoginAt: null,
    // A workstation may not change a centrally managed password (staff-guard.ts), so it cannot ask for one.
    passwordChangeRequired: false,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    deletedAt: null,
    changeApproval: null,
  };
  return inClinic(db, admin, clinicId, async (tx) => {
    const out = await applyBatch({ tx, cipher, clinicId, origin: CENTRAL_ORIGIN, now }, [
      { table: 'users', rowId: row.id, op: 'insert', row, changedFields: null, seenSeq: null },
    ]);
    const result = out.results[0]!;
    if (result.status === 'rejected') {
      // Nothing to keep: the administrator is told and can choose another username at once.
      throw new AppError(409, 'invalid_input', 'That username is taken in this clinic.', {
        username: 'That username is taken in this clinic.',
      });
    }
    return toStaff(row);
  });
}

export async function updateStaff(
  db: CentralDb,
  cipher: ColumnCipher,
  admin: AdminIdentity,
  clinicId: string,
  userId: string,
  patch: z.output<typeof updateStaffSchema>,
): Promise<Staff> {
  const now = new Date();
  return inClinic(db, admin, clinicId, async (tx) => {
    const r = await tx.query<{ data: ReplicatedUserRow }>(
      `SELECT data FROM replica_rows WHERE clinic_id = $1 AND table_name = 'users' AND row_id = $2 AND data->>'deletedAt' IS NULL`,
      [clinicId, userId],
    );
    if (!r.rows[0]) throw new AppError(404, 'not_found', 'That staff account was not found.');
    const current = decryptRow(cipher, clinicId, 'users', userId, r.rows[0].data) as ReplicatedUserRow;
    const changes: Partial<ReplicatedUserRow> = { updatedAt: now.toISOString() };
    if (patch.fullName !== undefined) changes.fullName = patch.fullName;
    if (patch.roles !== undefined) changes.roles = JSON.stringify([...new Set(patch.roles)]);
    if (patch.active !== undefined) changes.active = patch.active;
    const next = { ...current, ...changes };
    await applyBatch({ tx, cipher, clinicId, origin: CENTRAL_ORIGIN, now }, [
      {
        table: 'users',
        rowId: userId,
        op: 'update',
        row: next,
        changedFields: Object.keys(changes),
        seenSeq: null,
      },
    ]);
    return toStaff(next);
  });
}

/**
 * A new password for a staff account (the person was told it in person), optionally with their
 * authenticator cleared so they enrol a new one at their next sign-in; any lockout ends. Replicates like
 * any central change, so every workstation of the clinic accepts the new password, offline too.
 */
export async function resetStaffPassword(
  db: CentralDb,
  cipher: ColumnCipher,
  admin: AdminIdentity,
  clinicId: string,
  userId: string,
  input: { password: string; clearMfa: boolean },
): Promise<Staff> {
  const now = new Date();
  return inClinic(db, admin, clinicId, async (tx) => {
    const r = await tx.query<{ data: ReplicatedUserRow }>(
      `SELECT data FROM replica_rows WHERE clinic_id = $1 AND table_name = 'users' AND row_id = $2 AND data->>'deletedAt' IS NULL`,
      [clinicId, userId],
    );
    if (!r.rows[0]) throw new AppError(404, 'not_found', 'That staff account was not found.');
    const current = decryptRow(cipher, clinicId, 'users', userId, r.rows[0].data) as ReplicatedUserRow;
    const problem = passwordProblem(input.password, { username: current.username });
    if (problem) throw new AppError(400, 'invalid_input', problem, { password: problem });
    const changes: Partial<ReplicatedUserRow> = {
      passwordHash: await hashPassword(input.password),
      failedAttempts: 0,
      lockedUntil: null,
      updatedAt: now.toISOString(),
      ...(input.clearMfa && {
        mfaSecret: null,
        mfaEnrolledAt: null,
        mfaLastCounter: null,
        recoveryCodeHashes: '[]',
      }),
    };
    const next = { ...current, ...changes };
    await applyBatch({ tx, cipher, clinicId, origin: CENTRAL_ORIGIN, now }, [
      {
        table: 'users',
        rowId: userId,
        op: 'update',
        row: next,
        changedFields: Object.keys(changes),
        seenSeq: null,
      },
    ]);
    return toStaff(next);
  });
}
