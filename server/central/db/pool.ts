import pg from 'pg';
import { RetryableError } from '../../platform/errors';

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
  /**
   * This transaction moves the clinic's change sequence to `head`: told to this process's head listeners
   * (`CentralDb.onCommittedHead`) as soon as it commits, not told if it rolls back.
   */
  movedHead(clinicId: string, head: number): void;
}

export class CentralDb {
  readonly pool: pg.Pool;
  readonly #headListeners = new Set<(clinicId: string, head: number) => void>();

  constructor(connectionString: string, max = 20) {
    // No session settings (a connection pooler in transaction mode, such as PgBouncer, hands each
    // transaction another server connection): the schema is named per transaction, like the tenant.
    this.pool = new pg.Pool({ connectionString, max });
    // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
  }

  /**
   * Told each clinic head a transaction of this process committed, right after its COMMIT. Every node hears
   * every head from the NOTIFY too, but that comes back through the live channel a moment later, and a
   * pull this node answers in between must already know of the change (replication/pull-share.ts).
   */
  onCommittedHead(listener: (clinicId: string, head: number) => void): () => void {
    this.#headListeners.add(listener);
    return () => this.#headListeners.delete(listener);
  }

  async tx<T>(tenant: Tenant, fn: (tx: Tx) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
    return this.#withClient(async (client) => {
      const moved: [string, number][] = [];
      const movedHead = (clinicId: string, head: number) => void moved.push([clinicId, head]);
      const query = <R extends pg.QueryResultRow>(text: string, params?: unknown[]) =>
        client.query<R>(text, params);
      const setTenant = async (t: Tenant) => {
        await client.query(tenantSql(t));
      };
      // One round trip to open the transaction and name its tenant (values escaped as literals).
      await client.query(
        `${opts.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN'}; ${tenantSql(tenant)}`,
      );
      const result = await fn({ client, query, setTenant, movedHead });
      await client.query('COMMIT');
      for (const [clinicId, head] of moved) for (const l of this.#headListeners) l(clinicId, head);
      return result;
    });
  }

  /**
   * Read-only statements in one repeatable-read transaction of their own (one snapshot), sent together with
   * the BEGIN, the tenant and the COMMIT as one message (the simple query protocol): one round trip to the
   * database and the pooler, where `tx` takes one for each statement and two more. For the hottest reads (a
   * pull page). `statements` is given pg's `escapeLiteral` and must put every value into the text through it
   * or as a checked number: the simple protocol has no parameters. Answers each statement's rows.
   */
  async readOnce(
    tenant: Tenant,
    statements: (literal: (value: string) => string) => string[],
  ): Promise<Record<string, unknown>[][]> {
    return this.#once('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', tenant, statements);
  }

  /**
   * As readOnce, for writes that need nothing back in between (a batch of status reports): BEGIN, the
   * tenant, the statements and COMMIT in one round trip. A failing statement skips the rest and the
   * transaction is rolled back; nothing of it is stored.
   */
  async writeOnce(
    tenant: Tenant,
    statements: (literal: (value: string) => string) => string[],
  ): Promise<Record<string, unknown>[][]> {
    return this.#once('BEGIN', tenant, statements);
  }

  async #once(
    begin: string,
    tenant: Tenant,
    statements: (literal: (value: string) => string) => string[],
  ): Promise<Record<string, unknown>[][]> {
    return this.#withClient(async (client) => {
      const body = statements(pg.escapeLiteral);
      const text = [begin, tenantSql(tenant), ...body, 'COMMIT'];
      const results = (await client.query(text.join(';\n'))) as unknown as pg.QueryResult[];
      return results.slice(2, 2 + body.length).map((r) => r.rows);
    });
  }

  /**
   * A pooled connection for `fn`, which opens its own transaction: committed by `fn`, rolled back here if
   * `fn` throws, and the connection closed rather than reused when the server or the socket failed.
   */
  async #withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw isConnectionError(err) ? databaseUnavailable() : err;
    }
    // A checked-out client has no listener of the pool's. When the server ends its connection in the
    // middle of a transaction (a terminated backend, a failover), pg emits 'error' on it, and an 'error'
    // event nobody listens to ends the whole process. Note it instead: the query in flight fails too, and
    // this request is answered "try again" while every other request goes on.
    let lost: Error | null = null;
    const onError = (err: Error) => {
      lost = err;
    };
    client.on('error', onError);
    let broken = false;
    try {
      return await fn(client);
    } catch (err) {
      if (lost || isConnectionError(err)) {
        broken = true;
        throw databaseUnavailable();
      }
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw err;
    } finally {
      client.off('error', onError);
      // A connection that failed is closed, never handed to the next request.
      client.release(broken || lost !== null);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Names the transaction's tenant (and the schema): transaction-local settings, values escaped as literals. */
const tenantSql = (t: Tenant) =>
  `SELECT set_config('search_path', 'tessera', true),
          set_config('tessera.clinic_id', ${pg.escapeLiteral(t.clinicId ?? '')}, true),
          set_config('tessera.org_id', ${pg.escapeLiteral(t.orgId ?? '')}, true),
          set_config('tessera.admin_id', ${pg.escapeLiteral(t.adminId ?? '')}, true),
          set_config('tessera.operator', ${t.operator ? "'on'" : "''"}, true)`;

/** The database went away under a request: the caller retries (the server, or a failover, comes back). */
const databaseUnavailable = () =>
  new RetryableError(
    'database_unavailable',
    'Central lost its connection to the database. Try again in a few seconds; nothing is stored twice.',
    5,
  );

/**
 * Errors that mean the connection, not the statement, failed: the server ended it (class 57P: an
 * administrator terminated the backend, a shutdown), a connection exception (class 08), or the socket broke.
 */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && (code.startsWith('57P') || code.startsWith('08'))) return true;
  if (typeof code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code))
    return true;
  const message = err instanceof Error ? err.message : '';
  return /^Connection terminated|not queryable|Connection ended/.test(message);
}
