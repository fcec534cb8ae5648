import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../../server/workstation/db/open';
import * as schema from '../../../server/workstation/db/schema';
import { Store, systemActor } from '../../../server/workstation/db/store';
import { RemoteApplier } from '../../../server/workstation/sync/apply';
import { newKey } from '../../support/storage';
import { tempDir } from '../../support/workstation';

/**
 * During the first download the applier INSERTs first and UPDATEs only when the INSERT is refused (one
 * statement per new row). The outcome must be the same as UPDATE-then-INSERT: a row that exists is
 * updated, a new one inserted, and a row the database refuses is reported (an inbox entry) only when there
 * was no row to update.
 */

const CLINIC = '0190a000-0000-7000-8000-00000000c12c';
const open: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function freshStore() {
  const db = openDatabase(path.join(tempDir(), DB_FILE_NAME), newKey());
  open.push(db);
  const store = new Store(db);
  store.write(systemActor, (w) => store.setClinic(w, CLINIC));
  return store;
}

const patient = (id: string, mrn: string, first: string) => ({
  id,
  clinicId: CLINIC,
  mrn,
  legalFirstName: first,
  legalLastName: 'Haddad',
  dateOfBirth: '1979-11-03',
  restricted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
});

const page = (rows: ReturnType<typeof patient>[]) =>
  rows.map((row, i) => ({ seq: i + 1, table: 'patients', rowId: row.id, row }));

describe.each([true, false])('storing a pulled page (mostlyNew: %s)', (mostlyNew) => {
  it('inserts new rows, updates existing ones, and reports a refused row only when none was there', () => {
    const store = freshStore();
    const applier = new RemoteApplier(store);
    const existing = '0190a000-0000-7000-8000-000000000201';
    const fresh = '0190a000-0000-7000-8000-000000000202';
    const clash = '0190a000-0000-7000-8000-000000000203';
    applier.applyPage(page([patient(existing, '100000001', 'Old')]), () => {}, { mostlyNew });

    const out = applier.applyPage(
      page([
        patient(existing, '100000001', 'Updated'),
        patient(fresh, '100000002', 'New'),
        // Takes the MRN the existing patient holds: refused by the local unique index.
        patient(clash, '100000001', 'Clash'),
      ]),
      () => {},
      { mostlyNew },
    );

    expect(out).toEqual({ applied: 2, failed: 1 });
    const names = Object.fromEntries(
      store.orm
        .select({ id: schema.patients.id, first: schema.patients.legalFirstName })
        .from(schema.patients)
        .all()
        .map((r) => [r.id, r.first]),
    );
    expect(names).toEqual({ [existing]: 'Updated', [fresh]: 'New' });
    const entries = store.orm.select().from(schema.syncConflicts).all();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'apply_failed', tableName: 'patients', rowId: clash });
    // The refused INSERT left nothing behind (its statement was undone, triggers included).
    expect(
      store.orm.select().from(schema.patients).where(eq(schema.patients.id, clash)).get(),
    ).toBeUndefined();
  });
});
