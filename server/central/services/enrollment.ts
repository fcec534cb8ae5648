import { v7 as uuidv7 } from 'uuid';
import type { EnrollRequest, EnrollResponse } from '../../contracts/sync';
import { encodeWrapKey } from '../../domain/sync/secret-wrap';
import { newToken, sha256 } from '../../platform/secrets';
import { newEnrollmentCode, type ColumnCipher } from '../crypto';
import type { CentralDb, Tenant } from '../db/pool';
import { AppError } from '../../platform/errors';

/**
 * Enrollment: an administrator makes a one-time code for a clinic; a workstation exchanges it for its own
 * device credential. The code is spent in the same transaction that creates the device, so it works once.
 */

/**
 * The one answer to every refused enrollment that is not about the code holder's own clinic: an unknown,
 * expired or spent code, and a claim of a clinic id that is refused (it exists in some tenant, or the clinic
 * already holds records). A different answer for the claim would tell anyone holding a code whether a clinic
 * id exists anywhere on this central.
 */
const INVALID_CODE = new AppError(
  401,
  'enrollment_code_invalid',
  'This enrollment code is not valid for this workstation: it may have expired or been used already, or this workstation holds another clinic’s records while this clinic has records of its own. Ask an administrator for a new code (for a workstation of another clinic, enroll a freshly installed one).',
);

export type EnrollmentRefusal = 'code' | 'claim';

export async function createEnrollmentCode(
  db: CentralDb,
  tenant: Tenant,
  adminId: string,
  clinicId: string,
  expiresInHours: number,
): Promise<{ code: string; expiresAt: string }> {
  const { display, normalized } = newEnrollmentCode();
  const expiresAt = new Date(Date.now() + expiresInHours * 3_600_000);
  await db.tx({ ...tenant, clinicId }, async (tx) => {
    const visible = await tx.query(
      'SELECT 1 FROM clinics WHERE id = $1 AND (tessera.is_operator() OR org_id = tessera.current_org())',
      [clinicId],
    );
    if (!visible.rowCount) throw new AppError(404, 'not_found', 'That clinic was not found.');
    await tx.query(
      'INSERT INTO enrollment_codes (id, clinic_id, code_hash, created_by, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [uuidv7(), clinicId, sha256(normalized), adminId, expiresAt],
    );
  });
  return { code: display, expiresAt: expiresAt.toISOString() };
}

