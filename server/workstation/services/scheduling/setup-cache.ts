import type { Store } from '../../db/store';

/**
 * Set-up lists (providers, locations, rooms, types, hours, the clinic zone) are read by every booking and
 * every schedule view but change rarely. They are kept per store and dropped after any committed write to
 * the tables they come from (Store.onChange), so a change is seen by the very next request.
 */
const SOURCE_TABLES = new Set([
  'provider_profiles',
  'users',
  'locations',
  'rooms',
  'appointment_types',
  'working_hours',
  'clinic_settings',
]);

const caches = new WeakMap<Store, Map<string, unknown>>();

export function cached<T>(store: Store, key: string, compute: () => T): T {
  let cache = caches.get(store);
  if (!cache) {
    const fresh = new Map<string, unknown>();
    store.onChange((tables) => {
      for (const t of tables) {
        if (SOURCE_TABLES.has(t)) {
          fresh.clear();
          return;
        }
      }
    });
    caches.set(store, fresh);
    cache = fresh;
  }
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key) as T;
}
