import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { latestSchemaVersion, migrations } from '../../../server/workstation/db/migrations';
import { DB_FILE_NAME, migrate, openDatabase, schemaVersion } from '../../../server/workstation/db/open';
import { Store, systemActor } from '../../../server/workstation/db/store';
import { verifyAuditLog } from '../../../server/workstation/services/audit/verify';
import { dumpDatabase, newKey, snapshot, tableNames } from '../../support/storage';
import { tempDir } from '../../support/workstation';

/**
 * The migration list is a plain array the runner reads at call time, so a test can append migrations
 * (a future schema version, or a broken one) and take them off again.
 */
const list = migrations as string[];
const shipped = list.length;
afterEach(() => {
  list.length = shipped;
});

/** A database at schema version 1 holding a clinic, a user, patients and audit entries. */
function version1Database() {
  const dir = tempDir();
  const file = path.join(dir, DB_FILE_NAME);
  const key = newKey();
  const db = openDatabase(file, key, { migrate: false });
  expect(schemaVersion(db)).toBe(0);
  expect(migrate(db, 1)).toBe(1);
  const store = new Store(db);
  store.write(systemActor, (w) => {
    store.setClinic(w, '0190a000-0000-7000-8000-00000000c11c');
    w.setClinicSetting('clinic_info', { name: 'Old Clinic', timeZone: 'America/Denver' });
    for (let i = 1; i <= 3; i++) {
      // Plain SQL: the drizzle schema describes the latest version, whose columns a version-1 table lacks.
      db.prepare(
        `INSERT INTO patients (id, clinic_id, mrn, legal_first_name, legal_last_name, date_of_birth, restricted, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        `0190a000-0000-7000-8000-00000000000${i}`,
        '0190a000-0000-7000-8000-00000000c11c',
        `10000000${i}`,
        `First${i}`,
        `Last${i}`,
        '1970-01-0' + i,
        i === 3 ? 1 : 0,
        '2024-01-01T00:00:00.000Z',
        '2024-01-01T00:00:00.000Z',
      );
      w.audit({ action: 'patient.create', patientId: `0190a000-0000-7000-8000-00000000000${i}` });
    }
  });
  const before = dumpDatabase(db);
  db.close();
  return { dir, file, key, before };
}

/** The same data brought up to the shipped schema version: the starting point for a future migration. */
function shippedDatabase() {
  const v1 = version1Database();
  const db = openDatabase(v1.file, v1.key);
  expect(schemaVersion(db)).toBe(shipped);
  const before = dumpDatabase(db);
  db.close();
  return { ...v1, before };
}

/** Rows restricted to the columns they had before (later migrations may add columns). */
const sameColumns = (rows: unknown[], like: unknown[]) =>
  rows.map((r, i) =>
    Object.fromEntries(
      Object.keys((like[i] ?? {}) as object).map((k) => [k, (r as Record<string, unknown>)[k]]),
    ),
  );

describe('schema migrations', () => {
  it('a version-1 database with data opens at the latest version and keeps every row', () => {
    const { file, key, before } = version1Database();
    const db = openDatabase(file, key);
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    const after = dumpDatabase(db);
    for (const [name, rows] of Object.entries(before.tables)) {
      expect(sameColumns(after.tables[name]!, rows), name).toEqual(rows);
    }
    expect(verifyAuditLog(new Store(db))).toMatchObject({ ok: true, checked: 3 });
    db.close();
  });

  it('runs a newer migration over an old database at open, keeping rows and the audit chain', () => {
    const { file, key, before } = shippedDatabase();
    list.push(`
      ALTER TABLE patients ADD COLUMN preferred_name TEXT;
      UPDATE patients SET preferred_name = legal_first_name;
      CREATE TABLE future_feature_rows (id TEXT PRIMARY KEY, clinic_id TEXT NOT NULL, patient_id TEXT NOT NULL) STRICT;
    `);
    const db = openDatabase(file, key);
    expect(schemaVersion(db)).toBe(shipped + 1);
    expect(tableNames(db)).toContain('future_feature_rows');
    const after = dumpDatabase(db);
    expect(after.tables.patients).toEqual(
      (before.tables.patients as Record<string, unknown>[]).map((p) => ({ ...p, preferred_name: p.legal_first_name })),
    );
    for (const name of ['meta', 'users', 'clinic_settings', 'audit_log', 'outbox']) {
      expect(after.tables[name], name).toEqual(before.tables[name]);
    }
    expect(verifyAuditLog(new Store(db))).toMatchObject({ ok: true });
    db.close();
    // Opening again runs nothing twice.
    const again = openDatabase(file, key);
    expect(schemaVersion(again)).toBe(shipped + 1);
    again.close();
  });

  it('refuses a database from a newer Tessera with an "update Tessera" error and leaves it untouched', () => {
    const { dir, file, key } = version1Database();
    const db = openDatabase(file, key);
    db.pragma(`user_version = ${latestSchemaVersion + 3}`);
    db.close();
    const before = snapshot(dir);
    for (const options of [{}, { migrate: true }]) {
      expect(() => openDatabase(file, key, options)).toThrow(
        new RegExp(`newer Tessera \\(schema ${latestSchemaVersion + 3}; this version knows ${latestSchemaVersion}\\)\\. Update Tessera\\.`),
      );
    }
    expect(snapshot(dir)).toEqual(before);
    // Read-only access (what a backup check does) does not migrate and does not refuse.
    const ro = openDatabase(file, key, { readonly: true });
    expect(schemaVersion(ro)).toBe(latestSchemaVersion + 3);
    ro.close();
    // (A read-only connection to a WAL database may leave empty -wal/-shm files; the database is unchanged.)
    expect(snapshot(dir)[DB_FILE_NAME]).toBe(before[DB_FILE_NAME]);
  });

  it('a failing migration rolls back entirely: no partial schema, no changed rows, version unchanged', () => {
    const { file, key, before } = shippedDatabase();
    list.push(`
      CREATE TABLE half_done (id TEXT PRIMARY KEY) STRICT;
      UPDATE patients SET legal_last_name = 'CHANGED';
      ALTER TABLE patients ADD COLUMN mrn TEXT; -- duplicate column: fails after the statements above ran
    `);
    expect(() => openDatabase(file, key)).toThrow(/duplicate column name: mrn/);
    const db = openDatabase(file, key, { migrate: false });
    expect(schemaVersion(db)).toBe(shipped);
    expect(tableNames(db)).not.toContain('half_done');
    expect(dumpDatabase(db)).toEqual(before);
    db.close();
  });

  it('applies each migration in its own transaction: a failure stops at the last good version', () => {
    const { file, key, before } = shippedDatabase();
    list.push(`CREATE TABLE v2_table (id TEXT PRIMARY KEY) STRICT; INSERT INTO v2_table VALUES ('kept');`);
    list.push(`CREATE TABLE v3_table (id TEXT PRIMARY KEY) STRICT; INSERT INTO no_such_table VALUES (1);`);
    expect(() => openDatabase(file, key)).toThrow(/no such table: no_such_table/);
    const db = openDatabase(file, key, { migrate: false });
    expect(schemaVersion(db)).toBe(shipped + 1);
    expect(db.prepare('SELECT id FROM v2_table').all()).toEqual([{ id: 'kept' }]);
    expect(tableNames(db)).not.toContain('v3_table');
    expect(dumpDatabase(db).tables.patients).toEqual(before.tables.patients);

    // Once the broken migration is fixed, the next open finishes the job.
    list[shipped + 1] = `CREATE TABLE v3_table (id TEXT PRIMARY KEY) STRICT;`;
    db.close();
    const fixed = openDatabase(file, key);
    expect(schemaVersion(fixed)).toBe(shipped + 2);
    expect(tableNames(fixed)).toContain('v3_table');
    fixed.close();
  });

  it('migrate(db, target) stops at the target and migrate(db) goes the rest of the way', () => {
    list.push(`CREATE TABLE later (id TEXT) STRICT;`);
    const db = openDatabase(path.join(tempDir(), DB_FILE_NAME), newKey(), { migrate: false });
    expect(migrate(db, 1)).toBe(1);
    expect(tableNames(db)).not.toContain('later');
    expect(migrate(db)).toBe(shipped + 1);
    expect(tableNames(db)).toContain('later');
    expect(migrate(db)).toBe(shipped + 1);
    db.close();
  });
});
