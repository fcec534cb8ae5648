import pg from 'pg';

/**
 * The API's database access. Every query runs in a transaction that first names its tenant with
 * `set_config(…, true)` (transaction-local, like SET LOCAL), taken from the authenticated token: row-level
 * security then admits only that clinic's rows. A transaction that names no tenant sees no tenant rows.
 */

// bigint columns (sequences, counters) fit in a JS number for any realistic clinic.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface Tenant {
  clinicId?: string | null;
  orgId?: string | null;
  adminId?: string | null;
  operator?: boolean;
}

export interface Tx {
  client: pg.PoolClient;
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** Re-scope the rest of this transaction (after enrollment claims a clinic id). */
  setTenant(tenant: Tenant): Promise<void>;
}

export class CentralDb {
  readonly pool: pg.Pool;

  constructor(connectionString: string, max = 20) {
    this.pool = new pg.Pool({ connectionString, max, options: '-c search_path=tessera' });
    // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
  }

  async tx<T>(tenant: Tenant, fn: (tx: Tx) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      const query = <R extends pg.QueryResultRow>(text: string, params?: unknown[]) =>
        client.query<R>(text, params);
      const tenantSql = (t: Tenant) =>
        `SELECT set_config('tessera.clinic_id', ${client.escapeLiteral(t.clinicId ?? '')}, true),
                set_config('tessera.org_id', ${client.escapeLiteral(t.orgId ?? '')}, true),
                set_config('tessera.admin_id', ${client.escapeLiteral(t.adminId ?? '')}, true),
                set_config('tessera.operator', ${t.operator ? "'on'" : "''"}, true)`;
      const setTenant = async (t: Tenant) => {
        await client.query(tenantSql(t));
      };
      // One round trip to open the transaction and name its tenant (values escaped as literals).
      await client.query(
        `${opts.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN'}; ${tenantSql(tenant)}`,
      );
      const result = await fn({ client, query, setTenant });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
