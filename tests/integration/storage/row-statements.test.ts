import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../../server/workstation/db/open';
import { patients } from '../../../server/workstation/db/schema';
import { Store, systemActor } from '../../../server/workstation/db/store';
import { newKey } from '../../support/storage';
import { tempDir } from '../../support/workstation';

/**
 * The write path's cached statements (server/workstation/db/row-statements.ts) must store exactly what
 * drizzle's builder stores for the same call: the same columns and driver values (booleans as 0/1, nulls,
 * SQL defaults for what is left out), the same row read back, the same update. Compared here row for row,
 * as SQLite holds them, on the patients table (booleans with and without defaults, many nullable columns).
 */

const CLINIC = '0190a000-0000-7000-8000-00000000c11c';
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

const patient = (id: string, mrn: string) => ({
  id,
  clinicId: CLINIC,
  mrn,
  legalFirstName: 'Testa',
  legalMiddleName: null,
  legalLastName: 'Rowe',
  dateOfBirth: '1980-02-03',
  restricted: true,
  textOk: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const A = '0190a000-0000-7000-8000-0000000000aa';
const B = '0190a000-0000-7000-8000-0000000000bb';

/** The row as SQLite stores it, without the columns that differ on purpose. */
function stored(store: Store, id: string) {
  const row = store.db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as Record<string, unknown>;
  const { id: _id, mrn: _mrn, ...rest } = row;
  return rest;
}

describe('the write path’s cached statements', () => {
  it('insert, read back and update exactly as drizzle’s builder does', () => {
    const store = freshStore();
    store.write(systemActor, (w) => w.insert('patients', patient(A, 'M-1')));
    store.orm.insert(patients).values(patient(B, 'M-2')).run();
    expect(stored(store, A)).toEqual(stored(store, B));
    // Defaults for what was left out, booleans stored as integers.
    expect(stored(store, A)).toMatchObject({ restricted: 1, text_ok: 1, email_ok: 0, country: 'US', race: '[]' });

    const drizzleRow = store.orm.select().from(patients).where(eq(patients.id, A)).get();
    expect(store.statements.byId(patients, A)).toEqual(drizzleRow);
    expect(drizzleRow).toMatchObject({ restricted: true, emailOk: false, legalMiddleName: null });

    const patch = { restricted: false, legalMiddleName: 'Q', city: undefined, updatedAt: '2026-01-02T00:00:00.000Z' };
    store.write(systemActor, (w) => w.update('patients', A, patch));
    store.orm.update(patients).set(patch).where(eq(patients.id, B)).run();
    expect(stored(store, A)).toEqual(stored(store, B));
    expect(stored(store, A)).toMatchObject({ restricted: 0, legal_middle_name: 'Q' });

    // The outbox has the whole new row and only the fields that changed.
    const last = store.db
      .prepare("SELECT payload, changed_fields FROM outbox WHERE table_name = 'patients' ORDER BY mutation_id DESC LIMIT 1")
      .get() as { payload: string; changed_fields: string };
    expect(JSON.parse(last.payload)).toEqual(store.orm.select().from(patients).where(eq(patients.id, A)).get());
    expect(JSON.parse(last.changed_fields)).toEqual(['legalMiddleName', 'restricted', 'updatedAt']);
  });

  it('leaves a value it cannot bind to drizzle, and refuses an update with nothing to set', () => {
    const store = freshStore();
    expect(store.statements.insert(patients, { ...patient(A, 'M-1'), mrn: sql`'M-' || 7` })).toBe(false);
    expect(store.db.prepare('SELECT count(*) AS n FROM patients').get()).toEqual({ n: 0 });
    store.write(systemActor, (w) => w.insert('patients', { ...patient(A, 'M-1'), mrn: sql`'M-' || 7` } as never));
    expect(store.orm.select({ mrn: patients.mrn }).from(patients).get()).toEqual({ mrn: 'M-7' });
    expect(() => store.write(systemActor, (w) => w.update('patients', A, { city: undefined }))).toThrow('No values to set');
    expect(() => store.write(systemActor, (w) => w.update('patients', B, { city: 'X' }))).toThrow('No patients row to update.');
  });

  it('stamps each outbox row with the sync cursor as the outbox_seen_seq trigger would, in the INSERT itself', () => {
    const store = freshStore();
    const seen = () =>
      (store.db.prepare('SELECT seen_seq FROM outbox ORDER BY mutation_id DESC LIMIT 1').get() as { seen_seq: number | null }).seen_seq;
    // Not enrolled: no stamp. Enrolled, first download not done: none either. Then the cursor.
    store.write(systemActor, (w) => w.insert('patients', patient(A, 'M-1')));
    expect(seen()).toBeNull();
    store.db.prepare("UPDATE sync_state SET device_id = 'd1', cursor = 41 WHERE id = 1").run();
    store.write(systemActor, (w) => w.update('patients', A, { city: 'Ames' }));
    expect(seen()).toBeNull();
    store.db.prepare('UPDATE sync_state SET initial_done = 1, cursor = 42 WHERE id = 1').run();
    store.write(systemActor, (w) => w.update('patients', A, { city: 'Bly' }));
    expect(seen()).toBe(42);
    // The INSERT stamps it, not the trigger: with the trigger gone the rows are stamped all the same.
    store.db.exec('DROP TRIGGER outbox_seen_seq');
    store.db.prepare('UPDATE sync_state SET cursor = 43 WHERE id = 1').run();
    store.write(systemActor, (w) => w.insert('patients', patient(B, 'M-2')));
    expect(seen()).toBe(43);
    store.write(systemActor, (w) => w.update('patients', B, { city: 'Cody' }));
    expect(seen()).toBe(43);
  });
});
