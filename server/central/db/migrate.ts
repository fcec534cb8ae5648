import pg from 'pg';
import { centralMigrations, latestCentralSchema } from './migrations';

/**
 * Runs as the schema owner: applies pending migrations (each in one transaction with its version row) and
 * makes sure the API's role exists with exactly the rights it needs: it can log in, use the schema, read
 * and write rows under row-level security and call the authentication look-ups. It owns nothing, is no
 * superuser and cannot bypass row-level security.
 */

const MIGRATION_LOCK = 7_345_001;

export interface MigrateResult {
  from: number;
  to: number;
  apiRole: string;
}

export function roleOf(url: string): { name: string; password: string | null } {
  const u = new URL(url);
  const name = decodeURIComponent(u.username);
  if (!name) throw new Error('DATABASE_URL must name the API role (postgres://role:password@host/db).');
  return { name, password: u.password ? decodeURIComponent(u.password) : null };
}

export async function migrateCentral(ownerUrl: string, apiUrl: string): Promise<MigrateResult> {
  const apiRole = roleOf(apiUrl);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const owner = (await client.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u;
    if (owner === apiRole.name) {
      throw new Error(
        'DATABASE_URL uses the schema owner’s role. The API must connect as a separate role that owns nothing (row-level security would not bind the owner in the same way).',
      );
    }
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE SCHEMA IF NOT EXISTS tessera');
      await client.query(
        'CREATE TABLE IF NOT EXISTS tessera.schema_versions (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const from = await schemaVersionOf(client);
      if (from > latestCentralSchema) {
        throw new Error(
          `The central database is at schema ${from}, newer than this central (${latestCentralSchema}). Update central.`,
        );
      }
      for (let v = from + 1; v <= latestCentralSchema; v++) {
        await client.query('BEGIN');
        try {
          await client.query(centralMigrations[v - 1]!);
          await client.query('INSERT INTO tessera.schema_versions (version) VALUES ($1)', [v]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
      await ensureApiRole(client, apiRole.name, apiRole.password);
      return { from, to: latestCentralSchema, apiRole: apiRole.name };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}

export async function schemaVersionOf(client: pg.ClientBase): Promise<number> {
  const exists = await client.query(`SELECT to_regclass('tessera.schema_versions') AS t`);
  if (!exists.rows[0].t) return 0;
  const r = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM tessera.schema_versions');
  return r.rows[0]?.v ?? 0;
}

async function ensureApiRole(client: pg.Client, name: string, password: string | null): Promise<void> {
  const role = client.escapeIdentifier(name);
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  if (exists.rowCount === 0) {
    try {
      await client.query(`CREATE ROLE ${role} LOGIN`);
    } catch (err) {
      // Two migrators racing (a cluster shared by tests) is fine; anything else needs a DBA.
      if ((err as { code?: string }).code !== '42710') {
        throw new Error(
          `The API role ${name} does not exist and this owner cannot create it (${(err as Error).message}). Create it: CREATE ROLE ${name} LOGIN PASSWORD '…' NOSUPERUSER NOBYPASSRLS;`,
        );
      }
    }
  }
  const pw = password === null ? '' : ` PASSWORD ${client.escapeLiteral(password)}`;
  try {
    await client.query(`ALTER ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE${pw}`);
  } catch (err) {
    // Without CREATEROLE the owner cannot alter roles; the start-up check on the API role still runs.
    if ((err as { code?: string }).code !== '42501') throw err;
  }
  const db = (await client.query<{ d: string }>('SELECT current_database() AS d')).rows[0]!.d;
  await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(db)} TO ${role}`);
  await client.query(`GRANT USAGE ON SCHEMA tessera, tessera_ext TO ${role}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tessera TO ${role}`);
  await client.query(
    `REVOKE INSERT, UPDATE, DELETE ON tessera.central_meta, tessera.schema_versions FROM ${role}`,
  );
  // A clinic's organization and id never change through the API (only the owner's claim function re-keys).
  await client.query(`REVOKE UPDATE, DELETE ON tessera.clinics, tessera.orgs FROM ${role}`);
  await client.query(
    `GRANT UPDATE (change_seq, schema_high_water, name, time_zone) ON tessera.clinics TO ${role}`,
  );
  await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tessera TO ${role}`);
  // The console's audit is appended only through tessera.admin_audit_append (hash chain), read under RLS.
  await client.query(`REVOKE INSERT, UPDATE, DELETE ON tessera.admin_audit FROM ${role}`);
}

/**
 * Start-up check on the API's own connection: refuse to serve if this role could see other clinics' rows
 * (superuser, BYPASSRLS, owner of the tables, or a member of the owner's role).
 */
export async function apiRoleProblem(client: pg.ClientBase): Promise<string | null> {
  const r = await client.query<{ rolsuper: boolean; rolbypassrls: boolean; owns: string; member: boolean }>(`
    SELECT r.rolsuper, r.rolbypassrls,
      (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'tessera' AND c.relowner = r.oid)::text AS owns,
      coalesce((SELECT bool_or(pg_has_role(r.oid, c.relowner, 'MEMBER')) FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'tessera'), false) AS member
    FROM pg_roles r WHERE r.rolname = current_user`);
  const row = r.rows[0];
  if (!row) return 'The API role was not found.';
  if (row.rolsuper)
    return 'DATABASE_URL connects as a superuser, which bypasses row-level security. Use the API role.';
  if (row.rolbypassrls) return 'DATABASE_URL connects as a role with BYPASSRLS. Use a role without it.';
  if (row.owns !== '0' || row.member) {
    return 'DATABASE_URL connects as (or as a member of) the role that owns the tables. Use a separate API role.';
  }
  return null;
}

export async function schemaProblem(client: pg.ClientBase): Promise<string | null> {
  const v = await schemaVersionOf(client);
  if (v < latestCentralSchema) {
    return `The central database is at schema ${v}; this central needs ${latestCentralSchema}. Run \`tessera-central migrate\` (with TESSERA_CENTRAL_OWNER_DATABASE_URL).`;
  }
  if (v > latestCentralSchema)
    return `The central database is at schema ${v}, newer than this central (${latestCentralSchema}). Update central.`;
  return null;
}
