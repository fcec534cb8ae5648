import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../../server/workstation/db/open';
import {
  patientSearchSuspended,
  resumePatientSearch,
  suspendPatientSearch,
} from '../../../server/workstation/db/patient-search-index';
import { newKey } from '../../support/storage';
import { tempDir } from '../../support/workstation';

/**
 * The patient search index suspended during a first download and rebuilt in bulk at its end
 * (db/patient-search-index.ts) must equal the index the triggers keep row by row: for any sequence of
 * patients written, renamed, re-numbered, tombstoned, restored and deleted, part of it while suspended, the
 * names, phone digits and name words searched are the same. A crash while suspended leaves a database that
 * the next open makes whole.
 */

const dbs: SqliteDatabase[] = [];
afterAll(() => {
  for (const db of dbs) db.close();
});

const open = (file = path.join(tempDir('tessera-search-'), DB_FILE_NAME), key = newKey()) => {
  const db = openDatabase(file, key);
  dbs.push(db);
  return { db, file, key };
};

const names = ['Ana', 'José', "O'Brien", 'Smith-Jones', 'De la Cruz', 'Müller', 'Ng', 'anna'];
const phones = [null, '+15125550100', '5125550100', '15125550199', '+4930123456'];

const op = fc.oneof(
  fc.record({
    t: fc.constant('put' as const),
    p: fc.nat({ max: 7 }),
    first: fc.constantFrom(...names),
    last: fc.constantFrom(...names),
    middle: fc.constantFrom(null, ...names),
    mobile: fc.constantFrom(...phones),
    home: fc.constantFrom(...phones),
    deleted: fc.boolean(),
  }),
  fc.record({ t: fc.constant('delete' as const), p: fc.nat({ max: 7 }) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(db: SqliteDatabase, o: Op): void {
  const id = `patient-${o.p}`;
  if (o.t === 'delete') {
    db.prepare('DELETE FROM patients WHERE id = ?').run(id);
    return;
  }
  const values = [o.first, o.middle, o.last, o.mobile, o.home, o.deleted ? '2026-01-01T00:00:00Z' : null, id];
  const updated = db
    .prepare(
      `UPDATE patients SET legal_first_name = ?, legal_middle_name = ?, legal_last_name = ?, phone_mobile = ?,
         phone_home = ?, deleted_at = ? WHERE id = ?`,
    )
    .run(...values).changes;
  if (!updated)
    db.prepare(
      `INSERT INTO patients (legal_first_name, legal_middle_name, legal_last_name, phone_mobile, phone_home,
         deleted_at, id, clinic_id, mrn, date_of_birth, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'clinic', ?, '1980-01-01', 'now', 'now')`,
    ).run(...values, `mrn-${o.p}`);
}

/** What search reads: names per patient, phone digits, and words (those of live patients must be there). */
function searched(db: SqliteDatabase) {
  return {
    names: db
      .prepare(
        `SELECT k.patient_id, n.names FROM patient_name_search n JOIN patient_search_keys k ON k.key = n.rowid
         ORDER BY k.patient_id`,
      )
      .all(),
    prefix: db
      .prepare(
        `SELECT k.patient_id FROM patient_name_search n JOIN patient_search_keys k ON k.key = n.rowid
         WHERE patient_name_search MATCH 'an*' ORDER BY k.patient_id`,
      )
      .all(),
    phones: db.prepare('SELECT digits, patient_id FROM patient_phone_search ORDER BY digits, patient_id').all(),
    liveKeys: db
      .prepare(
        `SELECT id FROM patients WHERE deleted_at IS NULL AND id NOT IN (SELECT patient_id FROM patient_search_keys)`,
      )
      .all(),
  };
}
const terms = (db: SqliteDatabase) =>
  new Set((db.prepare('SELECT term FROM patient_name_terms').all() as { term: string }[]).map((r) => r.term));
const liveTerms = (db: SqliteDatabase) =>
  new Set(
    (
      db
        .prepare(
          `SELECT lower(legal_first_name) AS t FROM patients WHERE deleted_at IS NULL
           UNION SELECT lower(legal_middle_name) FROM patients WHERE deleted_at IS NULL AND legal_middle_name IS NOT NULL
           UNION SELECT lower(legal_last_name) FROM patients WHERE deleted_at IS NULL`,
        )
        .all() as { t: string }[]
    ).map((r) => r.t),
  );

describe('the patient search index suspended and rebuilt in bulk', () => {
  const byTriggers = open().db;
  const suspended = open().db;

  it('equals the index the triggers keep, whatever was written before, during and after', () => {
    const clear = (db: SqliteDatabase) => db.exec('DELETE FROM patients');
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.nat(), fc.nat(), (ops, a, b) => {
        clear(byTriggers);
        clear(suspended);
        const from = a % (ops.length + 1);
        const to = from + (b % (ops.length - from + 1));
        ops.forEach((o, i) => {
          apply(byTriggers, o);
          suspended.transaction(() => {
            if (i === from) suspendPatientSearch(suspended);
            apply(suspended, o);
            if (i === to - 1) resumePatientSearch(suspended);
          })();
        });
        suspended.transaction(() => resumePatientSearch(suspended))();
        expect(patientSearchSuspended(suspended)).toBe(false);
        expect(searched(suspended)).toEqual(searched(byTriggers));
        expect(searched(suspended).liveKeys).toEqual([]);
        // Words only ever grow (a stale one costs nothing): every live one is there, none the triggers lack.
        for (const t of liveTerms(suspended)) expect(terms(suspended).has(t)).toBe(true);
        for (const t of terms(suspended)) expect(terms(byTriggers).has(t)).toBe(true);
      }),
      { numRuns: 150 },
    );
    // The triggers, and the phone table's indexes the rebuild drops while it refills the table, came back
    // exactly as the migrations made them.
    const schema = (db: SqliteDatabase) =>
      db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') ORDER BY name`).all();
    expect(schema(suspended)).toEqual(schema(byTriggers));
    expect(schema(suspended).filter((o) => (o as { name: string }).name.startsWith('patient_phone_search_'))).toHaveLength(3);
  });

  it('is made whole when a database suspended by a download that crashed is opened again', () => {
    const { db, file, key } = open();
    db.transaction(() => {
      apply(db, { t: 'put', p: 1, first: 'Ana', last: 'Ng', middle: null, mobile: null, home: null, deleted: false });
      suspendPatientSearch(db);
      apply(db, { t: 'put', p: 2, first: 'José', last: 'Müller', middle: null, mobile: '+15125550100', home: null, deleted: false });
    })();
    expect(patientSearchSuspended(db)).toBe(true);
    db.close();
    dbs.splice(dbs.indexOf(db), 1);
    const reopened = open(file, key).db;
    expect(patientSearchSuspended(reopened)).toBe(false);
    const found = reopened
      .prepare(
        `SELECT k.patient_id FROM patient_name_search n JOIN patient_search_keys k ON k.key = n.rowid
         WHERE patient_name_search MATCH 'muller' `,
      )
      .all();
    expect(found).toEqual([{ patient_id: 'patient-2' }]);
    expect(reopened.prepare('SELECT patient_id FROM patient_phone_search').all()).toEqual([
      { patient_id: 'patient-2' },
    ]);
    // The triggers are back: a patient written now is indexed at once.
    apply(reopened, { t: 'put', p: 3, first: 'Zed', last: 'Ng', middle: null, mobile: null, home: null, deleted: false });
    expect(reopened.prepare(`SELECT count(*) AS n FROM patient_name_search WHERE patient_name_search MATCH 'zed'`).get()).toEqual({ n: 1 });
  });
});
