import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCentral } from '../../../server/central/db/migrate';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

/**
 * replica_rows and replica_unique check their clinic once per statement (central migration 0018) instead
 * of through a per-row foreign key: the same rule must hold. A row naming a clinic that does not exist is
 * refused (as the API role, inside its tenant), so is moving a row to one, and a clinic that still has
 * replicated rows or keys can be neither deleted nor renumbered; an empty one still can (claim_empty_clinic).
 */

let db: TestDatabase;
let owner: pg.Client;
let api: pg.Client;
const org = crypto.randomUUID();

async function clinic(): Promise<string> {
  const id = crypto.randomUUID();
  await owner.query(
    `INSERT INTO tessera.clinics (id, org_id, name, time_zone) VALUES ($1, $2, 'Check', 'UTC')`,
    [id, org],
  );
  return id;
}

/** Run statements as the API role inside a clinic's tenant; resolves to the error code, or null. */
async function asTenant(clinicId: string, ...statements: [string, unknown[]][]): Promise<string | null> {
  await api.query('BEGIN');
  try {
    await api.query(
      `SELECT set_config('search_path', 'tessera', true), set_config('tessera.clinic_id', $1, true)`,
      [clinicId],
    );
    for (const [sql, params] of statements) await api.query(sql, params);
    await api.query('COMMIT');
    return null;
  } catch (err) {
    await api.query('ROLLBACK');
    return (err as { code?: string }).code ?? 'unknown';
  }
}

const insertRows = (clinicId: string, ids: string[]): [string, unknown[]] => [
  `INSERT INTO replica_rows (clinic_id, table_name, row_id, data, created_seq, created_by, seq)
   SELECT $1, 'patients', k.id, '{}'::jsonb, k.s, 'test', k.s FROM unnest($2::text[], $3::bigint[]) AS k(id, s)`,
  [clinicId, ids, ids.map((_, i) => i + 1)],
];
const insertKey = (clinicId: string, rowId: string): [string, unknown[]] => [
  `INSERT INTO replica_unique (clinic_id, table_name, key_name, key_value, row_id) VALUES ($1, 'patients', 'mrn', $2, $2)`,
  [clinicId, rowId],
];

beforeAll(async () => {
  db = await createTestDatabase('replica_clinic');
  await migrateCentral(db.ownerUrl, db.apiUrl);
  owner = new pg.Client({ connectionString: db.ownerUrl });
  api = new pg.Client({ connectionString: db.apiUrl });
  await owner.connect();
  await api.connect();
  await owner.query(`INSERT INTO tessera.orgs (id, name) VALUES ($1, 'Check org')`, [org]);
});

afterAll(async () => {
  await owner?.end();
  await api?.end();
  await db?.drop();
});

describe('replicated rows name a clinic that exists', () => {
  it('stores a batch for an existing clinic, and refuses rows and keys of a clinic that does not exist', async () => {
    const existing = await clinic();
    expect(
      await asTenant(existing, insertRows(existing, ['a', 'b', 'c']), insertKey(existing, 'a')),
    ).toBeNull();
    const missing = crypto.randomUUID();
    expect(await asTenant(missing, insertRows(missing, ['a']))).toBe('23503');
    expect(await asTenant(missing, insertKey(missing, 'a'))).toBe('23503');
    const stored = await owner.query(
      'SELECT count(*)::int AS n FROM tessera.replica_rows WHERE clinic_id = $1',
      [missing],
    );
    expect(stored.rows[0].n).toBe(0);
  });

  it('refuses moving a row to a clinic that does not exist; an upsert of the row itself is not checked again', async () => {
    const c = await clinic();
    expect(await asTenant(c, insertRows(c, ['m']), insertKey(c, 'm'))).toBeNull();
    // The push's upsert (ON CONFLICT DO UPDATE) leaves clinic_id alone.
    expect(
      await asTenant(c, [
        `INSERT INTO replica_rows (clinic_id, table_name, row_id, data, created_seq, created_by, seq)
         VALUES ($1, 'patients', 'm', '{"x":1}', 9, 'test', 9)
         ON CONFLICT (clinic_id, table_name, row_id) DO UPDATE SET data = EXCLUDED.data, seq = EXCLUDED.seq`,
        [c],
      ]),
    ).toBeNull();
    await expect(
      owner.query(`UPDATE tessera.replica_rows SET clinic_id = $2 WHERE clinic_id = $1`, [
        c,
        crypto.randomUUID(),
      ]),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      owner.query(`UPDATE tessera.replica_unique SET clinic_id = $2 WHERE clinic_id = $1`, [
        c,
        crypto.randomUUID(),
      ]),
    ).rejects.toMatchObject({ code: '23503' });
  });

  it('keeps a clinic with replicated rows or keys from being deleted or renumbered', async () => {
    const withRows = await clinic();
    expect(await asTenant(withRows, insertRows(withRows, ['r']))).toBeNull();
    await expect(owner.query('DELETE FROM tessera.clinics WHERE id = $1', [withRows])).rejects.toMatchObject({
      code: '23503',
    });
    await expect(
      owner.query('UPDATE tessera.clinics SET id = $2 WHERE id = $1', [withRows, crypto.randomUUID()]),
    ).rejects.toMatchObject({ code: '23503' });
    const withKey = await clinic();
    expect(await asTenant(withKey, insertKey(withKey, 'k'))).toBeNull();
    await expect(owner.query('DELETE FROM tessera.clinics WHERE id = $1', [withKey])).rejects.toMatchObject({
      code: '23503',
    });
    // Other updates of the clinic row (its change sequence) are not held up.
    await owner.query('UPDATE tessera.clinics SET change_seq = change_seq + 1 WHERE id = $1', [withRows]);
  });

  it('lets an empty clinic take a workstation’s clinic id (claim_empty_clinic)', async () => {
    const empty = await clinic();
    const renamed = crypto.randomUUID();
    expect(await asTenant(empty, ['SELECT tessera.claim_empty_clinic($1, $2)', [empty, renamed]])).toBeNull();
    const moved = await owner.query('SELECT id FROM tessera.clinics WHERE id = $1', [renamed]);
    expect(moved.rows).toHaveLength(1);
    expect(await asTenant(renamed, insertRows(renamed, ['n']))).toBeNull();
  });
});
