import type { Orm, Store } from './store';

const cache = new WeakMap<Store, Map<string, unknown>>();

/**
 * A query built and prepared once per database, then run with placeholders (`sql.placeholder`). For the
 * lookups every request makes (its session, its user, the security settings, the installed code set):
 * building a drizzle query and preparing its SQLite statement cost more than running it, on every call.
 * `key` names the query; `build` must not capture per-call values (pass them as placeholders).
 */
export function prepared<T>(store: Store, key: string, build: (orm: Orm) => T): T {
  let queries = cache.get(store);
  if (!queries) cache.set(store, (queries = new Map()));
  let query = queries.get(key) as T | undefined;
  if (query === undefined) {
    query = build(store.orm);
    queries.set(key, query);
  }
  return query;
}
