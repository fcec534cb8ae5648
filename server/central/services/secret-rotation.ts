import pg from 'pg';
import { REPLICATED_TABLES } from '../../contracts/sync';
import { policyFor } from '../../domain/sync/policies';
import { ColumnCipher, columnCipherFor, WRAP_ROOT_PLACE, WrongSecretError } from '../crypto';
import { decryptRow, encryptRow } from './replication/row-store';

/**
 * `tessera-central secret rotate`: re-encrypts everything the central secret protects under a new one, in one
 * transaction (all or nothing), as the schema owner, with central stopped:
 *
 * - administrators' password hashes and TOTP secrets (admins);
 * - the secret fields of replicated rows (staff password hashes, MFA secrets, recovery codes; the tables
 *   whose conflict policy lists `encryptedFields`);
 * - the wrap root clinic wrapping keys derive from, stored encrypted in central_meta, so the keys
 *   workstations received at enrollment stay valid and none has to enrol again.
 *
 * A new encrypted column must be added here; `tests/integration/central/secret-rotation.test.ts` checks that no
 * value encrypted under the old secret is left anywhere in the schema.
 */
export interface RotationResult {
  admins: number;
  rows: number;
}

export async function rotateCentralSecret(
  ownerUrl: string,
  oldSecret: Buffer,
  newSecret: Buffer,
): Promise<RotationResult> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Nothing may write encrypted values meanwhile (central should be stopped; this makes sure).
    await client.query('LOCK TABLE tessera.admins, tessera.replica_rows, tessera.central_meta, tessera.clearinghouse_connections IN EXCLUSIVE MODE');
    const stored = await client.query<{ value: string }>(
      `SELECT value FROM tessera.central_meta WHERE key = 'wrap_root'`,
    );
    const from = columnCipherFor(oldSecret, stored.rows[0]?.value ?? null);
    const to = new ColumnCipher(newSecret, from.wrapRoot);

    const admins = await client.query<{ id: string; password_hash: string; totp_secret: string }>(
      'SELECT id, password_hash, totp_secret FROM tessera.admins',
    );
    for (const a of admins.rows) {
      let hash: string;
      let totp: string;
      try {
        hash = from.decrypt(a.password_hash, `admin/${a.id}/password_hash`);
        totp = from.decrypt(a.totp_secret, `admin/${a.id}/totp_secret`);
      } catch {
        throw new WrongSecretError();
      }
      await client.query('UPDATE tessera.admins SET password_hash = $2, totp_secret = $3 WHERE id = $1', [
        a.id,
        to.encrypt(hash, `admin/${a.id}/password_hash`),
        to.encrypt(totp, `admin/${a.id}/totp_secret`),
      ]);
    }

    // Clinics' clearinghouse secrets (services/clearinghouse/connections.ts).
    const links = await client.query<{ clinic_id: string; secret: string }>(
      'SELECT clinic_id, secret FROM tessera.clearinghouse_connections',
    );
    for (const l of links.rows) {
      const place = `clearinghouse_connections/${l.clinic_id}/secret`;
      let plain: string;
      try {
        plain = from.decrypt(l.secret, place);
      } catch {
        throw new WrongSecretError();
      }
      await client.query('UPDATE tessera.clearinghouse_connections SET secret = $2 WHERE clinic_id = $1', [
        l.clinic_id,
        to.encrypt(plain, place),
      ]);
    }

    const secretTables = REPLICATED_TABLES.filter((t) => policyFor(t).encryptedFields.length > 0);
    const rows = await client.query<{ clinic_id: string; table_name: string; row_id: string; data: Record<string, unknown> }>(
      'SELECT clinic_id, table_name, row_id, data FROM tessera.replica_rows WHERE table_name = ANY($1::text[])',
      [secretTables],
    );
    for (const r of rows.rows) {
      let plain: Record<string, unknown>;
      try {
        plain = decryptRow(from, r.clinic_id, r.table_name, r.row_id, r.data);
      } catch {
        throw new WrongSecretError();
      }
      await client.query(
        'UPDATE tessera.replica_rows SET data = $4 WHERE clinic_id = $1 AND table_name = $2 AND row_id = $3',
        [r.clinic_id, r.table_name, r.row_id, JSON.stringify(encryptRow(to, r.clinic_id, r.table_name, r.row_id, plain))],
      );
    }

    await client.query(
      `INSERT INTO tessera.central_meta (key, value) VALUES ('wrap_root', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [to.encrypt(from.wrapRoot.toString('hex'), WRAP_ROOT_PLACE)],
    );
    await client.query('COMMIT');
    return { admins: admins.rowCount ?? 0, rows: rows.rowCount ?? 0 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
