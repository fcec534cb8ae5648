import * as m0001 from './0001_initial';
import * as m0002 from './0002_code_sets';
import * as m0004 from './0004_telehealth';

/** Ordered central migrations; index + 1 is the version recorded in tessera.schema_versions. */
export const centralMigrations: readonly string[] = [m0001.sql, m0002.sql, m0004.sql];

export const latestCentralSchema = centralMigrations.length;
