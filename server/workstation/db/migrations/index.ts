import * as m0001 from './0001_initial';
import * as m0002 from './0002_patient_registry';
import * as m0003 from './0003_scheduling';
import * as m0004 from './0004_clinical';
import * as m0005 from './0005_sync';
import * as m0006 from './0006_codesets';
import * as m0010 from './0010_telehealth';

/**
 * Ordered list of schema migrations; index + 1 is the schema version stored in PRAGMA user_version.
 * Each runs in its own transaction together with the version bump.
 */
export const migrations: readonly string[] = [
  m0001.sql,
  m0002.sql,
  m0003.sql,
  m0004.sql,
  m0005.sql,
  m0006.sql,
  m0010.sql,
];

export const latestSchemaVersion = migrations.length;
