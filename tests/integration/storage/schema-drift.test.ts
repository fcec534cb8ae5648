import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../server/workstation/db/migrations';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../../server/workstation/db/open';
import * as schema from '../../../server/workstation/db/schema';
import { newKey } from '../../support/storage';
import { tempDir } from '../../support/workstation';

/**
 * The migrations create the tables; the drizzle schema is how the code reads and writes them. The two
 * must describe the same columns, or a query names a column that does not exist (or leaves one out) only
 * when it runs. This test runs every migration on a fresh database and compares each table's
 * `PRAGMA table_info` (name, declared type, NOT NULL, primary key) and its CHECK value lists with the
 * drizzle schema.
 */

interface Column {
  name: string;
  type: string;
  notNull: boolean;
  pk: boolean;
}

/** Tables the migrations make that the code reaches only through SQL, each with its reason. */
const sqlOnly: Record<string, string> = {
  patient_name_search: 'FTS5 index over patient names, kept by triggers on patients, queried with MATCH',
  patient_name_terms: 'vocabulary of name words for typo matching, kept by triggers on patients',
  patient_phone_search: 'phone digits index, kept by triggers on patients',
  ledger_balance_summary: 'balances per patient for the aging report, kept by triggers on ledger_entries',
  ledger_debit_summary: 'debits per patient and day for the aging report, kept by triggers on ledger_entries',
  ledger_summary_deferral: 'pauses the ledger summary triggers inside one bulk posting transaction, never committed',
  ledger_fold_checkpoints: 'each opened ledger account folded up to a position, raw SQL in fold-checkpoint.ts, dropped by triggers on ledger rows',
};

/** Enum columns (drizzle) whose table the migrations made without a CHECK, each with its reason. */
const enumsWithoutCheck: Record<string, string> = {
  'appointment_status_events.from_status': 'shipped without a CHECK in 0003; the statuses come from appointments.status, which has one',
  'appointment_status_events.to_status': 'shipped without a CHECK in 0003; the statuses come from appointments.status, which has one',
};

let db: SqliteDatabase;

beforeAll(() => {
  db = openDatabase(path.join(tempDir(), DB_FILE_NAME), newKey());
});
afterAll(() => db?.close());

const drizzleTables = (Object.values(schema) as unknown[])
  .filter((v): v is SQLiteTable => is(v, SQLiteTable))
  .map((t) => getTableConfig(t));

function migratedTables(): string[] {
  const virtual = Object.keys(sqlOnly);
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !n.startsWith('sqlite_'))
    // FTS5's shadow tables (<name>_data, _idx, _content, _docsize, _config) belong to the virtual table.
    .filter((n) => !virtual.some((v) => n === v || n.startsWith(`${v}_`)))
    .sort();
}

function migratedColumns(table: string): Column[] {
  return (
    db.prepare(`PRAGMA table_info(${JSON.stringify(table)})`).all() as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[]
  ).map((c) => ({
    name: c.name,
    type: c.type.toUpperCase(),
    // An INTEGER PRIMARY KEY is the rowid: never NULL, though table_info reports notnull 0.
    notNull: c.notnull === 1 || (c.pk > 0 && c.type.toUpperCase() === 'INTEGER'),
    pk: c.pk > 0,
  }));
}

function drizzleColumns(table: (typeof drizzleTables)[number]): Column[] {
  const compositePk = new Set(table.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)));
  return table.columns.map((c) => ({
    name: c.name,
    type: c.getSQLType().toUpperCase(),
    notNull: c.notNull || c.primary,
    pk: c.primary || compositePk.has(c.name),
  }));
}

/** `CHECK (col IN ('a', 'b'))` lists in a table's CREATE statement, by column. */
function checkLists(table: string): Record<string, string[]> {
  const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as {
    sql: string;
  }).sql;
  const lists: Record<string, string[]> = {};
  for (const m of sql.matchAll(/CHECK\s*\(\s*(\w+)\s+IN\s*\(([^)]*)\)\s*\)/gi)) {
    const values = [...m[2]!.matchAll(/'([^']*)'/g)].map((v) => v[1]!).sort();
    // A numeric flag (`IN (0, 1)`) is not a text enum; only quoted lists are compared with drizzle's enums.
    if (values.length > 0) lists[m[1]!] = values;
  }
  return lists;
}

describe('migrations and the drizzle schema describe the same tables', () => {
  it('has a drizzle table for every migrated table, and no drizzle table the migrations lack', () => {
    expect(drizzleTables.map((t) => t.name).sort()).toEqual(migratedTables());
  });

  it.each(drizzleTables.map((t) => [t.name, t] as const))(
    '%s: same columns (name, type, NOT NULL, primary key)',
    (name, table) => {
      const byName = (a: Column, b: Column) => a.name.localeCompare(b.name);
      expect(drizzleColumns(table).sort(byName)).toEqual(migratedColumns(name).sort(byName));
    },
  );

  it.each(drizzleTables.map((t) => [t.name, t] as const))('%s: same allowed values per enum column', (name, table) => {
    const fromDrizzle = Object.fromEntries(
      table.columns
        .filter((c) => (c as { enumValues?: string[] }).enumValues?.length)
        .filter((c) => !enumsWithoutCheck[`${name}.${c.name}`])
        .map((c) => [c.name, [...(c as unknown as { enumValues: string[] }).enumValues].sort()]),
    );
    expect(fromDrizzle).toEqual(checkLists(name));
  });
});

describe('shipped migrations', () => {
  // Their CHECK lists come from the contracts (migrations/sql.ts oneOf), so editing a contract's value list
  // would silently change a shipped migration: databases made before would keep the old list.
  it('keep their exact SQL (a changed enum needs a new migration that rebuilds the table)', () => {
    const file = path.join(import.meta.dirname, 'shipped-migrations.sha256.json');
    const pinned = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    for (const [version, hash] of Object.entries(pinned)) {
      const sql = migrations[Number(version) - 1];
      expect(sql, `migration ${version} is missing`).toBeDefined();
      const now = crypto.createHash('sha256').update(sql!).digest('hex');
      expect(
        now,
        `Migration ${version} changed since it shipped. Put the change in a new migration instead; ` +
          'only when a migration has not shipped yet may its hash in shipped-migrations.sha256.json be updated.',
      ).toBe(hash);
    }
  });
});