export async function redeemEnrollmentCode(
  db: CentralDb,
  cipher: ColumnCipher,
  req: EnrollRequest,
  onRefused: (reason: EnrollmentRefusal) => void = () => {},
): Promise<EnrollResponse> {
  const found = await db.pool.query<{ code_id: string; clinic_id: string }>(
    'SELECT * FROM tessera.enrollment_code_lookup($1)',
    [sha256(req.code)],
  );
  const code = found.rows[0];
  if (!code) {
    onRefused('code');
    throw INVALID_CODE;
  }
  const credential = newToken();
  const deviceId = uuidv7();
  const outcome = await db.tx({ clinicId: code.clinic_id }, async (tx) => {
    const spent = await tx.query(
      'UPDATE enrollment_codes SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING id',
      [code.code_id],
    );
    if (!spent.rowCount) return 'code' as const;
    const clinic = await tx.query<{ id: string; name: string }>(
      'SELECT id, name FROM clinics WHERE id = $1 FOR UPDATE',
      [code.clinic_id],
    );
    let clinicId = clinic.rows[0]!.id;
    if (req.clinicId && req.clinicId !== clinicId) {
      const claimed = await tx.query<{ ok: boolean }>('SELECT tessera.claim_empty_clinic($1, $2) AS ok', [
        clinicId,
        req.clinicId,
      ]);
      // Refused: the code is spent all the same (committed with this answer), so one code answers one
      // claim: whether a clinic id exists cannot be probed over and over with it.
      if (!claimed.rows[0]?.ok) return 'claim' as const;
      clinicId = req.clinicId;
      await tx.setTenant({ clinicId });
    } else if (!req.clinicId) {
      const staff = await tx.query(
        `SELECT 1 FROM replica_rows WHERE clinic_id = $1 AND table_name = 'users'
            AND (data->>'active')::boolean AND data->>'deletedAt' IS NULL LIMIT 1`,
        [clinicId],
      );
      if (!staff.rowCount) {
        throw new AppError(
          409,
          'no_staff',
          'This clinic has no staff accounts yet, so nobody could sign in here. Create staff accounts on the central server first, or enroll the clinic’s existing workstation first.',
        );
      }
    }
    // The same workstation enrolling again (after a revocation, or with a new code) continues where its
    // previous credential left off; that credential stops working.
    const previous = await tx.query<{ last: number | null }>(
      `UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE clinic_id = $1 AND workstation_id = $2
        RETURNING last_mutation_id AS last, pg_notify('tessera_devices', id::text)`,
      [clinicId, req.workstationId],
    );
    const carried = Math.max(0, ...previous.rows.map((r) => r.last ?? 0));
    await tx.query(
      `INSERT INTO devices (id, clinic_id, name, workstation_id, credential_hash, schema_version, last_mutation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [deviceId, clinicId, req.name, req.workstationId, sha256(credential), req.schemaVersion, carried],
    );
    await tx.query('UPDATE enrollment_codes SET device_id = $2 WHERE id = $1', [code.code_id, deviceId]);
    const info = await tx.query<{ name: string; epoch: string }>(
      `SELECT c.name, (SELECT value FROM central_meta WHERE key = 'epoch') AS epoch FROM clinics c WHERE c.id = $1`,
      [clinicId],
    );
    return {
      deviceId,
      credential,
      clinicId,
      clinicName: info.rows[0]!.name,
      epoch: info.rows[0]!.epoch,
      secretsKey: encodeWrapKey(cipher.wrapKeyFor(clinicId)),
    };
  });
  if (typeof outcome === 'string') {
    onRefused(outcome);
    throw INVALID_CODE;
  }
  return outcome;
}

export interface AuthenticatedDevice {
  deviceId: string;
  clinicId: string;
}

/** The device a credential belongs to; revoked or unknown credentials are refused at once. */
export async function authenticateDevice(db: CentralDb, credential: string): Promise<AuthenticatedDevice> {
  const r = await db.pool.query<{ device_id: string; clinic_id: string; revoked_at: Date | null }>(
    'SELECT * FROM tessera.device_by_credential($1)',
    [sha256(credential)],
  );
  const row = r.rows[0];
  if (!row)
    throw new AppError(
      401,
      'not_authenticated',
      'This workstation’s credential is not known. Enroll it again.',
    );
  if (row.revoked_at) {
    throw new AppError(
      401,
      'device_revoked',
      'This workstation’s enrollment was revoked. Ask an administrator to enroll it again.',
    );
  }
  return { deviceId: row.device_id, clinicId: row.clinic_id };
}

/**
 * Device authentication with a short-lived cache of good credentials (a busy clinic authenticates every
 * pull). A revocation evicts at once: on this node directly, on every node through the `tessera_devices`
 * notification; while a node cannot hear notifications it does not cache at all.
 */
export class DeviceAuthenticator {
  readonly #cache = new Map<string, { device: AuthenticatedDevice; until: number }>();

  constructor(
    private readonly db: CentralDb,
    private readonly canCache: () => boolean,
    private readonly ttlMs = 30_000,
  ) {}

  async authenticate(credential: string): Promise<AuthenticatedDevice> {
    const key = sha256(credential);
    const hit = this.#cache.get(key);
    if (hit && hit.until > Date.now() && this.canCache()) return hit.device;
    const device = await authenticateDevice(this.db, credential);
    if (this.canCache()) {
      if (this.#cache.size > 50_000) this.#cache.clear();
      this.#cache.set(key, { device, until: Date.now() + this.ttlMs });
    }
    return device;
  }

  evict(deviceId: string): void {
    for (const [k, v] of this.#cache) if (v.device.deviceId === deviceId) this.#cache.delete(k);
  }
}
