import * as m0001 from './0001_initial';

/**
 * Ordered list of schema migrations; index + 1 is the schema version stored in PRAGMA user_version.
 * Each runs in its own transaction together with the version bump.
 */
export const migrations: readonly string[] = [m0001.sql];

export const latestSchemaVersion = migrations.length;
